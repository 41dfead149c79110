"""A digest file is hostile until shown otherwise: size, shape and encoding are
bounded, and a damaged byte does not turn a whole file into mojibake."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from readinglist.core.sources.digest import MAX_ENTRIES, DigestError, parse

ABSTRACT = "We study a thing and find that it works well in practice. " * 4


def test_a_paragraph_of_sixty_thousand_lines_parses_at_once():
    # Joining a paragraph's lines was quadratic: 40,000 lines took over two
    # minutes, 60,000 never finished. A hang guard, not a benchmark.
    probe = ("from readinglist.core.sources.digest import parse\n"
             "lines = '\\n'.join(['word'] * 60000)\n"
             "data = ('Mar 18\\n\\nA Title\\n\\n' + lines + '.\\n').encode()\n"
             "print(len(parse(data).entries[0].abstract))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(" ".join(["word"] * 60000)) + 1


def test_a_digest_of_a_million_one_word_paragraphs_is_refused():
    data = ("Mar 18\n\n" + "\n\n".join(["word"] * (MAX_ENTRIES + 1))).encode()
    with pytest.raises(DigestError, match="not a digest"):
        parse(data, reference=date(2026, 3, 20))


def test_one_bad_byte_in_utf8_keeps_the_rest_as_written():
    text = f"Mar 18\n\nÜber-Modelle für Sprache\n\n{ABSTRACT} Café, naïve, Zürich.\n"
    data = text.encode("utf-8").replace("Zürich".encode(), b"Z\xfcrich")  # one cp1252 byte
    digest = parse(data, reference=date(2026, 3, 20))
    (entry,) = digest.entries
    assert entry.title == "Über-Modelle für Sprache"  # not "Ã\x9cber-Modelle"
    assert "Café, naïve, Z\ufffdrich." in entry.abstract
    assert digest.encoding == "utf-8"
    assert any("1 byte not valid UTF-8" in w for w in digest.warnings)


def test_a_real_cp1252_file_is_still_read_as_cp1252():
    text = f"Mar 18\n\nCafé-Grade Évaluation\n\n{ABSTRACT} “quoted” – dash.\n"
    digest = parse(text.encode("cp1252"), reference=date(2026, 3, 20))
    assert digest.encoding == "cp1252" and digest.entries[0].title == "Café-Grade Évaluation"
    assert "“quoted” – dash." in digest.entries[0].abstract
