"""Full-text search: syntax, ranking, filters, and edits visible at once."""

from __future__ import annotations

import pytest

from readinglist.core.index.documents import IndexFilter
from readinglist.core.library import Filter

SPEECH = "Sparse Mixture-of-Experts Routing for Efficient Speech Recognition"
PLANNER = "TinyPlanner: Reinforcement Learning for Long-Horizon Robot Manipulation"
CODE = "Retrieval-Augmented Code Generation with Repository Context"
CALIBRATION = "On the Calibration of Large Language Models under Distribution Shift"
GRASP = "Diffusion Policies for Dexterous Grasping from Few Demonstrations"
SURVEY = "A Survey of Evaluation Benchmarks for Multimodal Agents"
PRUNING = "Scaling Laws for Data Pruning in Vision Transformers"
LORA = "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters"


def titles(library, query, **kwargs):
    return [h.title for h in library.search.hits(query, limit=None, **kwargs)]


def ids_of(library, *wanted):
    by_title = {p.title: p.id for p in library.papers.list(limit=None)}
    return [by_title[t] for t in wanted]


def test_all_plain_words_must_match(filled):
    assert titles(filled, "pruning adapters") == [LORA]
    assert set(titles(filled, "pruning")) == {PRUNING, LORA}


def test_stemming_matches_other_word_forms(filled):
    assert titles(filled, "calibrate") == [CALIBRATION]
    assert set(titles(filled, "demonstration")) >= {GRASP}


def test_phrases(filled):
    assert titles(filled, '"instruction tuning"') != []
    assert set(titles(filled, '"instruction tuning"')) == {CALIBRATION, LORA}
    assert titles(filled, '"tuning instruction"') == []


def test_or_and_not(filled):
    assert set(titles(filled, "grasping OR calibration")) == {GRASP, CALIBRATION}
    assert LORA not in titles(filled, "pruning NOT adapters")
    assert titles(filled, "pruning -adapters") == [PRUNING]
    assert titles(filled, "pruning NOT adapters") == [PRUNING]


def test_field_prefixes(filled):
    assert titles(filled, "title:survey") == [SURVEY]
    # "benchmark" is in several abstracts but only one title
    assert len(titles(filled, "abstract:benchmark")) > len(titles(filled, "title:benchmark"))
    [paper_id] = ids_of(filled, GRASP)
    filled.edit.set_note(paper_id, "compare with the tactile sensing paper")
    filled.tags.add([paper_id], ["Dexterous Hands"])
    assert titles(filled, "note:tactile") == [GRASP]
    assert titles(filled, 'tag:"dexterous hands"') == [GRASP]
    assert titles(filled, "tactile") == [GRASP]  # notes are searched by default


def test_title_matches_rank_above_abstract_matches(filled):
    # "survey" is the title word of one paper and appears in another's abstract only
    found = titles(filled, "survey")
    assert found[0] == SURVEY


def test_hits_have_id_score_and_highlighted_snippet(filled):
    (hit,) = filled.search.hits("dexterous grasping")
    assert hit.title == GRASP and hit.score > 0 and hit.id == hit.paper.id
    assert "**" in hit.snippet
    assert "**Dexterous**" in hit.snippet or "**dexterous**" in hit.snippet


@pytest.mark.parametrize(
    "query",
    ['"unclosed phrase', "((robot", "robot)", "AND", "OR robot", "robot AND", "NOT", "-",
     "title:", "tag:", "foo:bar", "*", "?", "[a TO", "a^", "~2", "\\", "'", "\x00", "𝔘𝔫𝔦",
     "robot" * 200, "a " * 500],
)
def test_broken_syntax_never_raises(filled, query):
    hits = filled.search.hits(query)
    assert isinstance(hits, list)


def test_broken_syntax_falls_back_to_plain_terms(filled):
    assert titles(filled, '((robot') == [PLANNER]
    assert titles(filled, '"robot') == [PLANNER]
    assert titles(filled, "robot AND") == [PLANNER]
    assert titles(filled, "NOT NOT robot") == [PLANNER]  # the fallback's words, not operators
    assert titles(filled, "NOT " * 3000 + "robot") == [PLANNER]
    assert titles(filled, 'title:"') == []  # a field name is not a word to look for


@pytest.mark.parametrize(("query", "notice"), [
    ("robot", None), ("robot AND", None), ("-robot", None), ("tag:", None), ("OR", None),
    ('"robot planner"', None), ('title:"robot planner"', None),
    ('"robot planner', "No closing quote"), ("(robot OR planner", "Brackets"),
    ("robot)", "Brackets"), ('"(" robot', None),  # a bracket inside quotes is a character
    ("NOT NOT robot", "Could not read the search syntax"),
    ("the of", "Only very common"),
])
def test_a_query_not_searched_as_typed_says_why(filled, query, notice):
    said = filled.search.notice(query)
    assert (said is None) if notice is None else said.startswith(notice)


