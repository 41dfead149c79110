"""arXiv's API, asked politely: papers by id (up to 100 in one request) or by
exact title, answered as `Reference`s.

Its terms are kept: one request at a time, at least the interval apart (3 s
for arXiv itself), a User-Agent that says who asks, and retries with
back-off when the service is busy (503) or slow. The answer is Atom, read
with feedparser. The address is a setting, so tests point it at a server on
this machine; nothing here runs unless a person asks for a lookup.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from readinglist import __version__
from readinglist.core.sources.references import (
    InvalidMetadata,
    Metadata,
    Reference,
    clean_text,
    iso_date,
    match_key,
    normal_doi,
    parse_name,
    split_arxiv_id,
)

USER_AGENT = (f"Readinglist/{__version__} (a desktop reading-list manager; looks up the "
              "papers a person asks for, one request every few seconds)")
BATCH = 100  # ids in one request
RETRIES = 3
MAX_BYTES = 20 * 1024 * 1024  # an answer larger than this is not one


class LookupUnavailable(Exception):
    """The service cannot be reached or refuses: one line, nothing changed."""


class Cancelled(Exception):
    """The person cancelled the lookup."""


@dataclass
class Pace:
    """At least ``interval`` seconds between the starts of two requests, in this
    process, whichever lookup makes them."""

    interval: float
    _last: float = -1e9
    _lock: threading.Lock = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def wait(self, cancelled: Callable[[], bool]) -> None:
        with self._lock:
            while True:
                # Asked before the pace allows a request too: on a slow machine the
                # interval may be over before the person's cancel is looked at.
                if cancelled():
                    raise Cancelled
                left = self._last + self.interval - time.monotonic()
                if left <= 0:
                    break
                time.sleep(min(left, 0.1))
            self._last = time.monotonic()


class ArxivClient:
    def __init__(self, address: str, interval: float, timeout: float,
                 cancelled: Callable[[], bool] = lambda: False):
        self.address = address
        self.pace = Pace(interval)
        self.timeout = timeout
        self.cancelled = cancelled
        self.requests = 0  # made so far (for reports and tests)

    # -- questions ----------------------------------------------------------------------------
    def by_ids(self, ids: Sequence[str]) -> dict[str, Reference]:
        """{arXiv id: its reference} for the ids arXiv knows (versions dropped)."""
        found: dict[str, Reference] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), BATCH):
            chunk = unique[start:start + BATCH]
            for reference in self._ask({"id_list": ",".join(chunk),
                                        "max_results": str(len(chunk))}):
                found[reference.metadata.arxiv_id] = reference
        return found

    def by_title(self, title: str) -> list[Reference]:
        """The papers whose title is this one (a normalised match: case,
        punctuation, accents, LaTeX); none, one, or several."""
        words = match_key(title).split()
        if not words:
            return []
        query = "ti:\"" + " ".join(words) + "\""
        answers = self._ask({"search_query": query, "max_results": "10"})
        wanted = match_key(title)
        return [r for r in answers if match_key(r.title) == wanted]

    # -- asking ---------------------------------------------------------------------------------
    def _ask(self, params: dict[str, str]) -> list[Reference]:
        url = f"{self.address}?{urllib.parse.urlencode(params)}"
        delay = max(self.pace.interval, 1.0)
        for attempt in range(RETRIES):
            self.pace.wait(self.cancelled)
            self.requests += 1
            try:
                return parse_feed(self._get(url))
            except _TryAgain as busy:
                if attempt == RETRIES - 1:
                    raise LookupUnavailable(f"arXiv did not answer after {RETRIES} tries "
                                            f"({busy})") from None
                self._sleep(delay * (attempt + 1))
        raise AssertionError("unreachable")

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in (429, 500, 502, 503, 504):
                raise _TryAgain(f"HTTP {exc.code}") from None
            raise LookupUnavailable(f"arXiv refused the request (HTTP {exc.code})") from None
        except TimeoutError:
            raise _TryAgain(f"no answer in {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _TryAgain(f"no answer in {self.timeout:g} s") from None
            raise LookupUnavailable(f"arXiv cannot be reached ({exc.reason}); are you "
                                    "offline?") from None
        except OSError as exc:
            raise LookupUnavailable(f"arXiv cannot be reached ({exc}); are you offline?") \
                from None
        if len(data) > MAX_BYTES:
            raise LookupUnavailable("arXiv's answer was too large to be one")
        return data

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.cancelled():
                raise Cancelled
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))


class _TryAgain(Exception):
    pass


def parse_feed(data: bytes) -> list[Reference]:
    """arXiv's Atom answer as references; LookupUnavailable for an error answer."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.get("bozo") and not feed.entries:
        raise LookupUnavailable("arXiv's answer could not be read")
    references = []
    for item in feed.entries:
        if "/api/errors" in item.get("id", ""):
            raise LookupUnavailable(f"arXiv said: {clean_text(item.get('summary', ''))[:120]}")
        reference = _reference(item)
        if reference is not None:
            references.append(reference)
    return references


def _reference(item) -> Reference | None:
    try:
        arxiv_id, version = split_arxiv_id(item.get("id", ""))
    except InvalidMetadata:
        return None
    year, month, day = iso_date(item.get("published", "")[:10])
    doi = None
    if item.get("arxiv_doi"):
        try:
            doi = normal_doi(item["arxiv_doi"])
        except InvalidMetadata:
            doi = None
    authors = tuple(parse_name(a["name"]) for a in item.get("authors", []) if a.get("name"))
    pdf = next((link.get("href") for link in item.get("links", [])
                if link.get("title") == "pdf" or link.get("type") == "application/pdf"), None)
    journal = clean_text(item.get("arxiv_journal_ref", "")) or None
    metadata = Metadata(
        authors=authors, year=year, month=month, date=day,
        entry_type="misc" if journal is None else None,
        venue=journal, doi=doi, arxiv_id=arxiv_id, arxiv_version=version,
        arxiv_category=(item.get("arxiv_primary_category") or {}).get("term"),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=(pdf.replace("http://", "https://") if pdf else None))
    return Reference(clean_text(item.get("title", "")), metadata,
                     clean_text(item.get("summary", "")), None, f"arXiv:{arxiv_id}")

