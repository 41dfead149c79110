"""Hostile input costs time in proportion to its size, and each kind has a cap
said in one line: HTML with unclosed tags, a mailbox of messages of one day, an
e-mail of countless MIME parts, a mailbox of countless messages. Growth is
measured by ratio (`tests.growth`), never against a wall-clock figure."""

from __future__ import annotations

from email.message import EmailMessage

from readinglist.core.sources import mail
from readinglist.core.sources.html_text import html_to_text
from readinglist.core.views import IMPORTED, REJECTED
from tests import digest_formats
from tests.growth import assert_linear


def test_html_with_unclosed_tags_takes_linear_time():
    for piece in ("<a", "<a href='", "<div>", "<p><b", "&#"):
        assert_linear(lambda n, piece=piece: piece * n, html_to_text, 20_000)


def test_an_html_page_still_reads_as_its_blocks():
    page = ("<html><body><nav>Home</nav><h3><a href='https://x.org/1'>A Title</a></h3>"
            "<p>Some <b>bold</b> words &amp; a <a href='https://code.example.org'>repo</a>"
            "<br>more</p><script>ignored()</script><!-- a comment --></body></html>")
    assert html_to_text(page) == ("A Title\n\nSome bold words & a repo "
                                  "(https://code.example.org) more\n")


def _digest(day: int, number: int, papers: int = 2) -> str:
    entries = "\n\n".join(
        f"Study {number}-{k} of Something\n\nAn abstract of study {number}-{k} that says "
        "what it found, in a sentence or two." for k in range(papers))
    return f"Daily Papers\n\nApr {day}\n\n{entries}\n"


def _mailbox(tmp_path, count: int):
    path = tmp_path / f"day-{count}.mbox"
    path.unlink(missing_ok=True)  # (mailbox.mbox appends to a file that is there)
    digest_formats.write_mbox(path, [digest_formats.to_email(_digest(2, n))
                                     for n in range(count)])
    return path


def test_a_mailbox_of_one_days_messages_imports_in_linear_time(tmp_path):
    from readinglist.core.library import Library

    runs = [0]

    def import_fresh(path):
        runs[0] += 1
        with Library.open(tmp_path / f"lib-{runs[0]}", backup=False) as library:
            result = library.import_files([path])
            assert result.files[0].digests == int(path.stem.split("-")[1])

    assert_linear(lambda n: _mailbox(tmp_path, n), import_fresh, 50, at_least=0.3,
                  largest=200)


def test_an_email_of_countless_parts_is_one_line(library, tmp_path):
    message = EmailMessage()
    message["Subject"] = "Daily Papers"
    message.set_content(_digest(2, 1))
    data = bytes(message).replace(b"Content-Type: text/plain",
                                  b'Content-Type: multipart/mixed; boundary="b"', 1)
    data += b"\n" + b"--b\n\n" * 800_000 + b"--b--\n"
    path = tmp_path / "parts.eml"
    path.write_bytes(data)
    [result] = library.import_files([path]).files
    assert result.status == REJECTED
    assert result.error == "an e-mail of more than 1,000 MIME parts is not a digest"
    assert library.papers.stats().papers == 0


def test_a_mailbox_past_the_cap_imports_the_first_messages_and_says_so(library, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setattr(mail, "MAX_MESSAGES", 3)
    digest_formats.write_mbox(tmp_path / "many.mbox", [
        digest_formats.to_email(_digest(day, day)) for day in range(2, 8)])
    [result] = library.import_files([tmp_path / "many.mbox"]).files
    assert result.status == IMPORTED and result.digests == 3
    assert result.skipped == ["the mailbox holds more than 3 messages: the first 3 were read"]


def test_a_mailbox_line_escaped_as_from_loses_one_angle(library, tmp_path):
    text = ("Daily Papers\n\nApr 2\n\nSequence Models Revisited\n\nWe revisit sequence "
            "models for long inputs.\nFrom there we study the effect of depth,\n>From here "
            "on we quote.\n")
    # as a mail program writes it (mboxrd): every line starting with ">*From " gets a ">"
    escaped = text.replace("\nFrom there", "\n>From there").replace("\n>From here",
                                                                  "\n>>From here")
    path = tmp_path / "escaped.mbox"
    path.write_text("From digest@papers.example.org Thu Apr  2 07:30:00 2026\n"
                    "Subject: Daily Papers: Apr 2\nContent-Type: text/plain; charset=utf-8\n\n"
                    + escaped + "\n")
    library.import_files([path])
    [paper] = library.papers.list(limit=None)
    assert "long inputs. From there we study the effect of depth, >From here on we quote." \
        in paper.abstract