def test_filters_by_status_tag_and_dates(filled):
    speech, planner, grasp = ids_of(filled, SPEECH, PLANNER, GRASP)
    filled.edit.set_status([speech, planner], "read")
    filled.tags.add([planner, grasp], ["robots"])
    assert set(titles(filled, "learning", status="read")) == {PLANNER}
    assert set(titles(filled, "", status="read")) == {SPEECH, PLANNER}
    assert set(titles(filled, "", tag="ROBOTS")) == {PLANNER, GRASP}
    assert titles(filled, "", tag="robots", status="read") == [PLANNER]
    # seen in a digest on Apr 3 (digest_apr03 holds PLANNER, GRASP, SURVEY, CODE)
    assert set(titles(filled, "", since="2026-04-03", until="2026-04-03")) == {
        PLANNER, GRASP, SURVEY, CODE,
    }
    assert set(titles(filled, "robot OR grasping", since="2026-04-03", until="2026-04-04")) == {
        PLANNER, GRASP,
    }
    assert titles(filled, "speech", until="2026-04-01") == []


def test_empty_query_lists_sorted_by_date_or_title(filled):
    by_title = titles(filled, "", sort="title")
    assert by_title == sorted(by_title, key=str.lower)
    by_date = [h.paper.last_seen for h in filled.search.hits("", limit=None)]
    assert by_date == sorted(by_date, reverse=True)
    assert len(filled.search.hits("", limit=3)) == 3


def test_trending_and_digest_views(filled):
    trending = filled.papers.list(Filter(min_seen=2), limit=None)
    assert {p.title for p in trending} == {SPEECH, PLANNER, CODE}
    newest = filled.papers.digests()[0]
    assert newest.digest_date == "2026-04-05" and newest.entry_count == 3
    assert {p.title for p in filled.papers.list(Filter(digest=newest.id), limit=None)} == {
        PRUNING, LORA, SPEECH,
    }
    assert set(filled.search.ids("pruning", Filter(digest=newest.id))) == set(
        ids_of(filled, PRUNING, LORA)
    )


def test_edits_are_visible_to_search_at_once(filled):
    [lora] = ids_of(filled, LORA)
    assert titles(filled, "zeppelin") == []
    filled.edit.set_note(lora, "Zeppelin-sized savings")
    assert titles(filled, "zeppelin") == [LORA]
    filled.edit.set_note(lora, "")
    assert titles(filled, "zeppelin") == []
    filled.tags.add([lora], ["peft"])
    assert titles(filled, "tag:peft") == [LORA]
    filled.tags.rename("peft", "adapters-tag")
    assert titles(filled, "tag:peft") == []
    assert titles(filled, "tag:adapters-tag") == [LORA]
    filled.edit.set_status([lora], "skimmed")
    assert titles(filled, "adapters", status="skimmed") == [LORA]
    filled.edit.delete([lora])
    assert titles(filled, "adapters") == []


def test_list_with_a_query_keeps_relevance_order(filled):
    hits = filled.search.hits("pruning", view=Filter(status="unread"))
    assert hits[0].title in {PRUNING, LORA}
    assert all(hits[i].score >= hits[i + 1].score for i in range(len(hits) - 1))


def test_a_failing_index_is_checked_and_the_search_retried(filled, monkeypatch):
    original = filled.store.index.search
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs.get("plain", False))
        if len(calls) == 1:
            raise OSError("segment file vanished")
        return original(*args, **kwargs)

    monkeypatch.setattr(filled.store.index, "search", flaky)
    assert titles(filled, "pruning adapters") == [LORA]
    assert calls == [False, True]


def test_a_query_the_parser_trips_on_never_rebuilds_the_index(filled, monkeypatch):
    original = filled.store.index.search

    def parser_trips(*args, **kwargs):
        if not kwargs.get("plain"):
            raise IndexError("list index out of range")  # as Whoosh's parser once did
        return original(*args, **kwargs)

    def no_repair():
        raise AssertionError("the index was repaired for a query's sake")

    monkeypatch.setattr(filled.store.index, "search", parser_trips)
    monkeypatch.setattr(filled.store.keeper, "rebuild", no_repair)
    monkeypatch.setattr(filled.store.keeper, "catch_up", no_repair)
    assert titles(filled, "robot") == [PLANNER]


def test_field_prefix_inside_a_phrase_is_kept(filled):
    [lora] = ids_of(filled, LORA)
    filled.edit.set_note(lora, "todo: rerun")
    assert titles(filled, '"todo: rerun"') == [LORA]


def test_full_hit_list_ranks_the_best_then_the_newest(filled, monkeypatch):
    monkeypatch.setattr(filled.search, "ranked_hits", 2)
    everything = filled.search.ids("the OR model OR learning OR data")
    best = [h.id for h in filled.search.hits("the OR model OR learning OR data", limit=2)]
    assert everything[:2] == best
    rest = filled.papers.get_many(everything[2:])
    assert [p.first_seen for p in rest] == sorted((p.first_seen for p in rest), reverse=True)
    assert len(everything) == len(set(everything)) == len(filled.search.hits(
        "the OR model OR learning OR data", limit=None))


