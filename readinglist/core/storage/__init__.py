"""The library file and its neighbours: tables, engine and transactions, schema and
migrations, SQL helpers, citation keys in the database, backups, note drafts, atomic
files. Imports only `sources`, `bibtex`, `views` and `errors`."""
