"""The schema a library is checked against when it opens without the ORM
(`storage/schema_objects.py`) is the one the models make.

After a change of the models or of a migration, write it again with
``python -m tests.core.test_schema_objects``.
"""

from __future__ import annotations

import pprint
import sqlite3
from pathlib import Path

from readinglist.core.storage import migrations, schema_check, schema_objects
from readinglist.core.storage.schema import SCHEMA_VERSION

TARGET = Path(schema_objects.__file__)
HEADER = '''"""Today's schema as `schema_check.objects` lists it: what a library opened
without the ORM (a command that only reads) must hold exactly. Written from
the models by ``python -m tests.core.test_schema_objects``; a test holds it
to them."""

'''


def test_the_stored_schema_is_the_one_the_models_make():
    assert schema_objects.SCHEMA_VERSION == SCHEMA_VERSION
    assert migrations.expected_schema() == schema_objects.OBJECTS, \
        "run: python -m tests.core.test_schema_objects"


def test_a_library_of_today_is_current_and_one_with_anything_else_is_not(tmp_path):
    from readinglist.core.library import Library

    with Library.open(tmp_path / "lib") as library:
        path = library.db_path
    with sqlite3.connect(path) as conn:
        assert schema_check.current(conn)
        conn.execute("CREATE TRIGGER t AFTER INSERT ON tag BEGIN SELECT 1; END")
        assert not schema_check.current(conn)
        conn.execute("DROP TRIGGER t")
        assert schema_check.current(conn)
        conn.execute("PRAGMA user_version = 10")
        assert not schema_check.current(conn)


def write() -> None:
    body = pprint.pformat(sorted(migrations.expected_schema()), width=96)
    TARGET.write_text(f"{HEADER}SCHEMA_VERSION = {SCHEMA_VERSION}\n\n"
                      f"OBJECTS = frozenset({body})\n", encoding="utf-8")


if __name__ == "__main__":
    write()