def test_results_are_remembered_until_the_index_changes(filled):
    assert filled.search.ids("zebra") == []
    assert filled.store.index.remembered()
    [lora] = ids_of(filled, LORA)
    filled.edit.set_note(lora, "a zebra crossing")
    assert filled.search.ids("zebra") == [lora]  # not the remembered empty answer


def test_prefixes_and_wildcards_find_what_whoosh_itself_finds_even_after_edits(filled):
    from readinglist.core.index.query import QuickPrefix, QuickWildcard

    filled.edit.set_note(ids_of(filled, PLANNER)[0], "prerequisite reading on prefixes")
    filled.tags.add(ids_of(filled, SURVEY, GRASP), ["predictions"])  # edits leave deleted docs
    filled.edit.delete(ids_of(filled, PRUNING))
    index = filled.store.index
    for text in ("pr*", "pre*", "d*", "title:d*", "gr*p", "tag:pred*", "robot pr*"):
        quick = [leaf for leaf in index.queries.parse(text).leaves()
                 if isinstance(leaf, QuickPrefix | QuickWildcard)]
        assert quick, text
        # The same query through Whoosh's own matchers, one per expanded term:
        expected = {i for i, _ in index.whoosh_ranking(text, scored=False)}
        found = set(filled.search.ids(text))
        assert found and found == expected, text
    assert titles(filled, "note:prereq*") == [PLANNER]
    assert set(titles(filled, "tag:pred*")) == {SURVEY, GRASP}


def test_not_finds_and_scores_exactly_as_whoosh_itself_does(filled):
    from readinglist.core.index.query import QuickAnd

    filled.tags.add(ids_of(filled, GRASP, PLANNER), ["robots"])
    filled.edit.delete(ids_of(filled, SPEECH))
    index = filled.store.index
    for text in ("pruning -adapters", "models -calibration -survey", "learning NOT tag:robots",
                 "-pruning", "diffusion OR pruning -adapters", '"instruction tuning" -lora'):
        assert any(isinstance(q, QuickAnd) for q in _walk(index.queries.parse(text))) or \
            text.startswith("-"), text
        expected = [(i, round(s, 9)) for i, s in index.whoosh_ranking(text)]  # Whoosh's own
        found = [(i, round(s, 9)) for i, s in index.ranked(text, None, IndexFilter())]
        assert [i for i, _ in found] == [i for i, _ in expected], text
        # Whoosh's NOT adds 1 to every hit's score; leaving it out ranks the same.
        offsets = {round(e - f, 6) for (_, e), (_, f) in zip(expected, found, strict=True)}
        assert len(offsets) <= 1, text
    assert titles(filled, "learning NOT tag:robots") == []  # both learning papers are robots


def _walk(query):
    yield query
    for child in query.children():
        yield from _walk(child)


def test_a_view_restricts_the_hits_without_changing_their_order_or_scores(filled):
    filled.edit.set_status(ids_of(filled, LORA, GRASP, CALIBRATION), "read")
    filled.tags.add(ids_of(filled, LORA, PRUNING, SPEECH), ["nlp"])
    index = filled.store.index
    views = [IndexFilter(status="read"), IndexFilter(tag="nlp"),
             IndexFilter(status="read", tag="nlp"), IndexFilter(min_seen=2)]
    for text in ("pruning", "learning", "models -survey", "-pruning", "dif*", '"vision"'):
        everything = index.ranked(text, None, IndexFilter())
        for view in views:
            allowed = {
                p.id for p in filled.papers.list(Filter(**{k: v for k, v in vars(view).items()
                                                          if v is not None}), limit=None)}
            expected = [(i, round(s, 9)) for i, s in everything if i in allowed]
            found = [(i, round(s, 9)) for i, s in index.ranked(text, None, view)]
            assert [i for i, _ in found] == [i for i, _ in expected], (text, view)
            # the same scores (a query of only NOT scores 1 per hit in Whoosh, 0 here)
            offsets = {round(e - f, 6) for (_, e), (_, f) in zip(expected, found, strict=True)}
            assert offsets <= {0.0} or (text.startswith("-") and offsets == {1.0}), (text, view)
            assert sorted(index.matching_ids(text, view)) == sorted(i for i, _ in expected)


def test_a_long_list_sorted_within_a_view_keeps_the_same_order(filled, monkeypatch):
    """Past `LARGE_WITHIN` ids the order is the view's own, filtered in Python:
    the same papers in the same order as SQLite sorting them."""
    from readinglist.core.reading import view_ids as papers_module

    every = filled.papers.ids(sort="id")
    within = every[::2] + every[1::3]
    expected = {(sort, down): filled.papers.ids(sort=sort, descending=down, within=within)
                for sort in ("first_seen", "title", "times_seen", "status")
                for down in (True, False)}
    monkeypatch.setattr(papers_module, "LARGE_WITHIN", 1)
    for (sort, down), ids in expected.items():
        assert filled.papers.ids(sort=sort, descending=down, within=within) == ids
    assert set(ids) == set(within)
