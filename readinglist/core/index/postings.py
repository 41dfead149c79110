"""Whoosh's posting lists read whole, as numpy arrays, with a bounded cache.

Whoosh's own matchers walk a posting list one posting at a time in Python.
Here a term's whole list is read from the W3 postings file block by block
(each block is zlib + pickle, both done in C) into two arrays, document
numbers and weights. Segments never change once written, so the decoded
arrays of a segment stay valid until it is merged away; deletions are applied
per query from the reader's live mask.

This reads Whoosh internals (`_terms`, `term_info().extent()`, the block
format, `_perdoc`, the length columns). `internals_ok()` checks them against
Whoosh's own matcher at start-up; the search falls back to Whoosh's own
evaluation when they differ.
"""

from __future__ import annotations

import io
import logging
import pickle
import struct
import threading
import zlib
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import whoosh
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

# The Whoosh release whose internals this module reads (pinned in pyproject.toml).
WHOOSH_VERSION = (2, 7, 5)
CACHE_BYTES = 96 * 1024 * 1024  # decoded postings kept across queries, at most

_LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
_INT = struct.Struct("!i").unpack_from
_EMPTY = (np.empty(0, np.int32), np.empty(0, np.float32))


@dataclass(frozen=True)
class Postings:
    """One term's postings in one segment, deleted documents included."""

    ids: np.ndarray  # int32, segment-local document numbers, ascending
    weights: np.ndarray  # float32, as Whoosh stored them
    blocks: tuple | None  # (last id of each block, [(offset, length, compressed)]); None: inlined

    @property
    def nbytes(self) -> int:
        extra = 0 if self.blocks is None else self.blocks[0].nbytes + 48 * len(self.blocks[1])
        return self.ids.nbytes + self.weights.nbytes + extra + 120


