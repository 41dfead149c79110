"""The detail pane: one paper's title, history, key, status, tags, note, abstract.

Everything from a digest is shown as plain text (escaped, never interpreted as
markup); only http(s) links found by the core are made clickable.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.core.storage.schema import STATUSES
from readinglist.core.views import AppearanceView, PaperView
from readinglist.ui.browser import open_link
from readinglist.ui.detail.editors import NoteEdit, TagEditor
from readinglist.ui.detail.similar_list import SimilarList
from readinglist.ui.formats import short_date
from readinglist.ui.resources import icon

NOTE_SAVE_DELAY_MS = 600
FIRST_MATCH = "first-match"


def abstract_html(text: str, links: Sequence[str], spans: Sequence[tuple[int, int]],
                  mark_color: str) -> str:
    """Escaped text with http(s) links as anchors and search matches marked."""
    anchors: list[tuple[int, int, str]] = []
    for link in links:
        if not link.lower().startswith(("http://", "https://")):
            continue
        start = text.find(link)
        while start >= 0:
            anchors.append((start, start + len(link), link))
            start = text.find(link, start + len(link))
    anchors.sort()
    marks = [s for s in spans if not any(a <= s[0] < b for a, b, _ in anchors)]
    out, position, first = [], 0, True
    events = sorted([(a, "a", b, url) for a, b, url in anchors]
                    + [(a, "m", b, "") for a, b in marks])
    for start, kind, end, url in events:
        if start < position:
            continue  # overlapping: the first one wins
        out.append(html.escape(text[position:start]))
        chunk = html.escape(text[start:end])
        if kind == "a":
            out.append(f'<a href="{html.escape(url, quote=True)}">{chunk}</a>')
        else:
            if first:  # where the pane scrolls to
                out.append(f'<a name="{FIRST_MATCH}"></a>')
                first = False
            out.append(f'<span style="background-color:{mark_color}">{chunk}</span>')
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


STATUS_BUTTON_STYLE = (
    "QToolButton { padding: 3px 6px; border: 1px solid palette(mid); border-radius: 4px; }"
    " QToolButton:checked { font-weight: bold; border: 2px solid palette(highlight);"
    " background: palette(base); }")

class DetailPane(QFrame):
    tagAdded = Signal(str)
    tagRemoved = Signal(str)
    statusChosen = Signal(str)
    noteEdited = Signal(int, str)  # paper id, text: save it (a moment after the typing)
    noteTyped = Signal(int, str)  # paper id, text: at every keystroke, for the draft
    released = Signal()  # Esc in the tag field or the note: back to the list
    editDetailsRequested = Signal()  # the "Edit Details…" button

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setMinimumWidth(320)
        self.paper: PaperView | None = None
        self._note_paper: int | None = None
        self._note_dirty = False
        self._loading = False
        self.title = plain_label("detailTitle", scale=1.35, bold=True)
        self.byline = plain_label("detailAuthors")
        self.publication = plain_label("detailPublication", quiet=True)
        self.meta = plain_label("detailMeta", quiet=True)
        cite_row = self._cite_row()
        status_row = self._status_row()
        self.tags = TagEditor()
        self.tags.tagAdded.connect(self.tagAdded)
        self.tags.tagRemoved.connect(self.tagRemoved)
        self.tags.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.tag_edit = self.tags.edit
        self.tag_edit.released.connect(self.released)
        self._build_note()
        self._build_abstract()
        self.selection_hint = plain_label("selectionHint", quiet=True)
        self.placeholder = plain_label("detailPlaceholder", quiet=True)
        self.placeholder.setText("Select a paper to see its abstract, tags and note.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.similar = SimilarList()
        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        for part in (self.title, self.byline, self.publication, self.meta, self.similar.why,
                     cite_row, status_row,
                     self.selection_hint, section_label("Tags"), self.tags,
                     section_label("Note"), self.note_edit, section_label("Abstract")):
            (layout.addLayout if isinstance(part, QHBoxLayout) else layout.addWidget)(part)
        layout.addWidget(self.abstract, 1)
        layout.addWidget(section_label("Similar papers"))
        layout.addWidget(self.similar)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.addWidget(self.placeholder)
        outer.addWidget(self.body)
        self.body.hide()

    def _cite_row(self) -> QHBoxLayout:
        # wraps after "Cite as" when the pane is narrow: the key is never cut
        self.citekey = plain_label("citekeyLabel")
        copy = QToolButton()
        copy.setText("Copy key")
        copy.setToolTip("Copy the citation key (Ctrl+Shift+C)")
        copy.clicked.connect(self.copy_citekey)
        edit = QToolButton()
        edit.setObjectName("editDetails")
        edit.setText("Edit Details…")
        edit.setToolTip("Authors, year, venue and identifiers, typed in (Ctrl+I)")
        edit.clicked.connect(self.editDetailsRequested)
        row = QHBoxLayout()
        row.addWidget(self.citekey)
        row.addWidget(copy)
        row.addWidget(edit)
        row.addStretch(1)
        return row

    def _status_row(self) -> QHBoxLayout:
        self.status_buttons = QButtonGroup(self)
        self.status_buttons.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(4)
        shortcuts = {"unread": "U", "skimmed": "S", "read": "R"}
        for status in STATUSES:
            button = QToolButton()
            button.setObjectName(f"status_{status}")
            button.setText(status.capitalize())
            button.setIcon(icon(f"status-{status}"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            # the paper's status told apart in any palette (in a dark one the
            # native checked shade is a step from the others'): a frame in the
            # highlight colour and bold text
            button.setStyleSheet(STATUS_BUTTON_STYLE)
            button.setToolTip(f"Mark as {status} ({shortcuts[status]})")
            button.clicked.connect(lambda _=False, s=status: self.statusChosen.emit(s))
            self.status_buttons.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _build_note(self) -> None:
        self.note_edit = NoteEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText("Your notes on this paper (N) — saved as you type")
        self.note_edit.setAcceptDrops(False)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(96)  # in a short window it gives up height first
        self.note_edit.setMinimumHeight(self.note_edit.fontMetrics().lineSpacing() * 2 + 12)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_note)
        self.note_edit.textChanged.connect(self._note_changed)
        self.note_edit.focusLost.connect(self.flush_note)
        self.note_edit.released.connect(self.released)

    def _build_abstract(self) -> None:
        self.abstract = QTextBrowser()
        self.abstract.setObjectName("abstractView")
        self.abstract.setOpenLinks(False)
        self.abstract.setAcceptDrops(False)
        self.abstract.anchorClicked.connect(open_link)
        self.abstract.setFrameShape(QFrame.Shape.NoFrame)
        # the abstract keeps five lines before the similar papers get more than two
        self.abstract.setMinimumHeight(self.abstract.fontMetrics().lineSpacing() * 5)

    # -- showing a paper ------------------------------------------------------------------
    def show_paper(self, paper: PaperView | None, appearances: Sequence[AppearanceView] = (),
                   selected: int = 1, spans: Sequence[tuple[int, int]] = ()) -> None:
        if self._note_paper is not None and (paper is None or paper.id != self._note_paper):
            self.flush_note()
        same_paper = paper is not None and self.paper is not None and paper.id == self.paper.id
        self.paper = paper
        if paper is None:
            self.body.hide()
            self.placeholder.show()
            self._note_paper = None
            return
        self.placeholder.hide()
        self.body.show()
        self.title.setText(paper.title)
        self.byline.setText(byline(paper))
        self.byline.setVisible(bool(paper.metadata.authors))
        self.publication.setText(publication_line(paper))
        self.publication.setVisible(bool(self.publication.text()))
        times = "1 digest" if paper.times_seen == 1 else f"{paper.times_seen} digests"
        lines = ([f"First seen {short_date(paper.first_seen)} · in {times}"] if paper.times_seen
                 else [f"Added {short_date(paper.first_seen)} · in no digest"])
        lines += [f"   {short_date(a.digest_date)} — {a.file_name} (#{a.position})"
                  for a in appearances]
        self.meta.setText("\n".join(lines))
        self.citekey.setText(f"Cite as  {paper.citekey}")
        for button in self.status_buttons.buttons():
            button.setChecked(button.objectName() == f"status_{paper.status}")
        self.tags.set_tags(paper.tags)
        self.selection_hint.setVisible(selected > 1)
        self.selection_hint.setText(
            f"{selected} papers selected: status and tag changes apply to all of them."
        )
        # Never overwrite what the user is typing with an older copy of the note.
        if not (same_paper and self._note_dirty):
            self._loading = True
            try:
                if self.note_edit.toPlainText() != paper.note or not same_paper:
                    self.note_edit.setPlainText(paper.note)
            finally:
                self._loading = False
            self._note_paper = paper.id
            self._note_dirty = False
        mark = self.palette().color(QPalette.ColorRole.Highlight)
        mark.setAlpha(90)
        self.abstract.setHtml(
            "<p style='line-height:130%'>"
            + (abstract_html(paper.abstract, paper.links, spans, mark.name(mark.NameFormat.HexArgb))
               if paper.abstract else "<i>No abstract in the digest.</i>")
            + "</p>"
        )
        if spans:  # once laid out: the first match in view
            QTimer.singleShot(0, lambda: self.abstract.scrollToAnchor(FIRST_MATCH))

    def page_down(self) -> bool:
        """Space: scroll the abstract a page; False when it was already at its end."""
        bar = self.abstract.verticalScrollBar()
        if self.paper is None or bar.value() >= bar.maximum():
            return False
        bar.setValue(bar.value() + bar.pageStep())
        return True

    # -- note autosave ------------------------------------------------------------------
    def _note_changed(self) -> None:
        if self._loading or self._note_paper is None:
            return
        self._note_dirty = True
        self._note_timer.start()
        self.noteTyped.emit(self._note_paper, self.note_edit.toPlainText())

    def flush_note(self) -> None:
        """Save the note now if it has unsaved changes."""
        self._note_timer.stop()
        if self._note_dirty and self._note_paper is not None:
            self._note_dirty = False
            self.noteEdited.emit(self._note_paper, self.note_edit.toPlainText())

    @property
    def note_pending(self) -> bool:
        return self._note_dirty

    def copy_citekey(self) -> None:
        if self.paper is not None:
            QGuiApplication.clipboard().setText(self.paper.citekey)

    def event(self, event):
        if event.type() == QEvent.Type.PaletteChange and self.paper is not None:
            self.show_paper(self.paper)
        return super().event(event)


AUTHORS_SHOWN = 12


def byline(paper: PaperView) -> str:
    """"Oriol Vinyals, Samy Bengio and Manjunath Kudlur" (a long list cut short)."""
    names = [a.display() for a in paper.metadata.authors]
    if len(names) > AUTHORS_SHOWN:
        return ", ".join(names[:AUTHORS_SHOWN]) + f" and {len(names) - AUTHORS_SHOWN} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def publication_line(paper: PaperView) -> str:
    """"2015 · ICLR · arXiv:1511.06391v4 [stat.ML] · doi:10.…", from what is known."""
    meta = paper.metadata
    parts = []
    if meta.year:
        parts.append(str(meta.year))
    if meta.venue:
        parts.append(" ".join(x for x in (meta.venue, meta.volume and f"vol. {meta.volume}",
                                          meta.pages and f"pp. {meta.pages}") if x))
    if meta.arxiv_id:
        version = f"v{meta.arxiv_version}" if meta.arxiv_version else ""
        category = f" [{meta.arxiv_category}]" if meta.arxiv_category else ""
        parts.append(f"arXiv:{meta.arxiv_id}{version}{category}")
    if meta.doi:
        parts.append(f"doi:{meta.doi}")
    return " · ".join(parts)


def plain_label(name: str, *, scale: float = 1.0, bold: bool = False, quiet: bool = False,
                wrap: bool = True) -> QLabel:
    """A label of plain text (a digest's words are never markup), selectable."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if scale != 1.0 or bold:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(bold)
        label.setFont(font)
    if quiet:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def section_label(text: str) -> QLabel:
    label = QLabel(text.upper())
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 0.8)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setContentsMargins(0, 8, 0, 0)
    return label
