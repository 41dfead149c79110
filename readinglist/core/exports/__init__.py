"""BibTeX files written from the library (`writer`). Imports `reading`, `bibtex`,
`storage` and below."""
