"""The keys a LaTeX document cites, in the order it cites them: from the
``.aux`` file LaTeX writes (``\\citation{a,b}`` for BibTeX, ``\\abx@aux@cite``
for biblatex; ``\\@input{chapter.aux}`` followed, in the document's folder)
or the ``.bcf`` file biblatex writes for biber (``<bcf:citekey>``).

Pure, but for reading those files, which is bounded: a document's own files,
at most a few megabytes, no link followed out of its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_BYTES = 32 * 1024 * 1024
MAX_FILES = 200  # \@input'ed chapters
ALL = "*"  # \nocite{*}: every paper

_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_BIBLATEX = re.compile(r"\\abx@aux@cite(?:\{[^}]*\})?\{([^}]*)\}")
_INPUT = re.compile(r"\\@input\{([^}]*)\}")
_BCF_KEY = re.compile(r"<bcf:citekey(?:\s[^>]*)?>([^<]*)</bcf:citekey>")


class CitedError(ValueError):
    """The file cannot be read as a document's citations; one line says why."""


def cited_keys(path: Path) -> list[str]:
    """The keys ``path`` cites, each once, in the order of first citation."""
    if path.suffix.lower() == ".bcf":
        keys = [k.strip() for k in _BCF_KEY.findall(_read(path))]
    else:
        keys = _aux_keys(path, path.resolve().parent, set())
    return list(dict.fromkeys(k for k in keys if k))


def _aux_keys(path: Path, folder: Path, seen: set[Path]) -> list[str]:
    real = path.resolve()
    if real in seen or len(seen) >= MAX_FILES:
        return []
    if real.parent != folder and folder not in real.parents:
        return []  # an \@input naming a file outside the document's folder
    seen.add(real)
    text = _read(path)
    keys: list[str] = []
    for line in text.splitlines():
        for pattern in (_CITATION, _BIBLATEX):
            for group in pattern.findall(line):
                keys += [k.strip() for k in group.split(",")]
        for name in _INPUT.findall(line):
            child = folder / name
            if child.is_file():
                keys += _aux_keys(child, folder, seen)
    return keys


def _read(path: Path) -> str:
    try:
        if path.is_symlink() and not path.resolve().is_file():
            raise CitedError(f"{path.name}: not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CitedError(f"{path.name}: {size // 1048576} MB, too large for a .aux file")
        return path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        raise CitedError(f"{path.name}: no such file (run LaTeX first: it writes the "
                         ".aux file)") from None
    except IsADirectoryError:
        raise CitedError(f"{path.name}: is a folder") from None
    except OSError as exc:
        raise CitedError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
