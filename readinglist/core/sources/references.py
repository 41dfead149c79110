"""A bibliographic reference as files and services describe a paper: its
authors, dates, venue and identifiers (`Metadata`), and the checks and
normal forms every source of them shares.

Pure: no file, no database, no network.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date

ENTRY_TYPES = ("article", "inproceedings", "misc", "book", "incollection", "phdthesis",
               "mastersthesis", "techreport", "unpublished")
# What other vocabularies call them (BibLaTeX, CSL, RIS), in our words.
TYPE_ALIASES = {
    "online": "misc", "preprint": "misc", "report": "techreport", "thesis": "phdthesis",
    "conference": "inproceedings", "proceedings": "inproceedings", "inbook": "incollection",
    "article-journal": "article", "paper-conference": "inproceedings", "chapter": "incollection",
    "manuscript": "unpublished", "jour": "article", "conf": "inproceedings",
    "cpaper": "inproceedings", "chap": "incollection", "rprt": "techreport", "gen": "misc",
    "elec": "misc", "unpb": "unpublished", "web": "misc", "ejour": "article",
}
FIRST_YEAR = 1600


class InvalidMetadata(ValueError):
    """A value that is not what its field holds (a year of 3015, a DOI without 10.)."""


@dataclass(frozen=True)
class Name:
    """One author: family and given names apart, as BibTeX keeps them; a
    corporate name ("OpenAI", "The Gemini Team") is one literal, never split."""

    family: str
    given: str = ""
    suffix: str = ""  # Jr., III
    literal: bool = False

    def display(self) -> str:
        """"Oriol Vinyals", "OpenAI"."""
        if self.literal:
            return self.family
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)

    def to_json(self) -> dict:
        found = {"family": self.family}
        found.update({k: v for k, v in (("given", self.given), ("suffix", self.suffix)) if v})
        if self.literal:
            found["literal"] = True
        return found

    @classmethod
    def from_json(cls, value: dict) -> Name:
        return cls(str(value.get("family", "")), str(value.get("given", "")),
                   str(value.get("suffix", "")), bool(value.get("literal", False)))


@dataclass(frozen=True)
class Metadata:
    """What a reference says of a paper beyond its title and abstract. A field
    left as None (or an empty tuple of authors) is not known."""

    authors: tuple[Name, ...] = ()
    year: int | None = None
    month: int | None = None
    date: str | None = None  # ISO YYYY-MM-DD, when the day is known
    entry_type: str | None = None
    venue: str | None = None  # journal, or the booktitle of proceedings
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None  # without its version: 1511.06391
    arxiv_version: int | None = None
    arxiv_category: str | None = None  # the primary one: cs.LG
    url: str | None = None
    pdf_url: str | None = None

    def known(self) -> dict[str, object]:
        """The fields this reference knows, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, "", ())}

    def merged(self, values: dict[str, object]) -> Metadata:
        return replace(self, **values)


METADATA_FIELDS = tuple(f.name for f in fields(Metadata))


@dataclass(frozen=True)
class Reference:
    """One entry of a bibliography file, or one answer of a service."""

    title: str
    metadata: Metadata = field(default_factory=Metadata)
    abstract: str = ""
    key: str | None = None  # the file's own citation key, if it has one
    where: str = ""  # "line 12", "entry 3": for messages


# -- normal forms ------------------------------------------------------------------------------
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?$")
_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE)


def normal_doi(text: str) -> str:
    """``10.1234/abc`` from a DOI as written ("doi:10…", "https://doi.org/10…");
    InvalidMetadata when it is none."""
    doi = _DOI_PREFIX.sub("", text.strip())
    if not _DOI.match(doi):
        raise InvalidMetadata(f"not a DOI: {text.strip()!r} (a DOI starts with 10. and a "
                              "registrant, such as 10.48550/arXiv.1511.06391)")
    return doi


def split_arxiv_id(text: str) -> tuple[str, int | None]:
    """(the id without version, the version or None) from an arXiv id as written
    ("arXiv:1511.06391v4", "https://arxiv.org/abs/1511.06391", "hep-th/9901001")."""
    value = _ARXIV_PREFIX.sub("", text.strip())
    value = value.removesuffix(".pdf")
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(value)
        if match and (pattern is _ARXIV_OLD or _new_style_ok(match.group(1))):
            return match.group(1), int(match.group(2)) if match.group(2) else None
    raise InvalidMetadata(f"not an arXiv id: {text.strip()!r} (such as 1511.06391 or "
                          "1511.06391v4)")


def parse_name(text: str) -> Name:
    """An author as a person types one: "Vinyals, Oriol", "Oriol Vinyals",
    "Kaiser, Łukasz", "King, Jr., Martin", or "{OpenAI}" for a corporate name."""
    value = " ".join(text.split())
    if not value:
        raise InvalidMetadata("an empty author name")
    if value.startswith("{") and value.endswith("}"):
        return Name(value[1:-1].strip(), literal=True)
    parts = [p.strip() for p in value.split(",")]
    if len(parts) >= 2 and parts[0]:
        return Name(parts[0], parts[-1], ", ".join(parts[1:-1]))
    words = value.split()
    if len(words) == 1:
        return Name(words[0])
    return Name(words[-1], " ".join(words[:-1]))


def _new_style_ok(arxiv_id: str) -> bool:
    """YYMM.NNNN from April 2007 to 2014, YYMM.NNNNN since January 2015."""
    yymm, number = arxiv_id.split(".")
    month = int(yymm[2:])
    if not 1 <= month <= 12 or int(yymm) < 704:
        return False
    return len(number) == (5 if int(yymm) >= 1501 else 4)


def check_year(year: int, today: date | None = None) -> int:
    latest = (today or date.today()).year + 1
    if not FIRST_YEAR <= year <= latest:
        raise InvalidMetadata(f"year {year} is not between {FIRST_YEAR} and {latest}")
    return year


def year_of(text: str) -> int | None:
    """The year in a date as files write it ("2015", "2015-11-19", "2015/11"), or None."""
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", text or "")
    if not match:
        return None
    try:
        return check_year(int(match.group(1)))
    except InvalidMetadata:
        return None


def iso_date(text: str) -> tuple[int | None, int | None, str | None]:
    """(year, month, ISO date when the day is known) from a date as written."""
    match = re.match(r"^\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", text or "")
    if not match:
        return year_of(text), None, None
    year = year_of(match.group(1))
    month = int(match.group(2)) if match.group(2) and 1 <= int(match.group(2)) <= 12 else None
    day = None
    if month and match.group(3):
        try:
            day = date(year or 1, month, int(match.group(3))).isoformat()
        except ValueError:
            day = None
    return year, month, day if year else None


def entry_type(text: str | None) -> str | None:
    if not text:
        return None
    value = text.strip().lower()
    value = TYPE_ALIASES.get(value, value)
    return value if value in ENTRY_TYPES else "misc"


_LATEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHcdbkrt]\s*\{?([A-Za-z])\}?")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")


def match_key(title: str) -> str:
    """The form two titles share when they name the same paper, however a file
    writes them: case, punctuation, LaTeX braces and commands, accents, Unicode
    width, a trailing period."""
    text = _LATEX_ACCENT.sub(r"\1", title)
    text = _LATEX_COMMAND.sub(" ", text)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    folded = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(folded.split())


def clean_text(text: object) -> str:
    """One line of text from whatever a file holds: whitespace folded, control
    characters dropped."""
    value = "" if text is None else str(text)
    value = "".join(ch for ch in value if ch in "\t\n" or unicodedata.category(ch) != "Cc")
    return " ".join(value.split())
