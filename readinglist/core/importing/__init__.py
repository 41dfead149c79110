"""Bringing files into the library: each digest of a file in one transaction, set-based.
Imports `store`, `storage` and `sources`."""
