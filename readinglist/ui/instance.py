"""One window per library, reachable by later launches.

"Open with Readinglist" on a digest starts a new process. When the library
is already open, that process hands the files to the open window (over a
local socket named after the library folder) and exits; the window imports
them and comes to the front.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 3000


def server_name(folder: Path) -> str:
    """A socket name per user and library folder (paths can be too long to use)."""
    key = f"{os.getuid() if hasattr(os, 'getuid') else ''}:{folder.expanduser().resolve()}"
    return "readinglist-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def forward(folder: Path, files: Sequence[str | os.PathLike]) -> bool:
    """Hand ``files`` (maybe none: just come to the front) to the library's open
    window. False when no window answers."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    message = {"open": [str(Path(f).expanduser().resolve()) for f in files]}
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered


class _Server(QObject):
    def __init__(self, name: str, handle: Callable[[list[str]], None], parent: QObject | None):
        super().__init__(parent)
        self._handle = handle
        self._buffers: dict[QLocalSocket, bytes] = {}
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # Only the holder of the window lock gets here, so a socket left
        # behind by a crashed window is stale and can go.
        QLocalServer.removeServer(name)
        self.server.listen(name)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll())
        self._buffers[socket] = data
        if b"\n" not in data or len(data) > 1_000_000:
            return
        try:
            files = [str(f) for f in json.loads(data.split(b"\n", 1)[0])["open"]]
        except (ValueError, KeyError, TypeError):
            socket.write(b"error\n")
        else:
            socket.write(b"ok\n")
            self._handle(files)
        socket.flush()
        socket.disconnectFromServer()

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def close(self) -> None:
        self.server.close()


def serve(folder: Path, handle: Callable[[list[str]], None],
          parent: QObject | None = None) -> _Server:
    """Listen for later launches on this library; ``handle`` gets their files."""
    return _Server(server_name(folder), handle, parent)