def decode(reader, fieldname: str, tbytes: bytes) -> Postings:
    """Every posting of one term in one segment reader."""
    terms = reader._terms
    try:
        info = terms.term_info(fieldname, tbytes)
    except (KeyError, TermNotFound):
        return Postings(*_EMPTY, None)
    if info.is_inlined():
        ids, weights, _values = info.inlined_postings()
        weights = weights if weights else [1.0] * len(ids)
        return Postings(np.asarray(ids, np.int32), np.asarray(weights, np.float32), None)
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded hands it over as a 1-tuple
        length = length[0]
    data = terms._postfile.get(offset, length)
    if data[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise ValueError("unexpected posting block header")
    return _blocks(data, offset)


def _blocks(data: bytes, offset: int) -> Postings:
    stream = io.BytesIO(data)
    position, end = 4, len(data)
    ids_parts: list = []
    weight_parts: list = []
    block_starts, previous_last, table, last_ids = [], [], [], []
    last = 0
    total = 0
    while position < end:
        (block_length,) = _INT(data, position)
        position += 4
        stream.seek(position)
        count, last_id, _max_weight, compressed, _min_len, _max_len = pickle.load(stream)
        data_start = stream.tell()
        position += abs(block_length)
        table.append((offset + data_start, position - data_start, compressed))
        last_ids.append(last_id)
        block = data[data_start:position]
        if compressed:
            block = zlib.decompress(block)
        ids, weights, _values = pickle.loads(block)
        block_starts.append(total)
        previous_last.append(last)
        ids_parts.append(np.asarray(ids, np.int64))
        if weights is None:
            weight_parts.append(np.ones(count, np.float32))
        elif isinstance(weights, float):
            weight_parts.append(np.full(count, weights, np.float32))
        else:
            weight_parts.append(np.asarray(weights, np.float32))
        total += count
        last = last_id
    ids = np.concatenate(ids_parts) if ids_parts else np.empty(0, np.int64)
    # each block's ids are deltas from the block's start at 0: one running sum
    ids[block_starts] -= np.asarray(previous_last, np.int64)
    np.cumsum(ids, out=ids)
    weights = np.concatenate(weight_parts) if weight_parts else np.empty(0, np.float32)
    return Postings(ids.astype(np.int32), weights,
                    (np.asarray(last_ids, np.int64), table))


def block_values(postfile, entry: tuple) -> tuple[list[int], list]:
    """(ids, values) of one block, from its table entry: for phrase positions."""
    offset, length, compressed = entry
    data = postfile.get(offset, length)
    if compressed:
        data = zlib.decompress(data)
    deltas, _weights, values = pickle.loads(data)
    ids, running = [], 0
    for delta in deltas:
        running += delta
        ids.append(running)
    return ids, values


class Lexicon:
    """A field's words in one segment, sorted (as Whoosh keeps them): the words
    of a prefix are one bisection away. Whoosh finds them by seeking through
    its term file, a few thousand small reads for "lan" at 100,000 papers —
    most of what a keystroke cost once the postings were decoded."""

    def __init__(self, reader, fieldname: str):
        self.words: list[bytes] = list(reader.lexicon(fieldname)) \
            if fieldname in reader.schema else []
        self.nbytes = sum(map(len, self.words)) + 56 * len(self.words)  # about, in memory

    def starting(self, prefix: bytes) -> list[bytes]:
        """The words that begin with ``prefix``, in order (UTF-8 never holds 0xff)."""
        start = bisect_left(self.words, prefix)
        return self.words[start : bisect_left(self.words, prefix + b"\xff", start)]


class PostingCache:
    """Decoded postings of every segment, least recently used dropped past a bound.

    Shared by the searchers of one index (keys name the segment), guarded by a
    lock: the window's reader thread and the writer's catch-up both search.
    """

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[tuple, Postings | np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, make):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()
        with self._lock:
            if key not in self._items:
                self._items[key] = made
                self.size += made.nbytes
                while self.size > self.limit and len(self._items) > 1:
                    _key, dropped = self._items.popitem(last=False)
                    self.size -= dropped.nbytes
        return made

    def keep_segments(self, segment_ids: set[str]) -> None:
        """Forget the segments merged away."""
        with self._lock:
            for key in [k for k in self._items if k[0] not in segment_ids]:
                self.size -= self._items.pop(key).nbytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class SegmentArrays:
    """One segment of a searcher: live mask, field lengths, postings (cached)."""

    def __init__(self, searcher, offset: int, cache: PostingCache):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.segment_id = self.reader._segment.segment_id()
        self.offset = offset
        self.size = self.reader.doc_count_all()
        self.live = np.ones(self.size, bool)
        if self.reader.has_deletions():
            self.live[np.fromiter(self.reader.deleted_docs_set, np.int64)] = False
        self.all_live = bool(self.live.all())
        self.cache = cache

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's field length, byte-quantised as Whoosh scores with it."""
        def read() -> np.ndarray:
            column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            raw = np.zeros(self.size, np.uint8)
            if column is not None:
                data = np.frombuffer(column._dbfile.get(column._basepos, column._count),
                                     np.uint8)
                raw[: len(data)] = data[: self.size]
            return _LENGTH_OF_BYTE[raw]

        return self.cache.get((self.segment_id, "#length", fieldname), read)

    def postings(self, fieldname: str, tbytes: bytes) -> Postings:
        """All postings of a term, deleted documents included."""
        return self.cache.get((self.segment_id, fieldname, tbytes),
                              lambda: decode(self.reader, fieldname, tbytes))

    def lexicon(self, fieldname: str) -> Lexicon:
        """The field's words in this segment (cached with the postings)."""
        return self.cache.get((self.segment_id, "#lexicon", fieldname),
                              lambda: Lexicon(self.reader, fieldname))

    def live_postings(self, fieldname: str, tbytes: bytes) -> tuple[np.ndarray, np.ndarray]:
        found = self.postings(fieldname, tbytes)
        if len(found.ids) and not self.all_live:
            keep = self.live[found.ids]
            return found.ids[keep], found.weights[keep]
        return found.ids, found.weights


class IndexArrays:
    """The numpy view of one Whoosh searcher (one state of the index)."""

    def __init__(self, searcher, cache: PostingCache):
        self.searcher = searcher
        self.segments = [SegmentArrays(sub, offset, cache)
                         for sub, offset in searcher.leaf_searchers()]
        cache.keep_segments({segment.segment_id for segment in self.segments})
        self.size = searcher.doc_count_all()
        self._pids: np.ndarray | None = None

    def pids(self) -> np.ndarray:
        """The paper id of every document number (0 for the meta document)."""
        if self._pids is None:
            pids = np.zeros(self.size, np.int64)
            for segment in self.segments:
                perdoc = segment.reader._perdoc
                if not perdoc.has_column("pidnum"):
                    continue
                column = perdoc.column_reader("pidnum",
                                              segment.reader.schema["pidnum"].column_type)
                # NumericColumn("q"): 8 bytes, big-endian, per document
                raw = np.frombuffer(column._dbfile.get(column._basepos, 8 * column._count),
                                    ">i8")
                pids[segment.offset : segment.offset + len(raw)] = raw
            self._pids = pids
        return self._pids


_checked: list[bool] = []
log = logging.getLogger("readinglist.search")


def vectorised() -> bool:
    """Whether Whoosh's internals are as this module reads them (checked once)."""
    if not _checked:
        problem = _internals_problem()
        if problem:
            log.warning("search falls back to Whoosh's own (exact, slower) evaluation: %s",
                        problem)
        _checked.append(problem is None)
    return _checked[0]


def _internals_problem() -> str | None:
    """None when decoding agrees with Whoosh's own matchers on a small index."""
    if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
        return (f"whoosh {'.'.join(map(str, whoosh.__version__[:3]))} is installed, "
                f"this reads {'.'.join(map(str, WHOOSH_VERSION))}")
    try:
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage

        index = RamStorage().create_index(Schema(pid=ID(stored=True), text=TEXT(phrase=True)))
        writer = index.writer()
        for number in range(300):  # more than one block of 128 postings
            words = "alpha beta " * (1 + number % 5) + ("gamma" if number % 3 else "")
            writer.add_document(pid=str(number), text=words)
        writer.commit()
        with index.searcher() as searcher:
            [(sub, _offset)] = searcher.leaf_searchers()
            reader = sub.reader()
            cache = PostingCache()
            segment = SegmentArrays(sub, 0, cache)
            for word in (b"alpha", b"gamma"):
                found = decode(reader, "text", word)
                matcher = reader.postings("text", word)
                expected = list(matcher.all_ids())
                weights = [w for _i, w in reader.postings("text", word).items_as("weight")]
                if found.ids.tolist() != expected or found.weights.tolist() != weights:
                    return "decoded postings differ from Whoosh's"
            lengths = segment.lengths("text")
            if [int(x) for x in lengths[:10]] != [reader.doc_field_length(d, "text")
                                                   for d in range(10)]:
                return "field lengths differ from Whoosh's"
    except Exception as exc:  # any surprise in the internals: use Whoosh's own code
        return f"{type(exc).__name__}: {exc}"
    return None
