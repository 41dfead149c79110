"""After a full disk: a failed backup or cache write leaves nothing behind, an
older leftover is cleared at the next opening, and `stats` says the backup failed."""

from __future__ import annotations

import errno
import os
import time

import numpy as np

from readinglist.cli import main
from readinglist.core.library import Library
from readinglist.core.storage import backups
from tests.conftest import DIGESTS, cache_dir_of


def full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_backup_leaves_nothing_and_stats_says_so(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)  # (a new library: no backup yet, today's is due)

    def copy_then_fail(source, temp, target):
        temp.write_bytes(b"half a database")
        temp.with_name(temp.name + "-wal").write_bytes(b"x" * 4096)
        full_disk()

    with monkeypatch.context() as patched:
        patched.setattr(backups, "_copy_to", copy_then_fail)
        with Library.open(folder) as library:
            assert "No space left on device" in library.backup_error
    assert list((folder / "backups").iterdir()) == []
    assert main(["--library", str(folder), "stats"]) == 0  # the backup works again now …
    out = capsys.readouterr().out
    assert "the last daily backup failed" not in out  # … and the failure is forgotten
    for old in (folder / "backups").iterdir():
        old.unlink()
    with monkeypatch.context() as patched:
        patched.setattr(backups, "_copy_to", full_disk)
        assert main(["--library", str(folder), "stats"]) == 0
    out = capsys.readouterr().out
    assert "the last daily backup failed: " in out and "No space left on device" in out


def test_leftovers_of_a_killed_backup_are_cleared_at_the_next_opening(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    (folder / "backups").mkdir(exist_ok=True)
    kept = folder / "backups" / "library-2020-01-01.sqlite"
    kept.write_bytes(b"an old backup, kept")
    stale = [folder / "backups" / f"library-2026-01-01.sqlite.part{end}"
             for end in ("", "-wal", "-shm")]
    fresh = folder / "backups" / "library-2026-01-02.sqlite.part"  # another process's, now
    an_hour_ago = time.time() - 3600
    for path in [*stale, fresh]:
        path.write_bytes(b"x" * 1024)
    for path in stale:
        os.utime(path, (an_hour_ago, an_hour_ago))
    with Library.open(folder):
        pass
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and kept.exists()


def test_a_failed_cache_write_leaves_no_temporary_file(library, monkeypatch):
    library.import_files(DIGESTS)
    with monkeypatch.context() as patched:
        def savez_then_fail(stream, **arrays):
            stream.write(b"PK half an archive")
            full_disk()

        patched.setattr(np, "savez", savez_then_fail)
        library.similar(3)  # learns the features and tries to keep them
    cache = cache_dir_of(library.folder)
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []
    assert not (cache / "features.npz").exists()
    assert library.similar(3)  # in memory meanwhile
    library.close()  # tried again when the library closes, and kept this time
    assert (cache / "features.npz").exists()
