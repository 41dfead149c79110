"""Digests as they arrive: e-mail messages, mailboxes and saved web pages."""

from __future__ import annotations

import tracemalloc
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.sources.digest import parse
from readinglist.core.sources.files import EMAIL, MAILBOX, PAGE, read_source
from readinglist.core.sources.html_text import html_to_text
from readinglist.core.views import ALREADY_IMPORTED, IMPORTED, REJECTED
from tests import digest_formats
from tests.conftest import DIGESTS, FIXTURES

MAIL = FIXTURES / "mail"
TODAY = date(2026, 5, 1)
NAMES = [path.stem for path in DIGESTS]


def papers(digest) -> list[tuple[str, str]]:
    return [(entry.title, entry.abstract) for entry in digest.entries]


def only_digest(path: Path):
    _kind, parts = read_source(path, year=None, today=TODAY)
    [part] = list(parts)
    assert part.error is None, part.error
    return part.digest


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", [".eml", "-html-only.eml", ".html"])
def test_each_form_gives_the_papers_of_the_text_digest_character_for_character(name, form):
    text = parse((FIXTURES / f"{name}.txt").read_bytes(), reference=TODAY)
    other = only_digest(MAIL / f"{name}{form}")
    assert papers(other) == papers(text)
    assert [e.links for e in other.entries] == [e.links for e in text.entries]
    assert other.date == text.date and other.fingerprint == text.fingerprint


def test_the_kind_is_told_by_the_name_or_else_by_the_first_bytes(tmp_path):
    for source, kind in (("digest_apr02.eml", EMAIL), ("apr05.mbox", MAILBOX),
                         ("digest_apr02.html", PAGE)):
        unnamed = tmp_path / f"{kind.replace(' ', '-')}-without-a-name"
        unnamed.write_bytes((MAIL / source).read_bytes())
        found, parts = read_source(unnamed, year=None, today=TODAY)
        assert found == kind
        assert any(part.digest for part in parts)


def test_the_same_digest_as_email_then_text_is_already_imported(library):
    first = library.import_files([MAIL / "digest_apr02.eml"], today=TODAY)
    assert first.files[0].status == IMPORTED and first.files[0].kind == EMAIL
    assert first.files[0].describe_kind == "e-mail"
    again = library.import_files([DIGESTS[0], MAIL / "digest_apr02.html",
                                  MAIL / "digest_apr02-html-only.eml"], today=TODAY)
    assert [f.status for f in again.files] == [ALREADY_IMPORTED] * 3
    assert library.papers.stats().papers == 4 and library.papers.stats().digests == 1


def test_a_mailbox_imports_each_digest_and_skips_other_messages_with_a_line_each(library):
    result = library.import_files([MAIL / "apr02-apr03.mbox", MAIL / "apr05.mbox"],
                                  today=TODAY)
    first, second = result.files
    assert (first.kind, first.status, first.digests, first.new, first.seen) == (
        MAILBOX, IMPORTED, 2, 6, 2)
    assert first.describe_kind == "mailbox: 2 digests, 1 message skipped"
    assert first.skipped == [
        "message 2 (“Re: Daily Papers”): no date line and no paper with an abstract"]
    # the second mailbox holds apr05 twice (HTML only, then text): once imported
    assert (second.status, second.digests, second.new, len(second.skipped)) == (
        IMPORTED, 2, 2, 1)
    assert second.skipped[0].startswith("message 1 (“Weekly newsletter”)")
    stats = library.papers.stats()
    assert (stats.papers, stats.appearances, stats.digests) == (8, 11, 3)  # as the .txt files


