"""A text digest as it also arrives: an e-mail, a mailbox, a saved web page.

Used to write the fixtures of tests/fixtures/mail/ and, in tests, to turn the
real digests of ../shared/digests/ into those forms.
"""

from __future__ import annotations

import hashlib
import html
import mailbox
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from readinglist.core.sources.digest import parse

SENT = datetime(2026, 4, 2, 7, 30, tzinfo=UTC)


def _date_line(text: str) -> str:
    from readinglist.core.sources.digest import _parse_date_line  # the parser's own rule

    return next(line.strip() for line in text.splitlines() if _parse_date_line(line))


def to_html(text: str) -> str:
    """A web page as a browser saves it: header, navigation, the papers, a footer."""
    digest = parse(text.encode("utf-8"), year=2026)
    articles = []
    for number, entry in enumerate(digest.entries, start=1):
        abstract = html.escape(entry.abstract, quote=False)
        for link in dict.fromkeys(entry.links):
            escaped = html.escape(link, quote=False)
            abstract = abstract.replace(
                escaped, f'<a href="{html.escape(link)}">{escaped}</a>')
        articles.append(
            f'<article class="paper">\n  <h3><a href="https://papers.example.org/{number}">'
            f"{html.escape(entry.title, quote=False)}</a></h3>\n"
            f"  <p>{abstract}</p>\n</article>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Daily Papers</title>\n<style>body { font-family: sans-serif; }</style>\n"
        "<script>window.track = function () { return 'Daily Papers'; };</script></head>\n"
        "<body>\n<nav><a href=\"/\">Home</a> · <a href=\"/papers\">Papers</a> · "
        "<a href=\"/login\">Sign in</a></nav>\n"
        "<header><h1>Daily Papers</h1><p>Get trending papers in your email inbox!</p></header>"
        f"\n<main>\n<p class=\"date\">{html.escape(_date_line(text))}</p>\n"
        + "\n".join(articles)
        + "\n</main>\n<footer><p>Unsubscribe · Privacy &amp; terms · © 2026</p></footer>\n"
        "<script>track();</script>\n</body></html>\n"
    )


def to_email(text: str, *, html_only: bool = False, sent: datetime | None = None) -> bytes:
    """A digest e-mail: multipart/alternative (quoted-printable text, HTML) or HTML
    only; sent in the morning of the digest's day unless ``sent`` says otherwise."""
    if sent is None:
        day = parse(text.encode("utf-8"), year=SENT.year).date
        sent = SENT.replace(month=day.month, day=day.day)
    message = EmailMessage()
    message["From"] = "Daily Papers <digest@papers.example.org>"
    message["To"] = "reader@example.org"
    message["Subject"] = f"Daily Papers: {_date_line(text)}"
    message["Date"] = format_datetime(sent)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    message["Message-ID"] = f"<{digest}.{int(html_only)}@papers.example.org>"
    if html_only:
        message.set_content(to_html(text), subtype="html", cte="quoted-printable")
    else:
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(to_html(text), subtype="html", cte="quoted-printable")
        message.set_boundary(f"=_readinglist_{digest}")  # the same bytes every time
    return bytes(message)


def reply(subject: str = "Re: Daily Papers") -> bytes:
    """A message that is not a digest."""
    message = EmailMessage()
    message["From"] = "A Colleague <colleague@example.org>"
    message["To"] = "reader@example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT)
    message.set_content("Thanks for the list! The second paper looks good.\n\nSee you at the "
                        "reading group.\n")
    return bytes(message)


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(str(path))
    try:
        for data in messages:
            message = mailbox.mboxMessage(data)
            message.set_from("digest@papers.example.org", SENT.timetuple())  # fixed bytes
            box.add(message)
        box.flush()
    finally:
        box.close()
    return path


def write_fixtures(fixtures: Path) -> None:
    """tests/fixtures/mail/ from the three fixture digests."""
    out = fixtures / "mail"
    out.mkdir(exist_ok=True)
    texts = {}
    for name in ("digest_apr02", "digest_apr03", "digest_apr05"):
        text = (fixtures / f"{name}.txt").read_text(encoding="utf-8")
        texts[name] = text
        (out / f"{name}.eml").write_bytes(to_email(text))
        (out / f"{name}-html-only.eml").write_bytes(to_email(text, html_only=True))
        (out / f"{name}.html").write_text(to_html(text), encoding="utf-8")
    for leftover in out.glob("*.mbox"):
        leftover.unlink()
    write_mbox(out / "apr02-apr03.mbox", [to_email(texts["digest_apr02"]), reply(),
                                          to_email(texts["digest_apr03"])])
    write_mbox(out / "apr05.mbox", [reply("Weekly newsletter"),
                                    to_email(texts["digest_apr05"], html_only=True),
                                    to_email(texts["digest_apr05"])])


if __name__ == "__main__":
    write_fixtures(Path(__file__).parent / "fixtures")
