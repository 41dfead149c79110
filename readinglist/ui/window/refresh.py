"""After an import, or a change this window cannot show in place (see
following.py): the sidebar's counts, digests and tags, the known tags, and
then the list, read again. Read on the reader thread, shown on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from readinglist.core.library import Library
from readinglist.core.views import TagCount
from readinglist.ui.detail.editors import TagEditor
from readinglist.ui.paper_list.presenter import PaperList
from readinglist.ui.sidebar import Sidebar, SidebarData, read_sidebar
from readinglist.ui.tasks import TaskRunner


class RecentTags:
    """The tags offered first (the paper menu's Add Tag): the ones used last,
    then the most used."""

    def __init__(self) -> None:
        self._names: list[str] = []

    def names(self) -> list[str]:
        return list(self._names)

    def used(self, name: str) -> None:
        self._names = [name] + [n for n in self._names if n != name]

    def known(self, tags: Sequence[TagCount]) -> None:
        """The library's tags now: gone ones leave, new ones come after the used ones."""
        by_use = [t.name for t in sorted(tags, key=lambda t: -t.count)]
        self._names = [n for n in self._names if n in by_use] + [
            n for n in by_use if n not in self._names]


class LibraryRefresh:
    def __init__(self, library: Library, tasks, sidebar: Sidebar, papers: PaperList,
                 tag_editor: TagEditor, recent_tags: RecentTags, *,
                 on_counts: Callable[[int, bool], None], saved_view: Callable[[], str],
                 seen: Callable[[int], bool] = lambda generation: True):
        self._library = library
        self._tasks: TaskRunner = tasks
        self._sidebar = sidebar
        self._papers = papers
        self._tag_editor = tag_editor
        self._recent_tags = recent_tags
        self._on_counts = on_counts  # (papers in the library, whether the window just opened)
        self._saved_view = saved_view  # the view this library was left in
        # told the change counter each reading was made at; False: an older
        # reading than one shown already (read again)
        self._seen = seen

    def run(self, initial: bool = False, select: Sequence[int] | None = None) -> None:
        if initial:
            self._start()
            return
        library = self._library
        self._tasks.read(lambda: read_sidebar(library),
                         lambda result: self._show(result, select))

    def _start(self) -> None:
        """The window opens: the list of the view it was left in first (its ids
        are the reader's first task), the sidebar's counts after it."""
        saved = self._saved_view()
        if saved.startswith("like:"):  # a tag's suggestions: the sidebar adds that view
            saved = "all"
        self._papers.state.last_batch = self._library.papers.last_import_batch()  # one row
        self._papers.choose_view(saved)
        library = self._library
        self._tasks.read(lambda: read_sidebar(library),
                         lambda result: self._show_start(result, saved))

    def _show_start(self, result: SidebarData, saved: str) -> None:
        if not self._seen(result.generation):  # an edit was shown meanwhile: read again,
            library = self._library            # still as the start (its background work)
            self._tasks.read(lambda: read_sidebar(library),
                             lambda again: self._show_start(again, saved))
            return
        self._populate(result)
        if not self._sidebar.select_key(saved, emit=False):  # a tag or digest gone since
            self._sidebar.select_key("all", emit=True)
        self._on_counts(result.counts.all, True)

    def _show(self, result: SidebarData, select: Sequence[int] | None) -> None:
        if not self._seen(result.generation):
            self.run(False, select)  # an edit was shown meanwhile: this is older
            return
        self._populate(result)
        self._papers.state.view_key = self._sidebar.current_key() or "all"
        self._on_counts(result.counts.all, False)
        self._papers.reload(select)

    def _populate(self, result: SidebarData) -> None:
        self._papers.state.last_batch = result.last_batch
        self._sidebar.populate(result.counts, result.digests, result.tags)
        self._known_tags(result.tags)

    def tags(self, done: Callable[[], None] = lambda: None) -> None:
        """The tags alone (an edit added or removed some): their counts read
        again, their section of the sidebar and the tag field's completions."""
        def show(tags: list[TagCount]) -> None:
            self._sidebar.set_tags(tags)
            self._known_tags(tags)
            done()
        self._tasks.read(self._library.tags.counts, show)

    def _known_tags(self, tags: list[TagCount]) -> None:
        self._tag_editor.set_known_tags([t.name for t in tags])
        self._recent_tags.known(tags)
