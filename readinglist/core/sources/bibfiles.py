"""Bibliography files as references: BibTeX / BibLaTeX (``.bib``, with
bibtexparser 2), RIS (``.ris``, with rispy) and CSL-JSON (``.json``).

Each reader takes the file's text and returns its `Reference`s; a file that
is not whole (unbalanced braces, a field of megabytes, binary, more entries
than any bibliography has) raises `BibliographyError` with one line saying
why, and none of it is used. LaTeX in titles and names is decoded to Unicode
(``{\\"u}`` → ü), so a title matches the digest's however the file spells it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from readinglist.core.sources.references import (
    InvalidMetadata,
    Metadata,
    Name,
    Reference,
    clean_text,
    entry_type,
    iso_date,
    normal_doi,
    split_arxiv_id,
    year_of,
)

MAX_FIELD = 200_000  # characters: an abstract is a few thousand
MAX_ENTRIES = 100_000
BIB, RIS, CSL = "BibTeX", "RIS", "CSL-JSON"
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


class BibliographyError(ValueError):
    """The file cannot be read as a bibliography; one line says why."""


def read(kind: str, text: str) -> list[Reference]:
    readers: dict[str, Callable[[str], list[Reference]]] = {
        BIB: read_bibtex, RIS: read_ris, CSL: read_csl_json}
    references = readers[kind](text)
    if len(references) > MAX_ENTRIES:
        raise BibliographyError(f"{len(references)} entries: more than any bibliography "
                                f"holds (at most {MAX_ENTRIES})")
    return references


# -- BibTeX / BibLaTeX -------------------------------------------------------------------------
def read_bibtex(text: str) -> list[Reference]:
    import bibtexparser
    from bibtexparser.middlewares import names as bibnames

    _check_sizes(text)
    quiet = logging.getLogger("bibtexparser")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its warnings are ours to say, in one line
    try:
        library = bibtexparser.parse_string(text)
    finally:
        quiet.setLevel(level)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise BibliographyError(f"line {block.start_line + 1}: an entry that is not whole "
                                f"({_reason(block)}); nothing was imported")
    references = []
    for entry in library.entries:
        if entry.entry_type.lower() in ("comment", "preamble", "string"):
            continue
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        where = f"line {entry.start_line + 1}"
        authors = tuple(_bib_name(raw, bibnames) for raw in
                        bibnames.split_multiple_persons_names(fields.get("author", ""))
                        if raw.strip())
        references.append(_bib_reference(fields, entry.entry_type, entry.key, authors, where))
    return references


def _reason(block) -> str:
    lines = [line.strip() for line in str(getattr(block, "error", "") or "").splitlines()]
    lines = [line for line in lines if line]
    text = lines[-1] if lines else "its braces or quotes do not close"
    return clean_text(text).rstrip(". ")[:120] or "unreadable"


def _bib_reference(fields: dict[str, str], kind: str, key: str,
                   authors: tuple[Name, ...], where: str) -> Reference:
    year, month, day = iso_date(_latex(fields.get("date", "")))
    year = year_of(fields.get("year", "")) or year
    month = _month(fields.get("month", "")) or month
    arxiv = _arxiv(fields)
    doi = _doi(fields.get("doi", ""))
    metadata = Metadata(
        authors=authors, year=year, month=month, date=day,
        entry_type=entry_type(kind),
        venue=_latex(fields.get("journal") or fields.get("journaltitle")
                     or fields.get("booktitle") or "") or None,
        volume=_plain(fields.get("volume")), number=_plain(fields.get("number")),
        pages=_plain((fields.get("pages") or "").replace("--", "–")),
        publisher=_latex(fields.get("publisher") or fields.get("institution")
                         or fields.get("school") or "") or None,
        doi=doi, arxiv_id=arxiv[0], arxiv_version=arxiv[1],
        arxiv_category=_plain(fields.get("primaryclass") or fields.get("eprintclass")),
        url=_plain(fields.get("url")),
        pdf_url=_plain(fields.get("pdf") or fields.get("file_url")))
    return Reference(_latex(fields.get("title", "")), metadata,
                     _latex(fields.get("abstract", "")), key or None, where)


def _arxiv(fields: dict[str, str]) -> tuple[str | None, int | None]:
    eprint = fields.get("eprint", "")
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    candidates = [eprint] if eprint and archive in ("arxiv", "") else []
    for name in ("url", "journal", "note", "howpublished"):  # Google Scholar, dblp
        found = re.search(r"(?:arxiv\.org/(?:abs|pdf)/|arXiv:\s*)([\w./-]+?)(?:\.pdf)?(?=[\s},]|$)",
                          fields.get(name, ""), re.IGNORECASE)
        if found:
            candidates.append(found.group(1))
    for candidate in candidates:
        try:
            return split_arxiv_id(candidate)
        except InvalidMetadata:
            continue
    return None, None


def _bib_name(raw: str, bibnames) -> Name:
    text = raw.strip()
    if text.startswith("{") and text.endswith("}") and _balanced(text[1:-1]):
        return Name(_latex(text[1:-1]), literal=True)  # {OpenAI}: one corporate name
    try:
        parts = bibnames.parse_single_name_into_parts(text)
    except Exception:  # a name its grammar cannot split: keep it whole
        return Name(_latex(text), literal=True)
    family = _latex(" ".join([*parts.von, *parts.last]))
    given = _latex(" ".join(parts.first))
    suffix = _latex(" ".join(parts.jr))
    if not given and " " in family and len(parts.last) == 1 and parts.last[0].startswith("{"):
        return Name(family, literal=True)  # {The Gemini Team}
    return Name(family, given, suffix)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


_LATEX_SPECIALS = re.compile(r"[\\{}$~]")


def _latex(value: str) -> str:
    """LaTeX as Unicode text: accents, escapes and braces decoded (pylatexenc)."""
    if not value:
        return ""
    if not _LATEX_SPECIALS.search(value):
        return clean_text(value)
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        decoded = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    except Exception:  # text pylatexenc cannot read: its braces dropped, as a style would
        decoded = value.replace("{", "").replace("}", "")
    return clean_text(decoded)


def _plain(value: str | None) -> str | None:
    text = clean_text(value or "").strip("{} ")
    return text or None


def _month(value: str) -> int | None:
    text = value.strip().strip("{}").lower()[:3]
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text)


def _doi(value: str) -> str | None:
    try:
        return normal_doi(value.strip("{} ")) if value.strip() else None
    except InvalidMetadata:
        return None


def _check_sizes(text: str) -> None:
    longest = max((len(part) for part in re.split(r"\n\s*@", text)), default=0)
    if longest > MAX_FIELD + 10_000:
        raise BibliographyError(f"an entry of {longest:,} characters: not a bibliography "
                                f"entry (at most {MAX_FIELD:,} a field)")


# -- RIS ----------------------------------------------------------------------------------------
def read_ris(text: str) -> list[Reference]:
    import rispy

    _check_sizes(text)
    try:
        entries = rispy.loads(text)
    except Exception as exc:  # rispy raises plain errors on a broken file
        raise BibliographyError(f"not a RIS file ({clean_text(exc)[:120]})") from exc
    references = []
    for number, entry in enumerate(entries, 1):
        title = entry.get("title") or entry.get("primary_title") or ""
        year, month, day = iso_date(str(entry.get("date") or entry.get("year") or ""))
        year = year_of(str(entry.get("year") or "")) or year
        authors = tuple(_written_name(a) for a in [*entry.get("authors", []),
                                                   *entry.get("first_authors", [])])
        arxiv = _arxiv({"url": " ".join(entry.get("urls", []) or []),
                        "note": " ".join(entry.get("notes", []) or [])})
        pages = "–".join(p for p in (entry.get("start_page"), entry.get("end_page")) if p)
        metadata = Metadata(
            authors=authors, year=year, month=month, date=day,
            entry_type=entry_type(entry.get("type_of_reference")),
            venue=clean_text(entry.get("journal_name") or entry.get("secondary_title")
                             or entry.get("alternate_title3") or "") or None,
            volume=_plain(entry.get("volume")), number=_plain(entry.get("number")),
            pages=pages or None, publisher=_plain(entry.get("publisher")),
            doi=_doi(str(entry.get("doi") or "")), arxiv_id=arxiv[0], arxiv_version=arxiv[1],
            url=_plain((entry.get("urls") or [None])[0]))
        references.append(Reference(clean_text(title), metadata,
                                    clean_text(entry.get("abstract") or ""), None,
                                    f"entry {number}"))
    return references


def _written_name(text: str) -> Name:
    """A name as RIS writes it: "Family, Given" (or "Family, Given, Suffix")."""
    parts = [p.strip() for p in clean_text(text).split(",")]
    if len(parts) == 1:
        words = parts[0].split()
        return Name(words[-1], " ".join(words[:-1])) if len(words) > 1 else Name(parts[0],
                                                                                literal=True)
    return Name(parts[0], parts[1], ", ".join(parts[2:]))


# -- CSL-JSON -----------------------------------------------------------------------------------
def read_csl_json(text: str) -> list[Reference]:
    _check_sizes(text)
    try:
        items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BibliographyError(f"not a CSL-JSON file ({exc})") from exc
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BibliographyError("not a CSL-JSON file (a list of items is expected)")
    references = []
    for number, item in enumerate(items, 1):
        year, month, day = _csl_date(item.get("issued"))
        authors = tuple(_csl_name(n) for n in item.get("author") or [] if isinstance(n, dict))
        arxiv = _arxiv({"url": str(item.get("URL") or ""), "note": str(item.get("note") or ""),
                        "eprint": str(item.get("arxiv") or "")})
        metadata = Metadata(
            authors=authors, year=year, month=month, date=day,
            entry_type=entry_type(str(item.get("type") or "")),
            venue=clean_text(item.get("container-title") or "") or None,
            volume=_plain(str(item.get("volume") or "")),
            number=_plain(str(item.get("issue") or "")),
            pages=_plain(str(item.get("page") or "").replace("-", "–")),
            publisher=_plain(str(item.get("publisher") or "")),
            doi=_doi(str(item.get("DOI") or "")), arxiv_id=arxiv[0], arxiv_version=arxiv[1],
            url=_plain(str(item.get("URL") or "")))
        references.append(Reference(clean_text(item.get("title") or ""), metadata,
                                    clean_text(item.get("abstract") or ""),
                                    _plain(str(item.get("id") or "")), f"item {number}"))
    return references


def _csl_name(value: dict) -> Name:
    if value.get("literal"):
        return Name(clean_text(value["literal"]), literal=True)
    particle = " ".join(clean_text(value.get(k) or "")
                        for k in ("non-dropping-particle",) if value.get(k))
    family = " ".join(p for p in (particle, clean_text(value.get("family") or "")) if p)
    given = " ".join(p for p in (clean_text(value.get("given") or ""),
                                 clean_text(value.get("dropping-particle") or "")) if p)
    return Name(family, given, clean_text(value.get("suffix") or ""))


def _csl_date(value) -> tuple[int | None, int | None, str | None]:
    if not isinstance(value, dict):
        return None, None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(p) for p in parts[0][:3]]
        return iso_date("-".join(numbers))
    return iso_date(str(value.get("raw") or value.get("literal") or ""))
