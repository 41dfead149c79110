"""An edit says what it changed (the papers, the counts it moved, the change
counter before and after), so a window can show it without reading the whole
library again; the counts it reports are the ones the sidebar would read."""

from __future__ import annotations

from collections import Counter

from readinglist.core.editing.effects import combined
from readinglist.core.library import Library


def sidebar_counts(library) -> tuple[Counter, Counter]:
    """What the sidebar reads from the whole library."""
    stats = library.papers.stats()
    counts = Counter(unread=stats.unread, skimmed=stats.skimmed, read=stats.read,
                     dismissed=len(library.papers.ids(_dismissed())))
    digests = Counter({d.id: d.unread for d in library.papers.digests()})
    return counts, digests


def _dismissed():
    from readinglist.core.library import Filter

    return Filter(dismissed=True)


def edited(library, work):
    """Run ``work`` and return its effect, checking that the counts it moved are
    exactly what reading the whole library again shows."""
    counts, digests = sidebar_counts(library)
    with library.history.effects.collecting() as effects:
        work()
    effect = combined(effects)
    assert effect is not None
    after_counts, after_digests = sidebar_counts(library)
    counts.update(effect.counts)
    digests.update(effect.digests)
    assert +counts == +after_counts
    assert +digests == +after_digests
    return effect


def test_a_status_edit_names_its_papers_and_moves_the_counts_it_changed(filled):
    ids = filled.papers.ids(sort="id")[:3]
    before = filled.generation()
    effect = edited(filled, lambda: filled.edit.set_status(ids, "read"))
    assert effect.papers == frozenset(ids)
    assert effect.counts == {"unread": -3, "read": 3}
    assert sum(effect.digests.values()) < 0  # the digests listing them have fewer unread
    assert not effect.reshaped and not effect.tags and not effect.text
    assert effect.generation == (before, filled.generation()) and before < filled.generation()
    # marking them read again moves nothing: they were read already
    again = edited(filled, lambda: filled.edit.set_status(ids, "read"))
    assert again.counts == {} and again.digests == {}


def test_undo_and_redo_move_the_counts_back_and_forth(filled):
    ids = filled.papers.ids(sort="id")[:2]
    filled.edit.set_status(ids, "skimmed")
    undone = edited(filled, filled.undo)
    assert undone.counts == {"skimmed": -2, "unread": 2}
    redone = edited(filled, filled.redo)
    assert redone.counts == {"skimmed": 2, "unread": -2}


def test_undoing_steps_of_two_processes_moves_the_counts_as_the_library_moved(filled):
    ids = filled.papers.ids(sort="id")[:2]
    filled.edit.set_status(ids, "read")
    with Library.open(filled.folder) as terminal:  # another process marks one skimmed
        terminal.edit.set_status(ids[:1], "skimmed")

    def two_undos() -> None:
        filled.undo()  # the terminal's step: back to read
        filled.undo()  # ours: both back to unread

    effect = edited(filled, two_undos)
    assert effect.counts == {"skimmed": -1, "read": -1, "unread": 2}


def test_tags_notes_and_details_say_what_a_search_or_the_tags_must_show_again(filled):
    paper = filled.papers.ids(sort="id")[0]
    tagged = edited(filled, lambda: filled.tags.add([paper], ["robots"]))
    assert tagged.tags and tagged.text and tagged.papers == {paper} and not tagged.counts
    noted = edited(filled, lambda: filled.edit.set_note(paper, "read the appendix"))
    assert noted.text and not noted.tags
    dismissed = edited(filled, lambda: filled.edit.dismiss([paper]))
    assert dismissed.counts == {"dismissed": 1} and not dismissed.text


def test_papers_deleted_or_a_tag_renamed_ask_for_everything_to_be_read_again(filled):
    ids = filled.papers.ids(sort="id")[:2]
    filled.tags.add(ids, ["old"])
    with filled.history.effects.collecting() as effects:
        filled.tags.rename("old", "new")
        filled.edit.delete(ids[:1])
    assert [e.reshaped for e in effects] == [True, True]


def test_an_edit_made_after_another_process_wrote_shows_the_gap(filled):
    ids = filled.papers.ids(sort="id")
    with filled.history.effects.collecting() as effects:
        filled.edit.set_status(ids[:1], "read")
        with Library.open(filled.folder) as terminal:
            terminal.tags.add(ids[1:2], ["elsewhere"])
        filled.edit.set_status(ids[2:3], "read")
    assert not effects[0].reshaped and not effects[1].reshaped
    assert effects[1].generation[0] > effects[0].generation[1]
    assert combined(effects).reshaped  # a window reads everything again


def test_edits_made_outside_a_collection_are_not_kept(filled):
    ids = filled.papers.ids(sort="id")
    filled.edit.set_status(ids[:1], "read")
    with filled.history.effects.collecting() as effects:
        pass
    assert effects == []
