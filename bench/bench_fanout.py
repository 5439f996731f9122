"""Benchmark: live fan-out of comments to many viewers over real websockets.

Run from the repository root (PostgreSQL and Redis on 127.0.0.1):

    python bench/bench_fanout.py --viewers 1000 --rate 5 --seconds 20
    python bench/bench_fanout.py --viewers 5000 --rate 50 --seconds 15

It migrates its own database `sovaz_bench`, starts TWO Daphne processes of the real app
(`python -m live.server sovaz.asgi:application`, as `make run` does: Daphne with the direct
frame write; BENCH_SERVER=daphne runs Daphne's own server class instead; the channel layer is
RedisPubSubChannelLayer), opens N websocket viewers on one public draft, split across both
processes, from load-generator processes of their own, and posts comments at a steady rate as
signed-in users through the real comment form (HTTP POST, alternating servers,
from a poster process). Each
comment's body carries the time it was posted; a viewer's latency is receipt minus that time.
Then it measures a plain `websockets` broadcast server (a subprocess that relays each message it
receives to every client) with the same viewers, rate and payload size, as the ceiling, and
prints every figure with its ratio to the ceiling, and how busy the whole machine was (the load
generator, PostgreSQL and Redis share its CPUs). Everything listens on 127.0.0.1 only.
Each Daphne's output is kept in /tmp/bench-daphne-<port>.log for when something goes wrong.
"""

import argparse
import asyncio
import base64
import http.client
import itertools
import multiprocessing
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "sovaz_bench"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
CSRF = "BenchCsrfSecret0123456789abcdefg"
SEQ_RE = re.compile(rb'"seq":(\d+)')
STAMP_RE = re.compile(rb"bench-t=(\d+\.\d+)")
POSTERS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def server_env() -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": REDIS,
        "REDIS_PREFIX": "bench",
        "DJANGO_SETTINGS_MODULE": "sovaz.settings",
        "DEBUG": "false",
        "STATIC_MANIFEST": "false",
        "RATE_LIMITS_ENABLED": "false",
        "IMPACT_ASSESSMENT_REQUIRED": "false",
        "DB_CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }


# --- set-up: database, draft, posters ----------------------------------------------------


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )


def prepare_draft() -> tuple[int, list[str]]:
    """A fresh public draft open for comment, and session cookies of the posting users."""
    os.environ.update(server_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from drafts import services
    from sovaz.accounts.models import Agency, Membership, User

    agency, _ = Agency.objects.get_or_create(
        code="bench", defaults={"name_uz": "Bench", "name_ru": "Bench", "name_en": "Bench"}
    )
    editor, _ = User.objects.get_or_create(email="editor@bench.uz", defaults={"full_name": "E"})
    Membership.objects.get_or_create(user=editor, agency=agency, role=Membership.Role.EDITOR)
    stamp = time.strftime("%Y%m%d%H%M%S")
    draft = services.draft_create(
        author=editor,
        agency=agency,
        title="Fan-out benchmark",
        kind="law",
        number=f"BENCH-{stamp}-{os.getpid()}",
        text="1-modda. Maqsad\nUshbu qonunning maqsadi.\n",
        impact_level="low",
    )
    now = timezone.now()
    services.draft_open_discussion(
        draft=draft,
        actor=editor,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30),
    )
    cookies = []
    for n in range(POSTERS):
        user, _ = User.objects.get_or_create(
            email=f"poster{n}@bench.uz", defaults={"full_name": f"Poster {n}"}
        )
        client = Client()
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            f"; {settings.CSRF_COOKIE_NAME}={CSRF}"
        )
    connections.close_all()
    return draft.pk, cookies


# --- processes -------------------------------------------------------------------------------


def wait_http(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise SystemExit(f"{url} did not start")


def start_daphnes(count: int) -> tuple[list[str], list[subprocess.Popen]]:
    urls, processes = [], []
    for _ in range(count):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    os.environ.get("BENCH_SERVER", "live.server"),
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "sovaz.asgi:application",
                ],
                cwd=ROOT,
                env=server_env(),
                stderr=subprocess.STDOUT,
                stdout=open(f"/tmp/bench-daphne-{port}.log", "wb"),  # noqa: SIM115
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url, process in zip(urls, processes, strict=True):
        wait_http(url, process)
    return urls, processes


def start_ceiling() -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--ceiling-server", str(port)])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"ws://127.0.0.1:{port}", process
        except OSError:
            time.sleep(0.05)
    raise SystemExit("ceiling server did not start")