def test_a_folder_imports_every_kind_of_digest_file(library, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("digest_apr02.eml", "apr02-apr03.mbox", "digest_apr05.html"):
        (folder / name).write_bytes((MAIL / name).read_bytes())
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a digest file: not picked up
    result = library.import_files([folder], today=TODAY)
    assert sorted(f.path.name for f in result.files) == [
        "apr02-apr03.mbox", "digest_apr02.eml", "digest_apr05.html"]
    assert library.papers.stats().digests == 3


def message(body: str | bytes, *, subtype="plain", charset="utf-8", date_header=True) -> bytes:
    msg = EmailMessage()
    msg["From"] = "digest@papers.example.org"
    msg["Subject"] = "Daily Papers"
    if date_header:
        msg["Date"] = "Mon, 18 Mar 2026 08:00:00 +0000"
    if isinstance(body, bytes):
        msg.set_content(body, maintype="text", subtype=subtype, cte="base64")
        msg.replace_header("Content-Type", f"text/{subtype}; charset=\"{charset}\"")
    else:
        msg.set_content(body, subtype=subtype, charset=charset, cte="quoted-printable")
    return bytes(msg)


def test_a_body_without_a_date_line_takes_the_date_header(tmp_path):
    text = DIGESTS[0].read_text(encoding="utf-8").replace("\nApr 2\n", "\n")
    path = tmp_path / "no-date-line.eml"
    path.write_bytes(message(text))
    digest = only_digest(path)
    assert digest.date == date(2026, 3, 18)
    assert papers(digest) == papers(parse(DIGESTS[0].read_bytes(), reference=TODAY))
    assert digest.warnings == ()  # the header lines are not papers


def test_a_wrong_charset_label_falls_back_as_the_text_importer_does(tmp_path):
    text = DIGESTS[0].read_text(encoding="utf-8").replace("Sparse", "Über-sparse")
    path = tmp_path / "latin1-labelled-utf8.eml"
    path.write_bytes(message(text.encode("cp1252"), charset="x-no-such-charset"))
    digest = only_digest(path)
    assert digest.entries[0].title.startswith("Über-sparse Mixture")


@pytest.mark.parametrize("data, reason", [
    (message("Thanks, see you at the reading group.\n"), "no date line and no paper"),
    (message("", subtype="plain"), "holds no text"),
    (b"From: a@b\nSubject: cut\nContent-Type: multipart/mixed; boundary=x\n\n--x\n",
     "holds no text"),
    (b"From: a@b\nSubject: a photo\nContent-Type: image/png\n"
     b"Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n", "without a text or HTML part"),
])
def test_an_email_without_a_digest_is_rejected_with_one_line(library, tmp_path, data, reason):
    path = tmp_path / "message.eml"
    path.write_bytes(data)
    result = library.import_files([path], today=TODAY).files[0]
    assert result.status == REJECTED and reason in result.error and "\n" not in result.error
    assert library.papers.stats().papers == 0


def test_a_truncated_message_keeps_what_it_holds_or_says_why(library, tmp_path):
    data = (MAIL / "digest_apr02.eml").read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 200):
        path = tmp_path / f"cut-{cut}.eml"
        path.write_bytes(data[:cut])
        result = library.import_files([path], today=TODAY).files[0]
        assert result.status in (IMPORTED, ALREADY_IMPORTED, REJECTED)
        assert result.status != REJECTED or "\n" not in result.error


def test_a_page_without_papers_is_rejected_and_scripts_never_count(library, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><script>var s = 'Apr 2';</script></head><body><nav>Apr 2"
                    "</nav><p>Nothing to read here.</p></body></html>", encoding="utf-8")
    result = library.import_files([page], today=TODAY).files[0]
    assert result.status == REJECTED and result.error.startswith("no date line")


def test_html_to_text_keeps_link_addresses_in_paragraphs_and_decodes_entities():
    text = html_to_text('<h2><a href="https://p.example/1">A &amp; B: Title</a></h2>'
                        '<p>See <a href="https://github.com/x/y">the code</a> &lt;here&gt;.'
                        '</p><footer>© us</footer><style>p{}</style>')
    assert text == "A & B: Title\n\nSee the code (https://github.com/x/y) <here>.\n"


def test_a_large_mailbox_is_read_one_message_at_a_time(library, tmp_path):
    big = tmp_path / "archive.mbox"
    filler = reply_with_attachment(20 * 1024 * 1024)  # one 20 MB message, not a digest
    texts = [p.read_text(encoding="utf-8") for p in DIGESTS]
    digest_formats.write_mbox(big, [digest_formats.to_email(texts[0]), filler,
                                    digest_formats.to_email(texts[1])])
    assert big.stat().st_size > 20 * 1024 * 1024
    tracemalloc.start()
    try:
        result = library.import_files([big], today=TODAY).files[0]
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.status, result.digests) == (IMPORTED, 2)
    assert result.skipped == ["message 2: too large for a digest"]
    assert peak < 16 * 1024 * 1024  # less than the one large message, let alone the file


def reply_with_attachment(size: int) -> bytes:
    line = b"x" * 76 + b"\n"
    return (b"From: someone@example.org\nSubject: big\nContent-Type: text/plain\n\n"
            + line * (size // len(line)))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_messages_never_break_the_import(tmp_path_factory, data):
    original = (MAIL / data.draw(st.sampled_from(
        ["digest_apr02.eml", "digest_apr03-html-only.eml", "apr05.mbox"]))).read_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 6))):
        where = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "drop"]))
        if action == "flip" and mutated:
            mutated[where] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del mutated[where:]
        elif action == "insert":
            mutated[where:where] = data.draw(st.binary(max_size=40))
        elif mutated:
            del mutated[where: where + data.draw(st.integers(1, 400))]
    folder = tmp_path_factory.mktemp("mutated")
    path = folder / ("mutated.mbox" if original.startswith(b"From ") else "mutated.eml")
    path.write_bytes(bytes(mutated))
    from readinglist.core.library import Library

    with Library.open(folder / "lib") as library:
        result = library.import_files([path], today=TODAY).files[0]
        assert result.status in (IMPORTED, ALREADY_IMPORTED, REJECTED)
        if result.status == REJECTED:
            assert result.error and "\n" not in result.error
        assert all("\n" not in line for line in result.skipped)
        assert library.maintenance.check().ok


