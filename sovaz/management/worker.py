"""The loop every background worker command shares (`deliver`, `send_notifications`, …)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections


class WorkerCommand(BaseCommand):
    """Run one batch, or with --loop keep running batches until Ctrl-C or SIGTERM.

    Subclasses implement `run_batch()`, returning whether it found work and the lines to print.
    After a batch with work the next one starts at once (more may be due); an idle worker waits
    `--interval` seconds, waking every 0.1 s so that a stop request ends it promptly. A stop
    request never interrupts a batch.
    """

    default_interval = 2.0

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--interval",
            type=float,
            default=self.default_interval,
            help="Seconds between polls when idle.",
        )

    def run_batch(self, **options) -> tuple[bool, list[str]]:
        raise NotImplementedError

    def handle(self, *args, loop: bool, interval: float, **options) -> None:
        stop = {"now": False}

        def request_stop(*_args) -> None:
            stop["now"] = True

        if loop:
            # Only a long-running worker takes over the signals; a one-off run leaves the
            # caller's Ctrl-C alone.
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
        while True:
            worked, lines = self.run_batch(**options)
            for line in lines:
                self.stdout.write(line)
            if not loop or stop["now"]:
                return
            # A long-running worker must not keep a connection that broke (database restart).
            close_old_connections()
            if not worked:
                for _ in range(int(interval * 10)):
                    if stop["now"]:
                        return
                    time.sleep(0.1)
