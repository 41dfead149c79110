"""A digest's context menu in the sidebar: mark all read, export, remove."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from readinglist.core.library import Filter, Library
from readinglist.ui.actions.edits import EditCommands, confirm_delete
from readinglist.ui.dialogs.exporting import ExportController
from readinglist.ui.formats import short_date
from readinglist.ui.sidebar import Sidebar


class DigestActions:
    def __init__(self, parent: QWidget, library: Library, sidebar: Sidebar,
                 commands: EditCommands, exporter: ExportController,
                 message: Callable[[str], None]):
        self._parent, self.library, self.sidebar = parent, library, sidebar
        self.commands, self.exporter, self._message = commands, exporter, message
        sidebar.digestMarkReadRequested.connect(self.mark_read)
        sidebar.digestExportRequested.connect(self.export)
        sidebar.digestRemoveRequested.connect(self.remove)

    def name(self, digest_id: int) -> str:
        digest = self.sidebar.digests.get(digest_id)
        return f"digest {short_date(digest.digest_date)}" if digest else "digest"

    def mark_read(self, digest_id: int) -> None:
        ids = self.library.papers.ids(Filter(digest=digest_id, status="unread"))
        if ids:
            self.commands.set_status("read", ids)

    def export(self, digest_id: int) -> None:
        self.exporter.export_view(Filter(digest=digest_id), "", self.name(digest_id))

    def remove(self, digest_id: int) -> None:
        """Delete the papers only this digest lists (undoable); the others stay."""
        alone = self.library.papers.only_in_digest(digest_id)
        if not alone:
            self._message("Every paper of this digest is also in another digest: "
                          "nothing to remove.")
            return
        kept = self.library.papers.count(Filter(digest=digest_id)) - len(alone)
        text = (f"Delete the {len(alone)} paper{'s' if len(alone) != 1 else ''} only the "
                f"{self.name(digest_id)} lists, with their tags and notes?"
                + (f"\n{kept} paper{'s' if kept != 1 else ''} also in other digests stay."
                   if kept else "") + "\nYou can undo this with Ctrl+Z.")
        if confirm_delete(self._parent, "Remove digest", text):
            self.commands.delete(alone)
