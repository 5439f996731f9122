"""Serve SOVAZ with its background processes, all stopped together by Ctrl-C (for `make run`)."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError


def background(receiver_port: str) -> list[tuple[str, list[str]]]:
    """(command, arguments) of the processes that run beside the web server."""
    return [
        ("close_rounds", ["--loop"]),
        ("deliver", ["--loop"]),
        ("send_notifications", ["--loop"]),
        ("fake_eparliament", ["--port", receiver_port]),
    ]


def site_url(host: str, port: str) -> str:
    """The address a reader on this machine opens for a server bound to host:port."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (read, not bound to)
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Run Daphne, the round-closing, delivery and notification e-mail workers and the "
        "stand-in e-parliament."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        # The demo's webhook endpoint is registered at the same port (eparliament/demo.py).
        parser.add_argument(
            "--receiver-port",
            default=os.environ.get("RECEIVER_PORT") or "8001",
            help="Port of the stand-in e-parliament (default: $RECEIVER_PORT or 8001).",
        )

    def handle(self, *args, host: str, port: str, receiver_port: str, **options) -> None:
        if not receiver_port.isdigit() or receiver_port == port:
            raise CommandError(
                f"The stand-in e-parliament needs a port of its own, not {receiver_port!r} "
                f"(the site is on {port}): set RECEIVER_PORT."
            )
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        available = get_commands()
        # Our own interpreter with fixed arguments: nothing here comes from outside.
        # Daphne, with the live fan-out's direct write (live/server.py).
        daphne = [
            sys.executable,
            "-m",
            "live.server",
            "-b",
            host,
            "-p",
            port,
            "sovaz.asgi:application",
        ]
        # Links in e-mails and exports point at this server unless SITE_URL says otherwise.
        os.environ.setdefault("SITE_URL", site_url(host, port))
        procs = [subprocess.Popen(daphne)]  # noqa: S603
        for name, extra in background(receiver_port):
            if name in available:
                procs.append(subprocess.Popen([*manage, name, *extra]))  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"SOVAZ is serving on http://{host}:{port}/"))
        self.stdout.write(f"The stand-in e-parliament is on http://127.0.0.1:{receiver_port}/")
        # `kill`, a closed terminal or a service manager stop it like Ctrl-C: with its children.
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        else:
            died = next(p for p in procs if p.poll() is not None)
            self.stderr.write(f"{' '.join(died.args[1:4])} stopped (exit {died.returncode}).")
        finally:
            self._stop(procs)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @staticmethod
    def _stop(procs: list[subprocess.Popen], grace: float = 5.0) -> None:
        """Ask every process to stop, then insist: Ctrl-C should not take half a minute."""
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        deadline = time.monotonic() + grace
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                p.kill()
