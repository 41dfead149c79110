"""Notes as they are typed, kept on disk until the database has them.

The window saves a note a moment after the typing stops, on the edit thread.
Meanwhile each keystroke's text is also written here, in one small file per
paper, replaced whole (never half written). A window that is killed before
the save loses nothing: the next one finds the draft and saves it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

DRAFTS_DIR = "drafts"
_NAME = re.compile(r"^note-(\d+)\.txt$")
MAX_DRAFT_BYTES = 1024 * 1024  # a note is at most 1 MB (as `note -` takes)


class NoteDrafts:
    """Drafts are read as data from a folder that may come from someone else:
    only regular files (no link, no FIFO, no device), at most a megabyte,
    opened without following a link or waiting for a writer."""

    def __init__(self, folder: Path):
        self.folder = folder / DRAFTS_DIR
        self.skipped: list[str] = []  # drafts left alone at the last `pending`, and why

    def put(self, paper_id: int, text: str) -> None:
        """Keep ``text`` as the paper's unsaved note (a process kill keeps it;
        the write is small enough for the GUI thread)."""
        if self.folder.is_symlink():
            raise OSError(f"{DRAFTS_DIR} is a link: drafts are not kept there")
        self.folder.mkdir(exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".note-", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.replace(temp, self._path(paper_id))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def saved(self, paper_id: int, text: str) -> None:
        """The database has ``text``: drop the draft, unless it is newer."""
        path = self._path(paper_id)
        with contextlib.suppress(OSError, ValueError):
            if read_regular(path, MAX_DRAFT_BYTES) == text:
                path.unlink()

    def pending(self) -> dict[int, str]:
        """The drafts a closed (or killed) window left, by paper id; anything
        that is not a small regular file is left where it is, and said
        (``skipped``)."""
        found: dict[int, str] = {}
        self.skipped = []
        if self.folder.is_symlink() or not self.folder.is_dir():
            if self.folder.is_symlink():
                self.skipped.append(f"{DRAFTS_DIR}: a link, not followed")
            return found
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match:
                continue
            try:
                found[int(match.group(1))] = read_regular(path, MAX_DRAFT_BYTES)
            except (OSError, ValueError) as exc:
                self.skipped.append(f"{DRAFTS_DIR}/{path.name}: {exc}, left as it is")
        return found

    def discard(self, paper_id: int) -> None:
        self._path(paper_id).unlink(missing_ok=True)

    def _path(self, paper_id: int) -> Path:
        return self.folder / f"note-{int(paper_id)}.txt"


def read_regular(path: Path, limit: int) -> str:
    """The UTF-8 text of ``path`` if it is a regular file of at most ``limit``
    bytes; ValueError (with why) if it is a link, a FIFO, a device, too large or
    not UTF-8. Never follows a link, never waits for a writer."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():
            raise ValueError("a link, not followed") from None
        raise ValueError(exc.strerror or str(exc)) from None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ValueError("not a regular file")
        if status.st_size > limit:
            raise ValueError(f"larger than {limit // 1024} KB")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // 1024} KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
