"""Errors the core raises on purpose. Each message is one line a user can act on."""


class ReadinglistError(Exception):
    """Base of the errors a user may see."""


class LibraryError(ReadinglistError):
    """The library cannot be opened or written (damaged, newer version, disk)."""


class DamagedLibrary(LibraryError):
    """The database is empty or unreadable, but a backup holds the library."""

    def __init__(self, message: str, backup):
        super().__init__(message)
        self.backup = backup  # backups.Backup: the newest one that can be read


class LibraryBusy(LibraryError):
    """Another process held the write lock for longer than we wait."""


class NotFound(ReadinglistError):
    """A paper id or tag that the library does not have."""


class InvalidInput(ReadinglistError):
    """An argument the library refuses (bad tag name, unknown status, …)."""
