"""Replacing a file in one step: a reader never sees half of it, a failure or a
kill half-way leaves the old file as it was, and what was written is on disk
(file and folder synced) before the call returns."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

TEMP_MARK = ".readinglist-tmp"
STALE_AFTER = 3600  # seconds: a temporary file this old is a killed writer's leftover


def write_atomic(path: str | os.PathLike, text: str | Iterable[str]) -> Path:
    """Replace ``path`` with ``text`` (or its pieces). A symbolic link is
    followed: the file it points to is replaced and the link stays a link."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    _remove_leftovers(folder, target.name)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_MARK, dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            for piece in [text] if isinstance(text, str) else text:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:  # Ctrl+C too: no temporary file is left behind
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return target


def _sync_folder(folder: Path) -> None:
    """The rename itself is durable only once the folder is synced (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows, where folders cannot be opened
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse; the data itself is synced already
    finally:
        os.close(fd)


def _remove_leftovers(folder: Path, name: str) -> None:
    """Temporary files of earlier writes of this file that were killed."""
    now = time.time()
    for leftover in folder.glob(f".{name}.*{TEMP_MARK}"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_AFTER:
                leftover.unlink()


def file_digest(path: str | os.PathLike) -> str | None:
    """sha256 of a file's bytes, None when there is no such file."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


WRITTEN, SAME, CHANGED_BY_SOMEONE = "written", "same", "changed by someone else"


def replace_if_changed(path: str | os.PathLike, pieces: Iterable[str], *,
                       last_written: str | None, force: bool = False) -> tuple[str, str]:
    """Write ``pieces`` over ``path`` in one step, but only when its bytes would
    change, and never over a file someone else changed since we wrote it
    (``last_written``: the digest of what we wrote last) unless ``force``.
    Returns (WRITTEN / SAME / CHANGED_BY_SOMEONE, the digest of the new text)."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    _remove_leftovers(folder, target.name)
    digest = hashlib.sha256()
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_MARK, dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            for piece in pieces:
                stream.write(piece)
                digest.update(piece.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        new = digest.hexdigest()
        current = file_digest(target)
        if current == new:
            Path(temp).unlink(missing_ok=True)
            return SAME, new
        if current is not None and last_written is not None and current != last_written \
                and not force:
            Path(temp).unlink(missing_ok=True)
            return CHANGED_BY_SOMEONE, new
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return WRITTEN, new
