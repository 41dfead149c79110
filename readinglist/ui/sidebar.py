"""The sidebar: library views, digests by date, tags — each a view of the table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QTreeWidget, QTreeWidgetItem

from readinglist.core.library import Filter, Library
from readinglist.core.views import DigestView, TagCount
from readinglist.ui.formats import short_date
from readinglist.ui.resources import icon

ViewKeyRole = Qt.ItemDataRole.UserRole + 1
ViewLabelRole = Qt.ItemDataRole.UserRole + 2  # its name without the count


@dataclass(frozen=True)
class LibraryCounts:
    all: int
    unread: int
    skimmed: int
    read: int
    new: int
    trending: int
    dismissed: int = 0


LIBRARY_VIEWS = (
    ("all", "All papers", "library"),
    ("status:unread", "Unread", "status-unread"),
    ("foryou", "For you", "for-you"),  # unread, best first (its tooltip)
    ("status:skimmed", "Skimmed", "status-skimmed"),
    ("status:read", "Read", "status-read"),
    ("new", "Newly imported", "new"),  # the last import's new papers (its tooltip)
    ("trending", "Trending", "trending"),  # in two digests or more (its tooltip)
    ("dismissed", "Not interested", "dismissed"),  # X: out of the suggestions (its tooltip)
)


VIEW_TIPS = {"trending": "Papers seen in two digests or more",
             "dismissed": "Papers you marked Not Interested (X): left out of For you and "
                          "every tag's suggestions. X on one brings it back",
             "new": "The papers the last import added",
             "foryou": "Unread papers, best first: ranked by their likeness to the papers "
                       "you read, skimmed, tagged or wrote a note on"}


class Sidebar(QTreeWidget):
    viewChosen = Signal(str)
    renameTagRequested = Signal(str, str)  # old, new (an existing name merges)
    deleteTagRequested = Signal(str)
    digestMarkReadRequested = Signal(int)
    digestExportRequested = Signal(int)
    digestRemoveRequested = Signal(int)
    suggestForTagRequested = Signal(str)
    tagExportRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.currentItemChanged.connect(self._current_changed)
        self._sections = {}
        for name in ("Library", "Digests", "Tags"):
            section = QTreeWidgetItem(self, [name.upper()])
            font = QFont(section.font(0))
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.85)
            section.setFont(0, font)
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            section.setForeground(0, self.palette().placeholderText())
            section.setExpanded(True)
            self._sections[name] = section
        self._tags: list[str] = []
        self.like_tag: str | None = None  # the tag whose suggestions have a view
        self.digests: dict[int, DigestView] = {}
        self._items: dict[str, QTreeWidgetItem] = {}  # each view's item, by its key
        self._numbers: dict[str, int] = {}  # the library views' counts as shown
        self._silent = False

    # -- contents -----------------------------------------------------------------------
    def populate(self, counts: LibraryCounts, digests: list[DigestView],
                 tags: list[TagCount]) -> None:
        """Refill the tree with fresh counts, keeping the current view selected."""
        current = self.current_key()
        self._silent = True
        try:
            for section in self._sections.values():
                section.takeChildren()
            self._items = {}
            self._numbers = {
                "all": counts.all, "status:unread": counts.unread,
                "status:skimmed": counts.skimmed, "status:read": counts.read,
                "new": counts.new, "trending": counts.trending,
                "dismissed": counts.dismissed,
            }
            for key, label, icon_name in LIBRARY_VIEWS:
                item = self._add(self._sections["Library"], key, label,
                                 self._numbers.get(key), icon_name)
                item.setToolTip(0, VIEW_TIPS.get(key, label))
            if self.like_tag is not None and self.like_tag in [t.name for t in tags]:
                self._add_like(self.like_tag)
            self.digests = {d.id: d for d in digests if d.papers}
            labels = digest_labels(digests)
            for digest in self.digests.values():  # a digest with no papers left is gone
                item = self._add(self._sections["Digests"], f"digest:{digest.id}",
                                 labels[digest.id], "", "digest")
                self._show_digest(item, digest)
            self._fill_tags(tags)
        finally:
            self._silent = False
        if not self.select_key(current or "all", emit=False):
            self.select_key("all", emit=True)

    def _fill_tags(self, tags: list[TagCount]) -> None:
        section = self._sections["Tags"]
        for i in range(section.childCount()):
            self._items.pop(str(section.child(i).data(0, ViewKeyRole)), None)
        section.takeChildren()
        self._tags = [t.name for t in tags]
        for tag in tags:
            self._add(section, f"tag:{tag.name}", tag.name, tag.count, "tag")
        if not tags:
            hint = QTreeWidgetItem(section, ["No tags yet"])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            hint.setToolTip(0, "Select papers and press T to tag them")

    def _show_digest(self, item: QTreeWidgetItem, digest: DigestView) -> None:
        label = item.data(0, ViewLabelRole)
        item.setText(0, f"{label}  ({digest.unread} / {digest.papers})")
        item.setToolTip(0, f"{digest.file_name}\nimported {digest.imported_at[:10]}\n"
                           f"{digest.unread} unread of {digest.papers} papers")

    def move_counts(self, counts: Mapping[str, int], digests: Mapping[int, int]) -> None:
        """An edit moved these counts (unread, skimmed, read, dismissed; each
        digest's unread papers): the labels change in place, nothing is read."""
        for name, moved in counts.items():
            key = name if name == "dismissed" else f"status:{name}"
            if key in self._numbers:
                self._numbers[key] += moved
                item = self._items.get(key)
                if item is not None:
                    item.setText(0, f"{item.data(0, ViewLabelRole)}  ({self._numbers[key]})")
        for digest_id, moved in digests.items():
            digest = self.digests.get(digest_id)
            item = self._items.get(f"digest:{digest_id}")
            if digest is not None and item is not None:
                self.digests[digest_id] = replace(digest, unread=digest.unread + moved)
                self._show_digest(item, self.digests[digest_id])

    def set_tags(self, tags: list[TagCount]) -> None:
        """The tags changed: their section alone is filled again."""
        current = self.current_key()
        self._silent = True
        try:
            self._fill_tags(tags)
        finally:
            self._silent = False
        if current and current.startswith("tag:") and not self.select_key(current, emit=False):
            self.select_key("all", emit=True)  # the tag shown has no paper left

    def count_of(self, key: str) -> int | None:
        """A library view's count as shown (for tests and the status bar)."""
        return self._numbers.get(key)

    def _add(self, parent, key, label, count, icon_name) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label if count is None else f"{label}  ({count})"])
        self._items[key] = item
        item.setData(0, ViewKeyRole, key)
        item.setData(0, ViewLabelRole, label)
        item.setIcon(0, icon(icon_name))
        return item

    def tag_names(self) -> list[str]:
        """The library's tags, by name (as last shown)."""
        return list(self._tags)

    def label_for(self, key: str) -> str:
        """A view's name as the sidebar shows it, without its count."""
        item = self.item_for(key)
        return str(item.data(0, ViewLabelRole) or "") if item is not None else key

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, ViewKeyRole) if item is not None else None

    def select_key(self, key: str, emit: bool = True) -> bool:
        item = self.item_for(key)
        if item is None:
            return False
        self._silent = not emit
        try:
            self.setCurrentItem(item)
        finally:
            self._silent = False
        return True

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        return self._items.get(key)

    def moveCursor(self, action, modifiers):
        """Arrow keys step over the section headings and the "No tags yet" hint:
        the current item is always a view."""
        moved = super().moveCursor(action, modifiers)
        upward = action in (self.CursorAction.MoveUp, self.CursorAction.MovePageUp,
                            self.CursorAction.MoveEnd, self.CursorAction.MovePrevious)
        while moved.isValid() and not moved.flags() & Qt.ItemFlag.ItemIsSelectable:
            moved = self.indexAbove(moved) if upward else self.indexBelow(moved)
        return moved if moved.isValid() else self.currentIndex()

    def _current_changed(self, current, _previous) -> None:
        if self._silent or current is None:
            return
        key = current.data(0, ViewKeyRole)
        if key:
            self.viewChosen.emit(key)

    # -- tag actions ------------------------------------------------------------------
    def _context_menu(self, position) -> None:
        item = self.itemAt(position)
        key = item.data(0, ViewKeyRole) if item is not None else None
        if key and key.startswith("digest:"):
            self.digest_menu(int(key[7:])).exec(self.viewport().mapToGlobal(position))
            return
        if not key or not key.startswith("tag:"):
            return
        self.tag_menu(key[4:]).exec(self.viewport().mapToGlobal(position))

    def tag_menu(self, name: str) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("tagMenu")
        suggest = QAction("Suggest More Papers for This Tag", menu)
        suggest.triggered.connect(lambda: self.suggestForTagRequested.emit(name))
        menu.addAction(suggest)
        export = QAction("&Export as BibTeX…", menu)
        export.triggered.connect(lambda: self.tagExportRequested.emit(name))
        menu.addAction(export)
        menu.addSeparator()
        rename = QAction("Rename…", menu)
        rename.triggered.connect(lambda: self.ask_rename(name))
        menu.addAction(rename)
        merge = menu.addMenu("Merge into")
        others = [t for t in self._tags if t != name]
        merge.setEnabled(bool(others))
        for other in others:
            merge.addAction(other).triggered.connect(
                lambda _=False, target=other: self.renameTagRequested.emit(name, target)
            )
        delete = QAction("Delete tag…", menu)
        delete.triggered.connect(lambda: self.ask_delete(name))
        menu.addAction(delete)
        return menu

    def show_like(self, tag: str) -> None:
        """Add (or move) the view of a tag's suggestions and go to it."""
        self.like_tag = tag
        library = self._sections["Library"]
        for i in range(library.childCount() - 1, -1, -1):
            key = str(library.child(i).data(0, ViewKeyRole))
            if key.startswith("like:"):
                self._items.pop(key, None)
                library.takeChild(i)
        self.setCurrentItem(self._add_like(tag))

    def _add_like(self, tag: str) -> QTreeWidgetItem:
        item = self._add(self._sections["Library"], f"like:{tag}", f"Like “{tag}”", None,
                         "for-you")
        item.setToolTip(0, f"Papers without the tag “{tag}”, best first by their likeness "
                           "to its papers: T adds the tag")
        return item

    def digest_menu(self, digest_id: int) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("digestMenu")
        for text, signal in (("Mark All &Read", self.digestMarkReadRequested),
                             ("&Export as BibTeX…", self.digestExportRequested),
                             ("Re&move Digest…", self.digestRemoveRequested)):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, s=signal: s.emit(digest_id))
            menu.addAction(action)
        return menu

    def ask_rename(self, name: str) -> None:
        new, ok = QInputDialog.getText(
            self, "Rename tag", f"New name for “{name}” (an existing tag's name merges them):",
            text=name,
        )
        if ok and new.strip() and new.strip() != name:
            self.renameTagRequested.emit(name, new.strip())

    def ask_delete(self, name: str) -> None:
        answer = QMessageBox.question(
            self, "Delete tag", f"Remove the tag “{name}” from every paper?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteTagRequested.emit(name)


def digest_labels(digests: list[DigestView]) -> dict[int, str]:
    """Each digest's date; its file name too when another digest has the same date."""
    dates = Counter(d.digest_date for d in digests if d.papers)
    return {d.id: (f"{short_date(d.digest_date)} · {d.file_name}"
                   if dates[d.digest_date] > 1 else short_date(d.digest_date))
            for d in digests}


@dataclass(frozen=True)
class SidebarData:
    """What the sidebar shows, read at the library's change counter ``generation``
    (read first: a change made while the rest is read shows as a later one)."""

    generation: int
    last_batch: int | None
    counts: LibraryCounts
    digests: list[DigestView]
    tags: list[TagCount]


def read_sidebar(library: Library) -> SidebarData:
    """What the sidebar shows (on a reader thread): the last import, the counts,
    digests and tags."""
    generation = library.generation()
    papers = library.papers
    last = papers.last_import_batch()
    stats = papers.stats()
    counts = LibraryCounts(
        all=stats.papers, unread=stats.unread, skimmed=stats.skimmed, read=stats.read,
        new=papers.count(Filter(batch=last)) if last is not None else 0,
        trending=papers.count(Filter(min_seen=2)),
        dismissed=papers.count(Filter(dismissed=True)),
    )
    return SidebarData(generation, last, counts, papers.digests(), library.tags.counts())
