"""The context menu of one or many papers (right click, Shift+F10, the Menu key).

It offers the window's own actions (so shortcuts and enabled states agree) and
a few things that only make sense on a row: tags by name, the links, copies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from readinglist.core.views import SelectionSummary
from readinglist.ui.actions.menus import Actions

RECENT_TAGS = 8


@dataclass
class MenuCalls:
    add_tag: Callable[[str], None]
    remove_tag: Callable[[str], None]
    open_code: Callable[[], None]
    copy_bibtex: Callable[[], None]


def paper_menu(parent: QWidget, actions: Actions, papers: SelectionSummary,
               recent_tags: Sequence[str], calls: MenuCalls) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("paperMenu")
    menu.addActions([actions.mark_read, actions.mark_skimmed, actions.mark_unread,
                     actions.dismiss])
    menu.addSeparator()

    add = menu.addMenu("Add &Tag")
    add.setObjectName("addTagMenu")
    on_all = papers.on_all()
    for name in [t for t in recent_tags if t not in on_all][:RECENT_TAGS]:
        add.addAction(name).triggered.connect(lambda _=False, n=name: calls.add_tag(n))
    if add.actions():
        add.addSeparator()
    new = QAction("&New Tag…", add)
    new.triggered.connect(lambda: _ask_new_tag(parent, calls.add_tag))
    add.addAction(new)

    remove = menu.addMenu("&Remove Tag")
    remove.setObjectName("removeTagMenu")
    present = sorted(papers.tags, key=str.casefold)
    remove.setEnabled(bool(present))
    for name in present:
        remove.addAction(name).triggered.connect(lambda _=False, n=name: calls.remove_tag(n))
    menu.addSeparator()

    menu.addActions([actions.open_link, actions.open_pdf])
    code = QAction("Open &Code", menu)
    code.setObjectName("actionOpenCode")
    code.setEnabled(papers.with_code > 0)
    code.triggered.connect(calls.open_code)
    menu.addAction(code)
    menu.addSeparator()
    menu.addActions([actions.edit_details, actions.lookup])
    menu.addSeparator()
    menu.addAction(actions.copy_key)
    bib = QAction("Copy &BibTeX Entry" if papers.count == 1 else "Copy &BibTeX Entries", menu)
    bib.setObjectName("actionCopyBibtex")
    bib.triggered.connect(calls.copy_bibtex)
    menu.addAction(bib)
    menu.addAction(actions.export)
    menu.addSeparator()
    menu.addAction(actions.delete)
    return menu


def _ask_new_tag(parent: QWidget, add: Callable[[str], None]) -> None:
    name, ok = QInputDialog.getText(parent, "New tag", "Tag the selected papers with:")
    if ok and name.strip():
        add(name.strip())
