"""The BibTeX language, pure: escaping text so it prints as written, entries of
papers, citation-key text. Imports only `sources`, `views` and `errors`."""
