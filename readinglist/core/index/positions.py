"""Phrase positions as arrays: each word's positions in a segment as sorted
(document << 32 | position) keys, decoded one posting block at a time and
kept in the segment's posting cache; a phrase holds where the first word's
key, moved on by k, is the k-th word's — a bisection per key, where a set
per document and `np.isin` (which hashes both arrays) took seconds for a
phrase nearly every abstract has.
"""

from __future__ import annotations

from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import formats
from whoosh.system import _INT_SIZE

from readinglist.core.index.postings import block_values


def phrase_documents(segment, fieldname: str, words: list[bytes], local: np.ndarray,
                     positions_of) -> np.ndarray:
    """The documents of ``local`` (numbers within ``segment``) whose field has
    ``words`` in a row, sorted."""
    lists = [segment.postings(fieldname, word) for word in words]
    if any(not len(p.ids) for p in lists):
        return np.zeros(0, np.int64)
    starts = _position_keys(segment, fieldname, words[0], lists[0], local, positions_of)
    for k in range(1, len(words)):
        if not len(starts):
            break
        later = _position_keys(segment, fieldname, words[k], lists[k],
                               _distinct(starts >> POSITION_BITS), positions_of)
        later = later[(later & POSITION_MASK) >= k] - k
        starts = starts[_in_sorted(starts, later)]
    return _distinct(starts >> POSITION_BITS)


POSITION_BITS = 32  # a key: document << 32 | position (a field of up to 4 billion words)
POSITION_MASK = (1 << POSITION_BITS) - 1


def _position_keys(segment, fieldname: str, word: bytes, postings, local: np.ndarray,
                   positions_of) -> np.ndarray:
    """The (document << 32 | position) keys of ``word`` in the documents of
    ``local`` (sorted), from the posting blocks they are in, each block decoded
    once and kept in the segment's posting cache."""
    def decoded(pairs) -> np.ndarray:
        keys = [(doc << POSITION_BITS) | position for doc, value in pairs
                for position in positions_of(value)]
        return np.array(sorted(keys), dtype=np.int64)

    if postings.blocks is None:  # inlined: a short list, Whoosh reads it
        def read_inlined() -> np.ndarray:
            matcher = segment.reader.postings(fieldname, word)
            pairs = []
            while matcher.is_active():
                pairs.append((matcher.id(), matcher.value()))
                matcher.next()
            return decoded(pairs)
        pieces = [segment.cache.get((segment.segment_id, "#positions", fieldname, word),
                                    read_inlined)]
    else:
        last_ids, table = postings.blocks
        blocks = np.searchsorted(last_ids, local)
        blocks = blocks[blocks < len(last_ids)]
        postfile = segment.reader._terms._postfile
        pieces = [segment.cache.get(
            (segment.segment_id, "#positions", fieldname, word, block),
            lambda block=block: decoded(zip(*block_values(postfile, table[block]),
                                            strict=True)))
            for block in np.unique(blocks).tolist()]
    keys = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)  # sorted: blocks in order
    return keys[_in_sorted(keys >> POSITION_BITS, np.sort(local))]


def _in_sorted(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``pool`` (sorted): a bisection each, where
    `np.isin` hashes both arrays (seconds for a phrase over 100,000 papers)."""
    if not len(pool):
        return np.zeros(len(values), bool)
    where = np.minimum(np.searchsorted(pool, values), len(pool) - 1)
    return pool[where] == values


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def position_decoder(field_format):
    """Word positions from a posting value; Whoosh's own Positions format is
    decoded in one step (the same bytes ``Positions.decode_positions`` reads)."""
    if type(field_format) is not formats.Positions:
        return field_format.decode_positions

    def positions(value: bytes):
        if not value.endswith(b"."):
            value += b"."
        return accumulate(loads(value[_INT_SIZE:]))

    return positions
