"""Hostile input for the parser: it returns a Digest or raises DigestError — nothing
else — and neither time nor memory blows up (a quadratic step would show here)."""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.sources.digest import MAX_BYTES, Digest, DigestError, parse
from readinglist.core.sources.links import extract_links
from tests.conftest import DIGESTS, FIXTURES, SHARED_DIGESTS

REF = date(2026, 5, 1)
SEEDS = [p.read_bytes() for p in DIGESTS] + [
    (FIXTURES / name).read_bytes()
    for name in ("hardwrapped.txt", "missing_abstract.txt", "truncated.txt", "cp1252.txt")
]
if SHARED_DIGESTS.is_dir():
    SEEDS += [p.read_bytes() for p in sorted(SHARED_DIGESTS.glob("*.txt"))]


def parses_or_refuses(data: bytes) -> Digest | None:
    try:
        digest = parse(data, reference=REF)
    except DigestError as exc:
        assert str(exc) and "\n" not in str(exc)  # one line that says why
        return None
    assert digest.entries
    for entry in digest.entries:
        assert entry.title and "\n" not in entry.title and "\n" not in entry.abstract
    return digest


fuzz = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    parses_or_refuses(data)


@fuzz
@given(st.text(max_size=3000))
def test_random_text(text):
    parses_or_refuses(text.encode("utf-8"))
    parses_or_refuses(b"Mar 18\n\n" + text.encode("utf-8", "surrogatepass"))


@fuzz
@given(st.sampled_from(SEEDS), st.integers(min_value=0), st.integers(min_value=0))
def test_truncated_real_digests(seed, start, length):
    cut = seed[: start % (len(seed) + 1)]
    parses_or_refuses(cut)
    parses_or_refuses(seed[length % (len(seed) + 1):])


@fuzz
@given(st.sampled_from(SEEDS),
       st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=0, max_size=8)),
                max_size=20))
def test_mutated_real_digests(seed, edits):
    data = bytearray(seed)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    parses_or_refuses(bytes(data))


@pytest.mark.parametrize(
    "data",
    [
        b"Mar 18\n\n" + b"x" * 3_000_000 + b"\n",  # one very long line
        b"Mar 18\n\nTitle\n\n" + b"word " * 600_000,  # a 3 MB abstract
        b"Mar 18\n\n" + b"\n" * 4_000_000 + b"Title\n\n" + b"Abstract words. " * 40,
        b"Mar 18\n\nTitle\n\n" + b"(https://x.org/" + b")" * 1_000_000,  # closing brackets
        b"Mar 18\n\nT\n\n" + b"https://" * 500_000,
        b"Mar 18\n\n" + b"Short title\n\n" * 200_000,  # many titles, no abstracts
        b"\x00" * 5_000_000,
        b"Mar 18\n\nTitle\x00 with NUL\n\n" + b"Abstract. " * 50,
        b"\xff\xfe" + "Mar 18\n\nTitle\n\n".encode("utf-16-le") + b"\x00\xd8",  # bad UTF-16
        "Mar 18\n\n\u202eevil RTL title\u200b\n\n".encode() + b"Abstract words here. " * 30,
    ],
    ids=["long-line", "huge-abstract", "blank-lines", "brackets", "schemes", "titles", "nul",
         "nul-inside", "bad-utf16", "rtl"],
)
def test_extreme_inputs_stay_bounded(data):
    tracemalloc.start()
    try:
        parses_or_refuses(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(data) + 50_000_000  # linear in the input, no blow-up


def test_a_50_mb_file_is_refused_without_parsing(tmp_path):
    big = b"Mar 18\n\nTitle\n\n" + b"a" * (50 * 1024 * 1024)
    with pytest.raises(DigestError, match="too large"):
        parse(big, reference=REF)
    from readinglist.core.library import Library

    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    with Library.open(tmp_path / "lib") as library:
        result = library.import_files([path])
    assert result.files[0].status == "rejected"
    assert "too large" in result.files[0].error
    assert MAX_BYTES < 50 * 1024 * 1024


def test_link_extraction_is_linear_on_hostile_brackets():
    links = extract_links("(https://x.org/a" + ")" * 200_000)
    assert links == ("https://x.org/a",)