def test_the_real_digests_as_email_mailbox_and_page_give_the_same_library(
        shared_digests, tmp_path):
    from readinglist.core.library import Library

    texts = [p.read_text(encoding="utf-8") for p in sorted(shared_digests.glob("*.txt"))]
    forms = tmp_path / "forms"
    forms.mkdir()
    for number, text in enumerate(texts):
        (forms / f"{number}.eml").write_bytes(digest_formats.to_email(text))
        (forms / f"{number}.html").write_text(digest_formats.to_html(text), encoding="utf-8")
    digest_formats.write_mbox(forms / "all.mbox", [digest_formats.reply()] + [
        digest_formats.to_email(text, html_only=True) for text in texts])
    for pattern in ("*.eml", "*.html", "*.mbox"):
        with Library.open(tmp_path / pattern.strip("*.")) as library:
            library.import_files(sorted(forms.glob(pattern)))
            stats = library.papers.stats()
            assert (stats.papers, stats.appearances, stats.digests) == (223, 263, 3), pattern


def _alternative(plain: str, html: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Daily Papers"
    message["Date"] = "Thu, 02 Apr 2026 07:00:00 +0000"
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    return bytes(message)


def test_the_plain_part_is_read_when_a_message_has_both(tmp_path):
    text = DIGESTS[0].read_text(encoding="utf-8")
    html = ("<html><body><p>Apr 2</p><h3>Only In The HTML Part Of The Message</h3><p>"
            + "An abstract that only the HTML alternative carries. " * 4 + "</p></body></html>")
    path = tmp_path / "both.eml"
    path.write_bytes(_alternative(text, html))
    digest = only_digest(path)
    assert papers(digest) == papers(parse(DIGESTS[0].read_bytes(), reference=TODAY))


def test_a_message_with_crlf_line_ends_reads_as_with_lf(tmp_path):
    lf = (MAIL / "digest_apr02.eml").read_bytes().replace(b"\r\n", b"\n")
    crlf = tmp_path / "crlf.eml"
    crlf.write_bytes(lf.replace(b"\n", b"\r\n"))
    plain = tmp_path / "lf.eml"
    plain.write_bytes(lf)
    assert papers(only_digest(crlf)) == papers(only_digest(plain))
    assert only_digest(crlf).date == only_digest(plain).date


def test_a_mailbox_message_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not(
        tmp_path, monkeypatch):
    from readinglist.core.sources import mail

    monkeypatch.setattr(mail, "MAX_BYTES", 400)
    body = b"Subject: s\n\n"
    exact = body + b"x" * (400 - len(body) - 1) + b"\n"
    over = body + b"x" * (400 - len(body)) + b"\n"
    assert len(exact) == 400 and len(over) == 401
    path = tmp_path / "sizes.mbox"
    path.write_bytes(b"From a@b Thu Jan  1 00:00:00 2026\n" + exact + b"\n"
                     b"From a@b Thu Jan  1 00:00:00 2026\n" + over)
    sizes = [None if data is None else len(data) for _n, data in mail.mailbox_messages(path)]
    assert sizes == [400, None]


def test_a_script_or_a_menu_with_tags_inside_stays_out_of_the_page():
    page = ("<html><body><p>Apr 2</p><script>var s = '</b> leaked into the digest';"
            "if (a < b) { s += '</p> more'; }</script>"
            "<nav><p>Home <b>Papers</b> menu words</p></nav><p>After the script</p></body></html>")
    text = html_to_text(page)
    assert "leaked" not in text and "more" not in text and "menu words" not in text
    assert text.split("\n\n") == ["Apr 2", "After the script\n"]


def test_a_message_with_crlf_line_ends_and_no_name_is_known_as_an_email(tmp_path):
    message = (MAIL / "digest_apr02.eml").read_bytes().replace(b"\r\n", b"\n")
    path = tmp_path / "saved-message"
    path.write_bytes(message.replace(b"\n", b"\r\n"))
    kind, _parts = read_source(path, year=None, today=TODAY)
    assert kind == EMAIL
