"""The user's own settings, apart from any library: the lookup service's
address and pace. A JSON file (`readinglist.paths.settings_file`), read when
needed; an unreadable one counts as empty and says so.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from readinglist.core.errors import InvalidInput
from readinglist.core.storage.atomic import write_atomic
from readinglist.paths import settings_file

ARXIV_URL = "https://export.arxiv.org/api/query"
# arXiv's terms of use: at most one request every three seconds.
ARXIV_INTERVAL_S = 3.0


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    help: str


SETTINGS = {
    "lookup.arxiv-url": Setting("lookup.arxiv-url", ARXIV_URL,
                                "the address of arXiv's API (a mirror, or a test server)"),
    "lookup.interval": Setting("lookup.interval", ARXIV_INTERVAL_S,
                               "seconds between two requests (3 or more for arXiv itself)"),
    "lookup.timeout": Setting("lookup.timeout", 20.0, "seconds to wait for an answer"),
}


def load(path: Path | None = None) -> dict[str, object]:
    path = path or settings_file()
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def get(key: str, path: Path | None = None) -> object:
    if key not in SETTINGS:
        raise InvalidInput(f"no setting {key!r} (settings: {', '.join(SETTINGS)})")
    return load(path).get(key, SETTINGS[key].default)


def put(key: str, value: str | None, path: Path | None = None) -> object:
    """Set (or with None, reset) a setting; returns the value it has now."""
    if key not in SETTINGS:
        raise InvalidInput(f"no setting {key!r} (settings: {', '.join(SETTINGS)})")
    values = load(path)
    if value is None:
        values.pop(key, None)
    else:
        values[key] = check(key, value, values)
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(values, indent=2, sort_keys=True) + "\n")
    return values.get(key, SETTINGS[key].default)


def check(key: str, value: str, others: dict) -> object:
    if key == "lookup.arxiv-url":
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"not a web address: {value!r}")
        return value.strip()
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{key} is a number of seconds, not {value!r}") from None
    if key == "lookup.interval":
        address = str(others.get("lookup.arxiv-url", ARXIV_URL))
        if number < ARXIV_INTERVAL_S and not is_loopback(address):
            raise InvalidInput(f"arXiv asks for {ARXIV_INTERVAL_S:g} s between requests at "
                               "least (a shorter pace is for a test server on this machine)")
    if number <= 0:
        raise InvalidInput(f"{key} must be more than 0")
    return number


def is_loopback(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lookup_pace(path: Path | None = None) -> tuple[str, float, float]:
    """(address, seconds between requests, time-out), as the settings say, never
    faster than arXiv allows unless the address is on this machine."""
    values = load(path)
    address = str(values.get("lookup.arxiv-url", ARXIV_URL))
    try:
        interval = float(values.get("lookup.interval", ARXIV_INTERVAL_S))
        timeout = float(values.get("lookup.timeout", 20.0))
    except (TypeError, ValueError):
        interval, timeout = ARXIV_INTERVAL_S, 20.0
    if not is_loopback(address):
        interval = max(interval, ARXIV_INTERVAL_S)
    return address, max(interval, 0.05), max(timeout, 0.5)
