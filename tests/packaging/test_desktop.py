"""The launcher entry, the AppStream metadata, the digest file type and the icons."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from configparser import ConfigParser

from readinglist import __version__
from tests.conftest import FIXTURES
from tests.packaging.conftest import APP_ID, PACKAGING, ROOT, need

DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
ICONS = ROOT / "resources" / "icons" / "hicolor"


def run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120,
                          **kwargs)


def desktop_entry(path=DESKTOP):
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_desktop_file_validate_passes_without_a_warning():
    result = run(need("desktop-file-validate", "desktop-file-utils"), DESKTOP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout and "warning" not in result.stdout, result.stdout


def test_appstreamcli_validate_passes():
    result = run(need("appstreamcli", "appstream"), "validate", "--no-net", METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation was successful" in result.stdout


def test_the_entries_agree_with_each_other_and_with_the_app():
    entry = desktop_entry()
    assert entry["Exec"] == "readinglist gui %F"  # files opened with it are imported
    assert entry["Icon"] == APP_ID
    mime_types = set(entry["MimeType"].strip(";").split(";"))
    assert {"text/plain", "text/x-readinglist-digest", "message/rfc822", "application/mbox",
            "text/html"} <= mime_types  # digests also arrive as e-mail and web pages

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    defined = {t.get("type") for t in ET.parse(MIME).getroot().findall("m:mime-type", ns)}
    assert defined == {"text/x-readinglist-digest"}

    meta = ET.parse(METAINFO).getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == DESKTOP.name
    assert meta.find("releases/release").get("version") == __version__  # the newest first
    assert [m.text for m in meta.findall("provides/mediatype")] == [
        "text/x-readinglist-digest", "message/rfc822", "application/mbox"]
    image = meta.find("screenshots/screenshot/image")
    local = ROOT / "resources" / "screenshots" / image.text.rsplit("/", 1)[1]
    assert png_size(local) == (int(image.get("width")), int(image.get("height")))


def test_the_icon_comes_in_every_size_launchers_ask_for():
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        assert png_size(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == \
        (ROOT / "resources" / "icons" / "readinglist.svg").read_bytes()


def test_install_script_puts_a_valid_entry_in_the_launcher_and_the_file_type_works(tmp_path):
    need("update-mime-database", "shared-mime-info")
    validate = need("desktop-file-validate", "desktop-file-utils")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"),
           "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    result = run("sh", PACKAGING / "install-linux.sh", env=env)
    assert result.returncode == 0, result.stderr
    installed = home / "share" / "applications" / DESKTOP.name
    entry = desktop_entry(installed)
    assert entry["Exec"].endswith("/readinglist gui %F") and entry["Exec"].startswith("/")
    assert run(validate, installed).returncode == 0
    for size in ("48x48", "scalable"):
        assert list((home / "share" / "icons" / "hicolor" / size / "apps").glob(f"{APP_ID}.*"))
    assert (home / "share" / "metainfo" / METAINFO.name).is_file()

    # The desktop's own file-type database now knows a digest by its contents.
    unnamed = tmp_path / "todays-digest"
    unnamed.write_bytes((FIXTURES / "digest_apr02.txt").read_bytes())
    probe = ("import sys\nfrom PySide6.QtCore import QMimeDatabase\n"
             "print(QMimeDatabase().mimeTypeForFile(sys.argv[1]).name())")
    detected = run(sys.executable, "-c", probe, unnamed, env=env)
    assert detected.stdout.strip() == "text/x-readinglist-digest", detected.stderr

    removed = run("sh", PACKAGING / "install-linux.sh", "--uninstall", env=env)
    assert removed.returncode == 0 and not installed.exists()
