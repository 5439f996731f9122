"""A stand-in e-parliament: an HTTP server on 127.0.0.1 that verifies every delivery with the
`standardwebhooks` package (as a real receiver would), keeps each message once by its id, and
shows what arrived on a small HTML page. Used by `manage.py fake_eparliament` and the tests.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 64 * 1024 * 1024


@dataclass
class Arrival:
    webhook_id: str
    body: bytes
    verified: bool
    error: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def summary(self) -> dict[str, Any]:
        """What the page shows about a message: draft, version, outcome and documents."""
        try:
            payload = json.loads(self.body)
            bundle = payload["bundle"]
            rnd = bundle.get("round") or {}
            return {
                "type": payload.get("type", ""),
                "draft": f"{bundle['draft']['number']} — {bundle['draft']['title']}",
                "version": bundle["version"]["number"],
                "outcome": rnd.get("outcome", ""),
                "counts": rnd.get("counts", {}),
                "documents": sorted(payload.get("akn", {})),
            }
        except (ValueError, KeyError, TypeError):
            return {
                "type": "?",
                "draft": "",
                "version": "",
                "outcome": "",
                "counts": {},
                "documents": [],
            }


class Inbox:
    """Thread-safe record of every arrival, and of the messages kept once by id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.arrivals: list[Arrival] = []
        self.messages: dict[str, Arrival] = {}

    def add(self, arrival: Arrival) -> bool:
        """Record `arrival`; True if it is a new verified message (False for a repeat)."""
        with self._lock:
            self.arrivals.append(arrival)
            if not arrival.verified or arrival.webhook_id in self.messages:
                return False
            self.messages[arrival.webhook_id] = arrival
            return True

    def counts_by_id(self) -> dict[str, int]:
        with self._lock:
            counts: dict[str, int] = {}
            for a in self.arrivals:
                if a.verified:
                    counts[a.webhook_id] = counts.get(a.webhook_id, 0) + 1
            return counts


@dataclass(frozen=True)
class PageRequest:
    """What a page may depend on of the GET that asked for it (e.g. ?lang= and Accept-Language)."""

    query: dict[str, list[str]]
    headers: Message


# Renders the HTML page from what the server holds and the request that asked for it.
Page = Callable[["ReceiverServer", PageRequest], str]
# A test hook: given the webhook id, return None (normal processing) or (status, headers).
Responder = Callable[[str], tuple[int, dict[str, str]] | None]


class ReceiverServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address,
        *,
        secret: str,
        page: Page | None,
        responder: Responder | None = None,
    ):
        from standardwebhooks import Webhook

        super().__init__(address, _Handler)
        self.webhook = Webhook(secret)
        self.inbox = Inbox()
        self.page = page
        self.responder = responder
        self.verified_refusals = 0  # verified requests answered by the test's responder

    def handle_error(self, request, client_address) -> None:
        # A sender that gave up (timed out) closes the connection; that is not news here.
        pass

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: ReceiverServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass

    def _answer(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        content_type: str = "text/plain; charset=utf-8",
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/index.html"):
            return self._answer(404, b"not found")
        request = PageRequest(query=parse_qs(url.query), headers=self.headers)
        page = (self.server.page or _plain_page)(self.server, request)
        self._answer(200, page.encode(), content_type="text/html; charset=utf-8")

    def do_POST(self) -> None:
        from standardwebhooks.webhooks import WebhookVerificationError

        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._answer(413, b"too large")
        body = self.rfile.read(length)
        msg_id = self.headers.get("webhook-id", "")
        try:
            self.server.webhook.verify(body, dict(self.headers.items()))
        except WebhookVerificationError as exc:
            self.server.inbox.add(Arrival(msg_id, body, verified=False, error=str(exc)))
            return self._answer(401, b"bad signature")
        if self.server.responder:
            scripted = self.server.responder(msg_id)
            if scripted is not None:
                self.server.verified_refusals += 1
                return self._answer(scripted[0], b"", scripted[1])
        new = self.server.inbox.add(Arrival(msg_id, body, verified=True))
        # A repeat is acknowledged too, so the sender stops; it is kept only once.
        self._answer(200 if new else 208, b"ok")


def _plain_page(server: ReceiverServer, request: PageRequest) -> str:
    from html import escape

    rows = "".join(
        f"<li>{escape(a.webhook_id)} {escape(str(a.summary['draft']))}</li>"
        for a in server.inbox.messages.values()
    )
    return f"<!doctype html><title>Fake e-parliament</title><ul>{rows}</ul>"


def serve_in_thread(
    *, secret: str, port: int = 0, responder: Responder | None = None, page: Page | None = None
) -> ReceiverServer:
    """Start a receiver on 127.0.0.1:`port` (0: any free port) in a daemon thread."""
    server = ReceiverServer(("127.0.0.1", port), secret=secret, page=page, responder=responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
