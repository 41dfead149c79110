"""Reading the library: ids of a view in any sort, papers, digests, counts (`papers`),
and full-text search over the index (`search`). Imports `store` and below."""
