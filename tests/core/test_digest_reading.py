"""Going through a digest: its own order, live counts, next unread, what it alone lists."""

from __future__ import annotations

import pytest

from readinglist.core.errors import InvalidInput
from readinglist.core.library import Filter
from readinglist.core.views import ALREADY_IMPORTED


def digest_named(library, name):
    return next(d for d in library.papers.digests() if d.file_name == name)


def test_a_digest_lists_its_papers_in_the_files_order(filled):
    apr03 = digest_named(filled, "digest_apr03.txt")
    ids = filled.papers.ids(Filter(digest=apr03.id), sort="position")
    positions = filled.papers.positions(apr03.id)
    assert [positions[i] for i in ids] == [1, 2, 3, 4]
    backwards = filled.papers.ids(Filter(digest=apr03.id), sort="position", descending=True)
    assert backwards == ids[::-1]
    with pytest.raises(InvalidInput):
        filled.papers.ids(Filter(), sort="position")


def test_digest_counts_are_live_papers_and_unread(filled):
    apr02 = digest_named(filled, "digest_apr02.txt")
    assert (apr02.entry_count, apr02.papers, apr02.unread) == (4, 4, 4)
    ids = filled.papers.ids(Filter(digest=apr02.id), sort="position")
    filled.edit.set_status(ids[:1], "read")
    filled.edit.delete(ids[1:2])
    apr02 = digest_named(filled, "digest_apr02.txt")
    assert (apr02.entry_count, apr02.papers, apr02.unread) == (4, 3, 2)
    filled.undo()
    assert digest_named(filled, "digest_apr02.txt").papers == 4


def test_first_with_status_keeps_the_order_given(filled):
    ids = filled.papers.ids(sort="id")
    filled.edit.set_status(ids[:3], "read")
    assert filled.papers.first_with_status(ids, "unread") == ids[3]
    assert filled.papers.first_with_status(ids[::-1], "read") == ids[2]
    assert filled.papers.first_with_status(ids[:3], "unread") is None


def test_only_in_digest_leaves_papers_other_digests_list(filled):
    for digest in filled.papers.digests():
        alone = set(filled.papers.only_in_digest(digest.id))
        listed = set(filled.papers.ids(Filter(digest=digest.id)))
        assert alone <= listed
        for paper_id in listed - alone:
            assert len(filled.papers.appearances(paper_id)) > 1
        for paper_id in alone:
            assert len(filled.papers.appearances(paper_id)) == 1
    assert any(filled.papers.only_in_digest(d.id) for d in filled.papers.digests())


def test_newest_first_reads_each_days_papers_in_their_digests_order(tmp_path):
    from readinglist.core.library import Library
    from tests.synthetic import write_digests

    write_digests(tmp_path / "digests", files=1, per_file=12)
    with Library.open(tmp_path / "lib") as library:
        library.import_files(sorted((tmp_path / "digests").glob("*.txt")))
        digest = library.papers.digests()[0]
        in_digest = library.papers.ids(Filter(digest=digest.id), sort="position")
        assert library.papers.ids(sort="first_seen") == in_digest  # newest day first
        assert library.papers.ids(sort="first_seen", descending=False) == in_digest


def test_a_cut_off_digest_then_the_whole_one_is_one_digest_with_whole_abstracts(tmp_path):
    from readinglist.core.library import Library
    from tests.synthetic import write_digests

    write_digests(tmp_path / "whole", files=1, per_file=10)
    (whole,) = sorted((tmp_path / "whole").glob("*.txt"))
    text = whole.read_text(encoding="utf-8")
    fourth_title = text.split("\n\n")[10]  # 4 header paragraphs, the date, then pairs
    cut = text[: text.index(fourth_title) - 40]  # stops inside the third abstract
    (tmp_path / "cut.txt").write_text(cut, encoding="utf-8")
    with Library.open(tmp_path / "lib") as library:
        first = library.import_files([tmp_path / "cut.txt"])
        assert first.files[0].new == 3
        third = library.papers.ids(sort="id")[2]
        short = library.papers.get(third).abstract
        second = library.import_files([whole])
        assert second.files[0].new == 7 and second.files[0].seen == 3
        assert any("completes the digest" in w for w in second.files[0].warnings)
        (digest,) = library.papers.digests()
        assert digest.papers == 10 and digest.file_name == whole.name
        assert library.papers.count(Filter(min_seen=2)) == 0  # nothing "trending" from one day
        assert {p.times_seen for p in library.papers.list(limit=None)} == {1}
        whole_abstract = library.papers.get(third).abstract
        assert len(whole_abstract) > len(short) and whole_abstract.startswith(short)
        assert third in [h.id for h in library.search.hits(whole_abstract.split()[-3])]
        positions = library.papers.positions(digest.id)
        assert sorted(positions.values()) == list(range(1, 11))


def test_the_same_digest_again_with_an_abstract_no_longer_cut_keeps_the_whole_one(tmp_path):
    from readinglist.core.library import Library
    from tests.synthetic import write_digests

    write_digests(tmp_path / "whole", files=1, per_file=3)
    (whole,) = sorted((tmp_path / "whole").glob("*.txt"))
    text = whole.read_text(encoding="utf-8").rstrip("\n")
    (tmp_path / "cut.txt").write_text(text[:-60], encoding="utf-8")  # the last abstract cut
    with Library.open(tmp_path / "lib") as library:
        library.import_files([tmp_path / "cut.txt"])
        last = library.papers.ids(sort="id")[-1]
        short = library.papers.get(last).abstract
        again = library.import_files([whole])
        assert again.files[0].status == ALREADY_IMPORTED
        assert library.papers.get(last).abstract.startswith(short)
        assert library.papers.get(last).abstract == text.split("\n\n")[-1]


def test_a_longer_but_different_abstract_never_replaces_the_stored_one(filled, tmp_path):
    paper = filled.papers.get(2)
    other = ("A quite different abstract for the same title, written at greater length "
             "than the first one, which a later digest might carry by mistake: it does not "
             "start with the stored text, so it completes nothing. " * 3).strip()
    assert len(other) > len(paper.abstract) and not other.startswith(paper.abstract[:40])
    later = tmp_path / "later.txt"
    later.write_text(f"Daily Papers\n\nApr 20, 2026\n\n{paper.title}\n\n{other}\n",
                     encoding="utf-8")
    filled.import_files([later])
    assert filled.papers.get(2).abstract == paper.abstract
