"""Readinglist: turn daily trending-paper digests into a reading list."""

__version__ = "0.1.0"
