"""Fixtures for the live tests: websocket communicators on the real ASGI app, and real Daphne
processes on the test database (for the two-process and browser tests).

Daphne runs in separate processes, so it needs a database it can open: on PostgreSQL the test
database; on SQLite a file. An in-memory SQLite test database (the default) is switched to a
file here, before any database is created, so these tests run with no services at all.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent.parent


def _use_file_sqlite_for_tests() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3" or db.get("TEST", {}).get("NAME"):
        return
    path = os.path.join(tempfile.mkdtemp(prefix="sovaz-live-"), "test.sqlite3")
    for settings_dict in (db, connections["default"].settings_dict):
        settings_dict.setdefault("TEST", {})["NAME"] = path


_use_file_sqlite_for_tests()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _daphne_env() -> dict[str, str]:
    """The environment of a Daphne process serving the current test database."""
    env = {k: v for k, v in os.environ.items() if k not in ("SQLITE_TEST_NAME",)}
    db = connections["default"].settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        env.pop("DATABASE_URL", None)
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        user = db.get("USER") or "postgres"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    env.update(
        DJANGO_SETTINGS_MODULE="sovaz.settings",
        STATIC_MANIFEST="false",
        # Serve static files from the app folders (no collectstatic in tests).
        DEBUG="true",
        RATE_LIMITS_ENABLED="false",
        IMPACT_ASSESSMENT_REQUIRED="false",
        LANGUAGE_CODE="en",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Poll /healthz until it answers (no fixed sleeps); fail with Daphne's output if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        # Polling another process until it answers, bounded by the deadline: there is no clock
        # of ours to control here, and Daphne has no readiness signal to wait on instead.
        time.sleep(0.05)
    raise RuntimeError(f"daphne at {url} did not become healthy in {timeout} s")


@pytest.fixture
def daphne_servers(transactional_db) -> Iterator[Callable[..., list[str]]]:
    """`daphne_servers(n)` starts n Daphne processes of sovaz.asgi on the test database and
    returns their base URLs; they are killed at teardown."""
    processes: list[subprocess.Popen] = []
    logs: list[Path] = []

    def start(n: int = 1, **extra_env: str) -> list[str]:
        env = _daphne_env() | extra_env
        urls = []
        for _ in range(n):
            port = free_port()
            log = Path(tempfile.mkstemp(prefix="daphne-", suffix=".log")[1])
            logs.append(log)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "live.server",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "sovaz.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        for url, process, log in zip(urls, processes[-n:], logs[-n:], strict=True):
            try:
                wait_healthy(url, process)
            except RuntimeError as error:
                raise RuntimeError(f"{error}\n{log.read_text()[-3000:]}") from None
        return urls

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    for log in logs:
        log.unlink(missing_ok=True)


def services_available() -> str:
    """Why the PostgreSQL + Redis tests cannot run here, or '' if they can."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://…"
    return ""


@pytest.fixture
def require_services() -> None:
    reason = services_available()
    if reason:
        print(f"skipped: {reason}")
        pytest.skip(reason)


@pytest.fixture
def chromium_available() -> None:
    if not shutil.which(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        pytest.skip("browser tests need Chromium at /usr/bin/chromium")


ORIGIN = b"http://testserver"


def session_cookie(user) -> bytes:
    """A Cookie header value for a signed-in session of `user` (call from sync code)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


@pytest.fixture
def cookie_for():
    """`cookie_for(user)`: the Cookie header of a signed-in session (call from sync code)."""
    return session_cookie


@pytest.fixture
def open_socket():
    """`await open_socket(draft_id, cookie=..., origin=..., query=...)` -> a connected
    WebsocketCommunicator on the full ASGI app (Origin check, session, routing)."""
    from channels.testing import WebsocketCommunicator

    from sovaz.asgi import application

    async def connect(
        draft_id: int, *, cookie: bytes | None = None, origin: bytes = ORIGIN, query: str = ""
    ):
        headers = [(b"origin", origin), (b"host", b"testserver")]
        if cookie:
            headers.append((b"cookie", cookie))
        path = f"/ws/drafts/{draft_id}/" + (f"?{query}" if query else "")
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _code = await communicator.connect()
        communicator.accepted = connected
        return communicator

    return connect


CSRF_SECRET = "LiveTestsCsrfSecret0123456789abc"  # any 32 letters/digits form a valid secret


def http_post_comment(base_url: str, cookie: bytes, draft_pk: int, body: str) -> int:
    """POST a comment through the real form endpoint of a running server; the HTTP status."""
    import urllib.parse

    data = urllib.parse.urlencode(
        {"anchor": "draft", "body": body, "csrfmiddlewaretoken": CSRF_SECRET}
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/discussions/drafts/{draft_pk}/comment/",
        data=data,
        headers={
            "Cookie": f"{cookie.decode()}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def post_comment():
    """`post_comment(base_url, cookie, draft_pk, body)` -> HTTP status."""
    return http_post_comment


@pytest.fixture(autouse=True)
def _forget_public_drafts():
    """Draft ids can repeat between tests; production ids never do."""
    from live import consumers

    consumers._public_drafts.clear()
    yield
    consumers._public_drafts.clear()
