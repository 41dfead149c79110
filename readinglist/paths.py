"""Where the library lives: --library, else $READINGLIST_HOME, else the user data dir."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import platformdirs

ENV_VAR = "READINGLIST_HOME"


def default_library_dir() -> Path:
    return Path(platformdirs.user_data_dir("readinglist", appauthor=False))


def library_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return default_library_dir()


SETTINGS_ENV = "READINGLIST_CONFIG"  # a settings file of its own (scripts, tests)


def settings_file() -> Path:
    """The user's settings (the lookup service's address, …): not in any library
    folder, which may come from someone else."""
    explicit = os.environ.get(SETTINGS_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir("readinglist", appauthor=False)) / "settings.json"


def user_state_dir() -> Path:
    """This user's own files of Readinglist that are no library's data (its
    automatic exports): never inside a library folder, not even the default
    one (which lives in the user data folder)."""
    return Path(platformdirs.user_state_dir("readinglist", appauthor=False))


_LIBRARY_ID = re.compile(r"[0-9a-f]{32}")


def safe_library_id(library_id: str) -> str:
    """The library's id as a file name. The id is read from the database,
    which may come from someone else: anything but the 32 hex digits this
    program writes ("../../x", a slash, a NUL) becomes a digest of it, so it
    can never name a place outside this user's own folders."""
    if _LIBRARY_ID.fullmatch(library_id or ""):
        return library_id
    digest = hashlib.sha256((library_id or "").encode("utf-8", "surrogatepass")).hexdigest()
    return f"x{digest[:31]}"


def automatic_exports_file(library_id: str) -> Path:
    """The automatic exports this user set up for one library (by its own id:
    a library folder from someone else never brings any)."""
    return user_state_dir() / "automatic-exports" / f"{safe_library_id(library_id)}.json"


def library_cache_dir(library_id: str, database: Path) -> Path:
    """Where this user keeps one library's caches (the search index, the
    suggestion features): by the library's own id and where its database is,
    so a copy of the folder, or the folder opened from another place, builds
    caches of its own; and never in the library folder, which may come from
    someone else."""
    where = hashlib.sha256(str(database.resolve()).encode("utf-8")).hexdigest()[:16]
    name = f"{safe_library_id(library_id)}-{where}"
    return Path(platformdirs.user_cache_dir("readinglist", appauthor=False)) / "libraries" / name
