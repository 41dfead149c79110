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
import tempfile
from pathlib import Path

DRAFTS_DIR = "drafts"
_NAME = re.compile(r"^note-(\d+)\.txt$")


class NoteDrafts:
    def __init__(self, folder: Path):
        self.folder = folder / DRAFTS_DIR

    def put(self, paper_id: int, text: str) -> None:
        """Keep ``text`` as the paper's unsaved note (a process kill keeps it;
        the write is small enough for the GUI thread)."""
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
        with contextlib.suppress(OSError):
            if path.read_text(encoding="utf-8") == text:
                path.unlink()

    def pending(self) -> dict[int, str]:
        """The drafts a closed (or killed) window left, by paper id."""
        found: dict[int, str] = {}
        if not self.folder.is_dir():
            return found
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    found[int(match.group(1))] = path.read_text(encoding="utf-8")
        return found

    def discard(self, paper_id: int) -> None:
        self._path(paper_id).unlink(missing_ok=True)

    def _path(self, paper_id: int) -> Path:
        return self.folder / f"note-{int(paper_id)}.txt"
