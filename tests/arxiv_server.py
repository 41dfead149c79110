"""A stand-in for arXiv's API on 127.0.0.1, answering from the Atom entries of
tests/fixtures/arxiv/: by ``id_list`` (the entries of those ids) and by
``search_query=ti:"…"`` (the entries whose title has those words). It notes
when each request arrived, on its own clock, and can be told to answer 503
first, to be slow, or to refuse."""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
FEED = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
        '  <title type="html">ArXiv Query</title>\n'
        '  <opensearch:totalResults>{count}</opensearch:totalResults>\n{entries}</feed>\n')


def _entries() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.xml")
            if path.stem[0].isdigit()}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


class ArxivStandIn:
    def __init__(self) -> None:
        self.entries = _entries()
        self.arrivals: list[float] = []  # time.monotonic() of each request, here
        self.queries: list[dict[str, str]] = []
        self.user_agents: list[str] = []
        self.busy_first = 0  # answer 503 to this many requests first
        self.delay = 0.0  # seconds before each answer
        self.error = False  # answer arXiv's error feed
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stand_in.arrivals.append(time.monotonic())
                stand_in.user_agents.append(self.headers.get("User-Agent", ""))
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                stand_in.queries.append(query)
                if stand_in.busy_first > 0:
                    stand_in.busy_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if stand_in.delay:
                    time.sleep(stand_in.delay)
                body = stand_in.answer(query).encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/atom+xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: as arXiv would see it

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/query"

    def answer(self, query: dict[str, str]) -> str:
        if self.error:
            return (FIXTURES / "error.xml").read_text(encoding="utf-8")
        if query.get("id_list"):
            wanted = query["id_list"].split(",")
            found = [self.entries[i] for i in wanted if i in self.entries]
        else:
            words = _words(query.get("search_query", "").removeprefix("ti:"))
            found = [e for e in self.entries.values()
                     if all(w in _words(re.search(r"<title>(.*?)</title>", e, re.S)[1])
                            for w in words)]
        return FEED.format(count=len(found), entries="".join(found))

    def __enter__(self) -> ArxivStandIn:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
