"""The index's own exception, in a module of its own: a command that never
searches (``stats``, ``list``) need not import Whoosh to catch it."""


class IndexBusy(Exception):
    """Another process holds the index's write lock."""
