"""Looking papers up on a service when a person asks: arXiv's API (`arxiv`) and
the service that fills the library from it (`service`). Imports `store`,
`storage`, `sources` and `settings`; never runs at start or on import."""
