"""The digest parser: every accepted and rejected input form."""

from __future__ import annotations

from datetime import date

import pytest

from readinglist.core.sources.digest import DigestError, infer_year, parse, title_key
from readinglist.core.sources.links import extract_links
from tests.conftest import FIXTURES

REF = date(2026, 5, 1)


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_plain_digest_gives_titles_abstracts_and_date():
    digest = parse(read("digest_apr02.txt"), reference=REF)
    assert digest.date == date(2026, 4, 2)
    assert [e.title for e in digest.entries] == [
        "Sparse Mixture-of-Experts Routing for Efficient Speech Recognition",
        "TinyPlanner: Reinforcement Learning for Long-Horizon Robot Manipulation",
        "Retrieval-Augmented Code Generation with Repository Context",
        "On the Calibration of Large Language Models under Distribution Shift",
    ]
    assert all(len(e.abstract) > 300 for e in digest.entries)
    assert digest.entries[0].abstract.startswith("Automatic speech recognition models")
    assert digest.warnings == ()
    assert digest.entries[0].line == 13  # 1-based line of the title in the file


def test_header_without_daily_papers_line():
    digest = parse(read("digest_apr03.txt"), reference=REF)
    assert digest.date == date(2026, 4, 3)
    assert len(digest.entries) == 4


def _variants(data: bytes) -> dict[str, bytes]:
    return {
        "bom": b"\xef\xbb\xbf" + data,
        "crlf": data.replace(b"\n", b"\r\n"),
        "cr": data.replace(b"\n", b"\r"),
        "trailing spaces": data.replace(b"\n", b"  \t\n"),
        "bom+crlf": b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
        "utf-16": data.decode("utf-8").encode("utf-16"),
    }


@pytest.mark.parametrize("variant", list(_variants(b"")))
def test_encodings_and_line_ends_parse_the_same(variant):
    original = read("digest_apr02.txt")
    expected = parse(original, reference=REF)
    digest = parse(_variants(original)[variant], reference=REF)
    assert [(e.title, e.abstract) for e in digest.entries] == [
        (e.title, e.abstract) for e in expected.entries
    ]
    assert digest.date == expected.date
    assert digest.fingerprint == expected.fingerprint


def test_cp1252_bytes_decode_to_the_right_characters():
    data = read("cp1252.txt")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    digest = parse(data, reference=REF)
    assert digest.encoding == "cp1252"
    (entry,) = digest.entries
    assert entry.title == "Café-Grade Évaluation of “Zero-Shot” Translation – A Study"
    assert "“déjà vu” and “naïve”" in entry.abstract


def test_latin1_bytes_outside_cp1252_still_decode():
    data = read("digest_apr02.txt").replace(b"Sparse", b"Sp\x81rse \xe9")
    digest = parse(data, reference=REF)
    assert digest.entries[0].title.startswith("Sp\x81rse é")


def test_hard_wrapped_abstracts_and_titles_are_joined():
    wrapped = parse(read("hardwrapped.txt"), reference=REF)
    plain = {
        e.title: e.abstract
        for name in ("digest_apr02.txt", "digest_apr03.txt", "digest_apr05.txt")
        for e in parse(read(name), reference=REF).entries
    }
    assert [e.title for e in wrapped.entries] == [
        "On the Calibration of Large Language Models under Distribution Shift",
        "A Survey of Evaluation Benchmarks for Multimodal Agents",
        "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters",
    ]
    for entry in wrapped.entries:
        assert entry.abstract == plain[entry.title]
    assert wrapped.warnings == ()


def test_missing_abstract_keeps_the_paper_and_warns_with_the_line():
    digest = parse(read("missing_abstract.txt"), reference=REF)
    titles = [e.title for e in digest.entries]
    assert titles == [
        "Diffusion Policies for Dexterous Grasping from Few Demonstrations",
        "Scaling Laws for Data Pruning in Vision Transformers",
        "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters",
    ]
    assert digest.entries[1].abstract == ""
    # the pair after the gap is not shifted
    assert digest.entries[2].abstract.startswith("Low-rank adaptation (LoRA)")
    assert len(digest.warnings) == 1
    assert digest.warnings[0].startswith(f"line {digest.entries[1].line}:")
    assert "has no abstract" in digest.warnings[0]


def test_file_cut_off_after_a_title():
    digest = parse(read("truncated.txt"), reference=REF)
    assert [e.abstract == "" for e in digest.entries] == [False, True]
    assert digest.entries[-1].title == (
        "On the Calibration of Large Language Models under Distribution Shift"
    )
    assert "has no abstract" in digest.warnings[0]