def run_ceiling_server(port: int) -> None:
    """The ceiling: relay every message received to all connected clients, nothing else."""
    import websockets

    clients: set = set()

    async def handler(connection):
        clients.add(connection)
        try:
            async for message in connection:
                websockets.broadcast(clients, message)
        except websockets.ConnectionClosed:
            pass  # the load generator aborts its sockets at the end
        finally:
            clients.discard(connection)

    async def main():
        async with websockets.serve(handler, "127.0.0.1", port, compression=None, max_queue=None):
            await asyncio.Future()

    raise_nofile()
    asyncio.run(main())


class CpuMeter:
    """CPU seconds and resident memory of some processes, from /proc."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.start = self._cpu()
        self.started = time.monotonic()
        self.peak_rss = 0

    def _cpu(self) -> float:
        total = 0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / self.ticks

    def sample_rss(self) -> None:
        rss = 0
        for pid in self.pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) * 1024
        self.peak_rss = max(self.peak_rss, rss)

    def result(self) -> tuple[float, float]:
        """(CPU cores used on average, peak RSS in MB), over all the processes."""
        return (self._cpu() - self.start) / (time.monotonic() - self.started), self.peak_rss / 2**20


class MachineMeter:
    """Share of the whole machine's CPU time that was busy, from /proc/stat."""

    def __init__(self) -> None:
        self.start = self._times()

    @staticmethod
    def _times() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return sum(fields) - idle, sum(fields)

    def result(self) -> float:
        busy, total = (now - then for now, then in zip(self._times(), self.start, strict=True))
        return busy / total if total else float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# --- the load generator --------------------------------------------------------------------


@dataclass
class Stats:
    viewers: int
    received: int = 0
    out_of_order: int = 0
    frames: int = 0
    latencies_ms: list[int] = field(default_factory=lambda: [0] * 60001)
    arrivals: list[tuple[float, list[float]]] = field(default_factory=list)
    open_sockets: int = 0
    event_bytes: int = 0
    parsed: dict[tuple[int, bytes], tuple[bytes, tuple[list[int], list[float], bool]]] = field(
        default_factory=dict
    )

    def tally(self) -> None:
        """Each event's latency (receipt minus post time) into the histogram, after the run:
        the arithmetic is the same, but not done while the servers are being measured."""
        latencies = self.latencies_ms
        for now, stamps in self.arrivals:
            for stamp in stamps:
                latencies[min(60000, max(0, int((now - stamp) * 1000)))] += 1
        self.arrivals.clear()

    def percentile(self, share: float) -> float:
        total = sum(self.latencies_ms)
        if not total:
            return float("nan")
        goal, seen = share * total, 0
        for ms, count in enumerate(self.latencies_ms):
            seen += count
            if seen >= goal:
                return float(ms)
        return 60000.0


class ViewerProtocol(asyncio.Protocol):
    """One viewer: a minimal websocket client that only counts what it is sent.

    The load generator shares the two CPUs with the servers it measures, so its own cost per
    frame is taken out of theirs. The `websockets` client spent ~60 us of Python per received
    frame (its reader task, frame parser and message queue); this one reads the server's
    unmasked, unfragmented frames straight from `data_received` (~0.5 of the load generator's
    CPU in the flood; both SOVAZ and the ceiling are measured with it). It answers pings, as
    Daphne sends them, and treats anything else it does not expect as an error.
    """

    def __init__(self, path: str, origin: str, stats: Stats, opened: asyncio.Future) -> None:
        self.path, self.origin, self.stats, self.opened = path, origin, stats, opened
        self.buffer = bytearray()
        self.handshake_done = False
        self.last = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        host = self.origin.removeprefix("http://")
        transport.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: {self.origin}\r\n\r\n".encode()
        )

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"closed during handshake: {exc!r}"))

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.handshake_done:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buffer.startswith(b"HTTP/1.1 101"):
                self.opened.set_exception(ConnectionError(bytes(buffer[:200]).decode("latin-1")))
                self.transport.abort()
                return
            del buffer[: end + 4]
            self.handshake_done = True
            self.opened.set_result(None)
        while len(buffer) >= 2:
            first, length = buffer[0], buffer[1] & 0x7F
            start = 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, start = int.from_bytes(buffer[2:4]), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, start = int.from_bytes(buffer[2:10]), 10
            if len(buffer) < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            opcode = first & 0x0F
            if not first & 0x80 or opcode == 0:
                raise RuntimeError("fragmented frame: this client does not reassemble")
            if opcode == 1:
                self.frame(payload)
            elif opcode == 9 and not self.transport.is_closing():
                # a ping: answer with a masked pong carrying the same payload
                mask = os.urandom(4)
                masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
            elif opcode == 8:
                self.transport.abort()

    def frame(self, data: bytes) -> None:
        now = time.time()
        stats = self.stats
        # A server hands the same frame to many viewers, so each distinct frame is parsed once:
        # frames are looked up by their length and first bytes, and a hit must equal the parsed
        # frame byte for byte (a memcmp), so nothing is assumed. Scanning a 20 kB batch took
        # 45 us, hashing it whole 12 us; the load generator's CPU is taken from the servers'.
        key = (len(data), data[:96])
        cached = stats.parsed.get(key)
        if cached is not None and cached[0] == data:
            parsed = cached[1]
        else:
            # Per event only C-speed work: one scan for the sequence numbers, one for the
            # stamps (an event's stamp is the one its comment was posted with).
            seqs = list(map(int, SEQ_RE.findall(data)))
            stamps = list(map(float, STAMP_RE.findall(data)))
            in_order = all(seq == before + 1 for before, seq in itertools.pairwise(seqs))
            parsed = (seqs, stamps, in_order)
            stats.parsed[key] = (data, parsed)
            if len(stats.parsed) > 256:
                del stats.parsed[next(iter(stats.parsed))]
        seqs, stamps, in_order = parsed
        if not seqs:
            return
        if not stats.event_bytes:
            stats.event_bytes = len(data) // len(seqs)
        stats.frames += 1
        stats.received += len(seqs)
        if seqs[0] != self.last + 1 or not in_order:
            pairs = zip([self.last, *seqs], seqs, strict=False)
            stats.out_of_order += sum(1 for before, seq in pairs if seq != before + 1)
        self.last = seqs[-1]
        # Only the arrival is noted here; its latencies are counted after the run (see tally).
        stats.arrivals.append((now, stamps))


