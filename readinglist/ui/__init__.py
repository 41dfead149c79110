"""The PySide6 window: a thin layer over `readinglist.core.library.Library`."""
