"""The suggest / similar contract of the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import PAPER_KEYS
from tests.topics import write_topic_digests


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
    assert len(found) == 3 and set(found[0]) == PAPER_KEYS | {"score", "why"}
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
    assert code == 0 and len(found) == 4 and set(found[0]) == PAPER_KEYS | {"score", "why"}
    assert weather[0] not in [str(p["id"]) for p in found]
    code, _, err = topics("similar", "9999")
    assert code == 2 and "no paper with id 9999" in err
