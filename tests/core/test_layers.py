"""The layer contracts (import-linter, run by `make test`) name every room of
the core, and setuptools ships every package: a new module or package must
say where it stands."""

from __future__ import annotations

import tomllib
from pathlib import Path

import readinglist

PACKAGE = Path(readinglist.__file__).parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def _config() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def _rooms(folder: Path) -> set[str]:
    """The modules and packages directly inside ``folder`` (by their names)."""
    names = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    names |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    return names


def _layered(container: str) -> set[str]:
    for contract in _config()["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers" and contract.get("containers") == [container]:
            return {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    raise AssertionError(f"no layers contract for {container}")


def test_every_module_of_the_core_stands_on_a_layer():
    missing = _rooms(PACKAGE / "core") - _layered("readinglist.core")
    assert not missing, f"add these to the core's layers in pyproject.toml: {sorted(missing)}"


def test_the_layers_name_no_module_that_is_gone():
    gone = _layered("readinglist.core") - _rooms(PACKAGE / "core")
    assert not gone, sorted(gone)


def test_every_module_of_the_window_stands_on_a_layer():
    missing = _rooms(PACKAGE / "ui") - _layered("readinglist.ui")
    assert not missing, f"add these to the window's layers in pyproject.toml: {sorted(missing)}"


def test_every_package_is_shipped():
    listed = set(_config()["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts)
             for p in PACKAGE.rglob("__init__.py") if "__pycache__" not in p.parts}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_every_module_of_a_layered_package_stands_on_its_layers():
    """Storage and the index have layers inside them too (found missing once:
    a module there was on none, and import-linter checked nothing of it)."""
    for package in ("storage", "index"):
        container = f"readinglist.core.{package}"
        missing = _rooms(PACKAGE / "core" / package) - _layered(container)
        assert not missing, f"add these to {container}'s layers: {sorted(missing)}"