async def viewer(
    url: str, stats: Stats, ready: asyncio.Event, connect_gate: asyncio.Semaphore
) -> None:
    parts = urllib.parse.urlsplit(url)
    origin = f"http://{parts.netloc}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    loop = asyncio.get_running_loop()
    async with connect_gate:
        opened = loop.create_future()
        transport, _protocol = await loop.create_connection(
            lambda: ViewerProtocol(path, origin, stats, opened), parts.hostname, parts.port
        )
        await asyncio.wait_for(opened, 60)
    stats.open_sockets += 1
    if stats.open_sockets == stats.viewers:
        ready.set()
    try:
        await asyncio.Future()  # counted by the protocol until cancelled
    finally:
        transport.abort()


class Poster:
    """Posts comments at a steady rate from a few threads; counts what was accepted."""

    def __init__(self, send, rate: float, seconds: float) -> None:
        self.send, self.rate, self.seconds = send, rate, seconds
        self.accepted = 0
        self.failed = 0
        self.post_ms: list[float] = []
        self.lock = threading.Lock()

    def run_and_report(self, results) -> None:
        self.run()
        results.put((self.accepted, self.failed, self.post_ms))

    def run(self) -> None:
        total = int(self.rate * self.seconds)
        start = time.monotonic() + 0.2
        next_index = iter(range(total))

        def worker() -> None:
            for n in next_index:
                delay = start + n / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                sent = time.time()
                ok = self.send(n, sent)
                with self.lock:
                    self.post_ms.append((time.time() - sent) * 1000)
                    if ok:
                        self.accepted += 1
                    else:
                        self.failed += 1

        threads = [threading.Thread(target=worker) for _ in range(min(16, max(2, total)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def sovaz_sender(urls: list[str], draft_pk: int, cookies: list[str]):
    """Posts through the comment form, each poster thread keeping its HTTP connections open as
    a browser does (a new connection per comment would add a TCP accept and a new HTTP
    protocol object per comment to the servers' work)."""
    local = threading.local()

    def send(n: int, stamp: float) -> bool:
        url = urls[n % len(urls)]
        body = f"Bench comment {n} bench-t={stamp:.6f} — o‘zgarish kerak."
        data = urllib.parse.urlencode(
            {"anchor": "draft", "body": body, "csrfmiddlewaretoken": CSRF}
        ).encode()
        headers = {
            "Cookie": cookies[n % len(cookies)],
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connections = local.__dict__.setdefault("connections", {})
        for attempt in (1, 2):  # once more on a fresh connection if the server closed this one
            connection = connections.get(url)
            if connection is None:
                host = urllib.parse.urlsplit(url).netloc
                connection = connections[url] = http.client.HTTPConnection(host, timeout=30)
            try:
                connection.request(
                    "POST", f"/discussions/drafts/{draft_pk}/comment/", data, headers
                )
                response = connection.getresponse()
                response.read()
                return response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                del connections[url]
                if attempt == 2:
                    return False
        return False

    return send


def ceiling_sender(url: str, payload_size: int):
    """Sends through one websocket client of the ceiling server, like a poster would."""
    from websockets.sync.client import connect

    connection = connect(url, compression=None).__enter__()
    lock = threading.Lock()

    counter = iter(range(1, 10**9))

    def send(n: int, stamp: float) -> bool:
        with lock:  # numbered under the lock, so the relay sees them in order
            head = (
                f'{{"type":"event","seq":{next(counter)},"kind":"comment.created",'
                f'"data":{{"t":"bench-t={time.time():.6f}","pad":"'
            )
            message = head + "x" * max(0, payload_size - len(head) - 3) + '"}}'
            connection.send(message)
        return True

    return send, connection


async def run_viewers(
    urls: list[str], viewers: int, gate_size: int, ready, stop, received, results
) -> None:
    """One load-generator process: open `viewers` sockets, count, report its Stats at `stop`."""
    stats = Stats(viewers=viewers)
    all_open = asyncio.Event()
    gate = asyncio.Semaphore(gate_size)
    started = time.monotonic()
    tasks = [
        asyncio.ensure_future(viewer(urls[i % len(urls)], stats, all_open, gate))
        for i in range(viewers)
    ]
    waiter = asyncio.ensure_future(all_open.wait())
    await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED, timeout=120)
    if not all_open.is_set():
        failed = [t for t in tasks if t.done() and t.exception()]
        ready.put(
            f"only {stats.open_sockets} of {viewers} viewers connected"
            + (f"; {failed[0].exception()!r}" if failed else "")
        )
        return
    ready.put(time.monotonic() - started)
    while not stop.is_set():
        received.value = stats.received
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stats.parsed.clear()
    stats.tally()
    results.put(stats)


def viewer_process(*args) -> None:
    asyncio.run(run_viewers(*args))


def measure(
    label: str,
    viewer_urls: list[str],
    viewers: int,
    sender,
    rate: float,
    seconds: float,
    pids: list[int],
    processes: int,
) -> dict:
    # The viewers are split over `processes` load-generator processes: one Python process
    # reading 5,000 sockets' frames was itself a queue the latency waited in (py-spy: always
    # busy in websockets' frame parsing and the bench's own parsing).
    fork = multiprocessing.get_context("fork")
    ready, results = fork.SimpleQueue(), fork.SimpleQueue()
    stop = fork.Event()
    shares = [viewers // processes + (n < viewers % processes) for n in range(processes)]
    counters = [fork.Value("q", 0, lock=False) for _ in shares]
    generators = [
        fork.Process(
            target=viewer_process,
            # 100 handshakes at a time in all, as with one process
            args=(viewer_urls, share, 100 // processes, ready, stop, counter, results),
        )
        for share, counter in zip(shares, counters, strict=True)
    ]
    for process in generators:
        process.start()
    try:
        connect_times = [ready.get() for _ in generators]
        errors = [t for t in connect_times if isinstance(t, str)]
        if errors:
            raise SystemExit(f"{label}: {errors[0]}")
        meter = CpuMeter(pids)
        machine = MachineMeter()
        loadgen = CpuMeter([p.pid for p in generators])
        poster = Poster(sender, rate, seconds)
        # The posters run in a process of their own, like the viewers.
        posted = fork.SimpleQueue()
        post_process = fork.Process(target=poster.run_and_report, args=(posted,))
        post_process.start()
        while post_process.is_alive():
            meter.sample_rss()
            time.sleep(0.5)
        poster.accepted, poster.failed, poster.post_ms = posted.get()
        expected = poster.accepted * viewers
        drain_deadline = time.monotonic() + 10
        while sum(c.value for c in counters) < expected and time.monotonic() < drain_deadline:
            time.sleep(0.1)
        cpu, rss = meter.result()
        machine_busy = machine.result()
        cpu_s = cpu * (time.monotonic() - meter.started)
        loadgen_cpu, _rss = loadgen.result()
        stop.set()
        parts = [results.get() for _ in generators]
    finally:
        stop.set()
        for process in generators:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    stats = Stats(viewers=viewers)
    for part in parts:
        stats.received += part.received
        stats.out_of_order += part.out_of_order
        stats.frames += part.frames
        stats.event_bytes = stats.event_bytes or part.event_bytes
        stats.latencies_ms = [
            a + b for a, b in zip(stats.latencies_ms, part.latencies_ms, strict=True)
        ]
    return {
        "label": label,
        "connect_s": max(connect_times),
        "posted": poster.accepted,
        "post_failed": poster.failed,
        "delivered": stats.received / expected if expected else float("nan"),
        "out_of_order": stats.out_of_order,
        "frames_per_viewer_s": stats.frames / viewers / seconds,
        "deliveries_s": stats.received / seconds,
        "p50_ms": stats.percentile(0.50),
        "p99_ms": stats.percentile(0.99),
        "cpu_cores": cpu,
        "cpu_us_per_delivery": cpu_s / stats.received * 1e6 if stats.received else float("nan"),
        "rss_mb": rss,
        "loadgen_cpu": loadgen_cpu,
        "event_bytes": stats.event_bytes,
        "post_p50_ms": percentile(poster.post_ms, 0.50),
        "post_p99_ms": percentile(poster.post_ms, 0.99),
        "machine_busy": machine_busy,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=5, help="comments per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument(
        "--loadgen-processes", type=int, default=2, help="processes the viewers are split over"
    )
    parser.add_argument("--skip-ceiling", action="store_true", help="measure SOVAZ only")
    parser.add_argument("--ceiling-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling_server:
        run_ceiling_server(args.ceiling_server)
        return
    raise_nofile()
    prepare_database()
    draft_pk, cookies = prepare_draft()
    urls, daphnes = start_daphnes(args.servers)
    ceiling_url, ceiling = start_ceiling()
    try:
        # Viewers ask for their language, as live.js does: one fragment per event, not three.
        ws = [u.replace("http://", "ws://") + f"/ws/drafts/{draft_pk}/?lang=uz" for u in urls]
        sovaz = measure(
            "SOVAZ",
            ws,
            args.viewers,
            sovaz_sender(urls, draft_pk, cookies),
            args.rate,
            args.seconds,
            [p.pid for p in daphnes],
            args.loadgen_processes,
        )
        print("SOVAZ", sovaz, flush=True)
        if args.skip_ceiling:
            return
        size = sovaz["event_bytes"]
        send, connection = ceiling_sender(ceiling_url, size)
        plain = measure(
            "ceiling",
            [ceiling_url],
            args.viewers,
            send,
            args.rate,
            args.seconds,
            [ceiling.pid],
            args.loadgen_processes,
        )
        connection.close()
    finally:
        for process in [*daphnes, ceiling]:
            process.terminate()
        for process in [*daphnes, ceiling]:
            process.wait(timeout=10)
    report(args, sovaz, plain, size)


def report(args, sovaz: dict, plain: dict, size: int) -> None:
    print(
        f"\nfan-out: {args.viewers} viewers on {args.servers} Daphne processes, "
        f"{args.rate:g} comments/s for {args.seconds:g} s, event ~{size} bytes; "
        "load average %.1f %.1f %.1f on %d CPUs" % (*os.getloadavg(), os.cpu_count())
    )
    print(f"{'':24}{'SOVAZ':>12}{'ceiling':>12}{'ratio':>10}")
    rows = [
        ("comments posted", "posted", "{:.0f}"),
        ("posts failed", "post_failed", "{:.0f}"),
        ("delivered share", "delivered", "{:.2%}"),
        ("out of order / gaps", "out_of_order", "{:.0f}"),
        ("deliveries / s", "deliveries_s", "{:.0f}"),
        ("frames / viewer / s", "frames_per_viewer_s", "{:.1f}"),
        ("latency p50 ms", "p50_ms", "{:.0f}"),
        ("latency p99 ms", "p99_ms", "{:.0f}"),
        ("  of which post p50 ms", "post_p50_ms", "{:.0f}"),
        ("  post p99 ms", "post_p99_ms", "{:.0f}"),
        ("server CPU cores", "cpu_cores", "{:.2f}"),
        ("server CPU us / delivery", "cpu_us_per_delivery", "{:.1f}"),
        ("server RSS MB", "rss_mb", "{:.0f}"),
        ("connect all s", "connect_s", "{:.1f}"),
        ("load generator CPU cores", "loadgen_cpu", "{:.2f}"),
        ("machine CPU busy", "machine_busy", "{:.0%}"),
    ]
    for title, key, fmt in rows:
        a, b = sovaz[key], plain[key]
        comparable = (
            b and b == b and a == a and not key.startswith("post_p")
        )  # the ceiling has no POST
        ratio = f"{a / b:.2f}" if comparable else "-"
        print(f"{title:24}{fmt.format(a):>12}{fmt.format(b):>12}{ratio:>10}")


if __name__ == "__main__":
    main()
