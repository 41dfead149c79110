"""Suggestions: unread papers ranked by a person's own tags and reading."""
