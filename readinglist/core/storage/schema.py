"""What the library file looks like beyond the tables: version, marks, SQL
expressions and indexes SQLModel cannot declare, triggers.

Sort keys that are expressions are spelled once here: a query must repeat an
expression index's text for SQLite to read the order from the index.
"""

from __future__ import annotations

SCHEMA_VERSION = 11
APPLICATION_ID = 0x524C5354  # "RLST": marks the file as a Readinglist library

STATUSES = ("unread", "skimmed", "read")
MAX_NOTE_BYTES = 1024 * 1024  # a note: a page of thoughts, not a file

STATUS_RANK_SQL = "(CASE status WHEN 'unread' THEN 0 WHEN 'skimmed' THEN 1 ELSE 2 END)"

# Citation keys are unique case-insensitively (\cite is not, in practice).
UNIQUE_CITEKEY_SQL = (
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_paper_citekey ON paper (citekey COLLATE NOCASE)"
)

# Keys are compared case-insensitively: a retired key is looked up that way.
RETIRED_KEY_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_citekey_retired_key ON citekey_retired (key COLLATE NOCASE)"
)
RETIRED_TITLE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_citekey_retired_title ON citekey_retired (title_key)"
)

EXPRESSION_INDEXES = (
    # sorting 100,000 titles by lower(title) without it took 313 ms
    "CREATE INDEX IF NOT EXISTS ix_paper_title_lower ON paper (lower(title))",
)
SORT_INDEXES = (
    f"CREATE INDEX IF NOT EXISTS ix_paper_status_rank ON paper ({STATUS_RANK_SQL})",
)

# paper.tag_sort holds a paper's first tag key (NULL without tags), for the
# tags sort; these triggers keep it right whatever changes tags.
_TAG_SORT_VALUE = (
    "(SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.paper_id = {paper})"
)
TAG_SORT_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} BEGIN {body} END"
    for name, event, body in (
        ("tr_paper_tag_added", "INSERT ON paper_tag",
         "UPDATE paper SET tag_sort = {new} WHERE id = NEW.paper_id;"),
        ("tr_paper_tag_removed", "DELETE ON paper_tag",
         "UPDATE paper SET tag_sort = {old} WHERE id = OLD.paper_id;"),
        ("tr_paper_tag_changed", "UPDATE ON paper_tag",
         "UPDATE paper SET tag_sort = {old} WHERE id = OLD.paper_id; "
         "UPDATE paper SET tag_sort = {new} WHERE id = NEW.paper_id;"),
        ("tr_tag_renamed", "UPDATE OF name_key ON tag",
         "UPDATE paper SET tag_sort = {each} "
         "WHERE id IN (SELECT paper_id FROM paper_tag WHERE tag_id = NEW.id);"),
    )
    for body in [body.format(new=_TAG_SORT_VALUE.format(paper="NEW.paper_id"),
                             old=_TAG_SORT_VALUE.format(paper="OLD.paper_id"),
                             each=_TAG_SORT_VALUE.format(paper="paper.id"))]
)
TAG_SORT_VALUE = _TAG_SORT_VALUE.format(paper="paper.id")
TAG_SORT_FILL = f"UPDATE paper SET tag_sort = {TAG_SORT_VALUE}"
