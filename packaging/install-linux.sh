#!/bin/sh
# Put Readinglist in the desktop's launcher, for the current user only.
#
#   packaging/install-linux.sh                  the `readinglist` on PATH (pip install)
#   packaging/install-linux.sh dist/readinglist the PyInstaller bundle (make package)
#   packaging/install-linux.sh --uninstall
#
# Installs the launcher entry, the icons, the AppStream metadata and the
# digest file type under ${XDG_DATA_HOME:-~/.local/share}; a bundle is copied
# to ~/.local/opt/readinglist and linked as ~/.local/bin/readinglist.
set -eu

APP_ID=org.readinglist.Readinglist
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt/readinglist
BIN=$HOME/.local/bin

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" >/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
          "$DATA/mime/packages/$APP_ID.xml"
    find "$DATA/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
    if [ -L "$BIN/readinglist" ] && [ "$(readlink "$BIN/readinglist")" = "$OPT/readinglist" ]; then
        rm -f "$BIN/readinglist"
    fi
    rm -rf "$OPT"
    refresh
    echo "Readinglist removed from the launcher (your library is kept)"
    exit 0
fi

if [ $# -ge 1 ]; then
    bundle=$(cd "$1" && pwd)
    [ -x "$bundle/readinglist" ] || { echo "install-linux.sh: $1 is not a Readinglist bundle (no readinglist program in it)" >&2; exit 1; }
    if [ "$bundle" != "$OPT" ]; then
        rm -rf "$OPT"
        mkdir -p "$(dirname "$OPT")"
        cp -a "$bundle" "$OPT"
    fi
    mkdir -p "$BIN"
    ln -sf "$OPT/readinglist" "$BIN/readinglist"
    program=$OPT/readinglist
else
    program=$(command -v readinglist || true)
    [ -n "$program" ] || { echo "install-linux.sh: no readinglist on PATH; install it first (pip install .) or give the bundle folder" >&2; exit 1; }
fi

mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/mime/packages" "$DATA/icons"
# The launcher starts the program by its full path: ~/.local/bin is not on
# every desktop session's PATH.
sed -e "s|^Exec=readinglist |Exec=$program |" -e "s|^TryExec=readinglist$|TryExec=$program|" \
    "$HERE/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$DATA/metainfo/"
cp "$HERE/$APP_ID.mime.xml" "$DATA/mime/packages/$APP_ID.xml"
cp -r "$ROOT/resources/icons/hicolor" "$DATA/icons/"
refresh
echo "Readinglist is in your launcher ($program); digests open with it"
