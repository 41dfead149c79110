"""The Whoosh full-text index: a cache of the database, rebuilt at any doubt.

- `documents`: the schema, one document per paper, view filters as index terms
- `query`: reading typed queries, and faster exact forms of Whoosh's queries
- `whoosh_index`: the index folder: open, rebuild, apply changes, rank
- `keeper`: keeps the index in step with the database through its queue
"""

from readinglist.core.index.documents import IndexBusy, IndexFilter
from readinglist.core.index.keeper import IndexKeeper
from readinglist.core.index.whoosh_index import RawHit, SearchIndex

__all__ = ["IndexBusy", "IndexFilter", "IndexKeeper", "RawHit", "SearchIndex"]
