"""What to read next: TF-IDF features (`features`, a cache: `cache`), the rankers
(`ranker`) and the service the library hands out (`suggester`). Imports `reading`,
`store` and below."""