def test_short_abstract_after_a_title_is_not_taken_for_a_title():
    data = (
        b"Apr 2\n\nA Tiny Paper\n\nWe show one thing. It is short, and it is the whole "
        b"abstract of this paper, which has fewer words than most, but it still reads as prose.\n\n"
        b"Another Paper\n\n" + b"Long abstract text. " * 30 + b"\n"
    )
    digest = parse(data, reference=REF)
    assert [e.title for e in digest.entries] == ["A Tiny Paper", "Another Paper"]
    assert digest.entries[0].abstract.startswith("We show one thing.")
    assert digest.warnings == ()


def test_date_with_a_year_and_iso_date():
    assert parse(read("dated_year.txt"), reference=REF).date == date(2025, 3, 18)
    assert parse(read("dated_iso.txt"), reference=REF).date == date(2025, 3, 19)
    assert parse(read("dated_year.txt"), reference=REF).year_inferred is False


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("March 18", date(2026, 3, 18)),
        ("Mar. 18", date(2026, 3, 18)),
        ("18 Mar 2024", date(2024, 3, 18)),
        ("Sep 30", date(2025, 9, 30)),
        ("Sept 30", date(2025, 9, 30)),
    ],
)
def test_other_date_spellings(line, expected):
    data = read("digest_apr02.txt").replace(b"Apr 2", line.encode())
    assert parse(data, reference=REF).date == expected


def test_year_is_the_most_recent_not_after_the_reference():
    data = read("digest_apr02.txt")
    assert parse(data, reference=date(2026, 4, 2)).date == date(2026, 4, 2)
    assert parse(data, reference=date(2026, 4, 1)).date == date(2025, 4, 2)
    assert parse(data, reference=date(2026, 4, 1)).year_inferred is True
    assert parse(data, reference=date(2026, 4, 1), year=2019).date == date(2019, 4, 2)
    assert infer_year(2, 29, date(2026, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t\n", "empty"),
        ((FIXTURES / "binary.txt").read_bytes(), "binary"),
        (b"\x00\x01\x02hello\x00" * 100, "binary"),
        ((FIXTURES / "no_date.txt").read_bytes(), "no date line"),
        ((FIXTURES / "no_papers.txt").read_bytes(), "no papers"),
        (b"Feb 30\n\nA Title\n\n" + b"Words of the abstract. " * 20, "not a valid date"),
        (b"Just some words of a letter\n\nnothing more\n", "no date line"),
    ],
)
def test_rejected_inputs_say_why(data, reason):
    with pytest.raises(DigestError, match=reason):
        parse(data, reference=REF)


def test_fixture_files_for_rejection_are_rejected():
    for name, reason in [("empty.txt", "empty"), ("binary.txt", "binary")]:
        with pytest.raises(DigestError, match=reason):
            parse(read(name), reference=REF)


def test_links_are_extracted_without_trailing_punctuation():
    text = (
        "Code at https://github.com/a/b. Page (https://x.example.org/). "
        "See https://en.wikipedia.org/wiki/Foo_(bar), and http://h.example/x?y=1&z=2; "
        "twice: https://github.com/a/b"
    )
    assert extract_links(text) == (
        "https://github.com/a/b",
        "https://x.example.org/",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "http://h.example/x?y=1&z=2",
    )
    entry = parse(read("digest_apr02.txt"), reference=REF).entries[1]
    assert entry.links == ("https://tinyplanner.example.org/",)


def test_title_key_folds_case_punctuation_width_and_spaces():
    assert title_key("Retrieval-Augmented Code Generation with Repository Context") == title_key(
        "  retrieval augmented  CODE generation, with repository context "
    )
    assert title_key("ＬｏＲＡ–Drop") == title_key("LoRA-Drop") == "lora drop"
    assert title_key("Straße") == title_key("STRASSE")
    assert title_key("A") != title_key("B")


def test_fingerprint_depends_on_content_not_bytes():
    a = parse(read("digest_apr02.txt"), reference=REF)
    b = parse(read("digest_apr03.txt"), reference=REF)
    assert a.fingerprint != b.fingerprint
    reordered = parse(read("digest_apr02.txt").replace(b"Apr 2", b"Apr 4"), reference=REF)
    assert reordered.fingerprint != a.fingerprint


def test_real_digests_parse(shared_digests):
    keys, appearances = set(), 0
    for path in sorted(shared_digests.glob("*.txt")):
        digest = parse(path.read_bytes(), reference=REF)
        assert digest.warnings == ()
        assert all(len(e.title) <= 150 and len(e.abstract) > 1000 for e in digest.entries)
        keys.update(e.key for e in digest.entries)
        appearances += len(digest.entries)
    assert (len(keys), appearances) == (223, 263)
