"""The CLI run in this process, as a person runs it: argv in; exit code, stdout, stderr out."""

from __future__ import annotations

import io
import sys

import pytest

from readinglist.cli import main
from tests.conftest import DIGESTS


@pytest.fixture
def lib(tmp_path):
    return str(tmp_path / "cli-lib")


@pytest.fixture
def cli(capsys, lib):
    def run(*args, library=True, stdin=None):
        argv = ["--library", lib, *args] if library else list(args)
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own exits (--help, usage errors)
            code = exc.code
        finally:
            sys.stdin = sys.__stdin__
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


@pytest.fixture
def imported(cli):
    code, _, _ = cli("import", *map(str, DIGESTS))
    assert code == 0
    return cli
