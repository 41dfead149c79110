"""The suggest / similar contract of the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import PAPER_KEYS
from tests.topics import write_topic_digests

SUGGESTION_KEYS = PAPER_KEYS | {"score", "relevance", "why"}


@pytest.fixture
def topics(cli, tmp_path):
    files = write_topic_digests(tmp_path / "digests", per_topic=8, per_digest=48)
    assert cli("import", *map(str, files))[0] == 0
    return cli


def ids_with(cli, word: str) -> list[str]:
    _, out, _ = cli("search", f"title:{word}", "--limit", "0", "--json")
    return [str(p["id"]) for p in json.loads(out)]


def test_suggest_for_a_tag_as_json(topics):
    chess = ids_with(topics, "che*")
    assert topics("tag", *chess[:4], "--add", "Chess")[0] == 0
    code, out, err = topics("suggest", "--tag", "Chess", "--limit", "3", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert len(found) == 3 and set(found[0]) == SUGGESTION_KEYS
    assert all(isinstance(p["score"], float) and isinstance(p["why"], list) for p in found)
    assert found[0]["score"] >= found[1]["score"] >= found[2]["score"]
    assert {p["status"] for p in found} == {"unread"}  # --status defaults to unread
    assert not set(chess[:4]) & {str(p["id"]) for p in found}
    code, out, _ = topics("suggest", "--tag", "Chess", "--limit", "2")
    assert code == 0 and "why: " in out


def test_suggest_errors_and_nothing_to_learn(topics):
    code, out, err = topics("suggest", "--tag", "Nope")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no tag named 'Nope'" in err
    code, out, err = topics("suggest")
    assert code == 0 and out.strip() == "Nothing to learn from yet: tag or read a few papers first."
    code, out, _ = topics("suggest", "--json")
    assert code == 0 and json.loads(out) == []
    code, _, err = topics("suggest", "--status", "maybe")
    assert code == 2


def test_for_you_and_similar(topics):
    weather = ids_with(topics, "wea*")
    topics("mark", *weather[:3], "read")
    code, out, _ = topics("suggest", "--limit", "5", "--json")
    assert code == 0 and len(json.loads(out)) == 5
    code, out, _ = topics("similar", weather[0], "--limit", "4", "--json")
    found = json.loads(out)
    assert code == 0 and len(found) == 4 and set(found[0]) == SUGGESTION_KEYS
    assert weather[0] not in [str(p["id"]) for p in found]
    code, _, err = topics("similar", "9999")
    assert code == 2 and "no paper with id 9999" in err


def test_suggest_prints_a_relevance_a_person_can_read_and_dismiss_takes_papers_out(topics):
    chess = ids_with(topics, "chess")
    assert topics("mark", *chess[:4], "read")[0] == 0
    code, out, _ = topics("suggest", "--limit", "3")
    assert code == 0
    first = out.split()[0]
    assert out.split()[1] == "top" and out.split()[2].endswith("%")  # not a bare margin
    code, out, _ = topics("suggest", "--json", "--limit", "3")
    assert all(0 <= s["relevance"] <= 100 for s in json.loads(out))
    code, out, _ = topics("dismiss", first)
    assert code == 0 and "marked not interested: 1 paper" in out
    _, out, _ = topics("suggest", "--json", "--limit", "0")
    assert first not in [str(s["id"]) for s in json.loads(out)]
    _, out, _ = topics("list", "--dismissed", "--json")
    assert [str(p["id"]) for p in json.loads(out)] == [first]
    assert topics("dismiss", first, "--undo")[0] == 0
    _, out, _ = topics("list", "--dismissed", "--json")
    assert json.loads(out) == []
    assert topics("dismiss", "99999")[0] == 2  # an unknown id: a usage error
