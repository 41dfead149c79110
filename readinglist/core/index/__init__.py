"""The Whoosh full-text index, a cache of the database rebuilt at any doubt: the
documents and view filters (`documents`), reading queries (`query`), the index folder
(`whoosh_index`), exact ranking on posting arrays (`postings`, `ranking`) and the
keeper that follows the database (`keeper`). Imports `storage` and below."""
