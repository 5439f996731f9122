import signal
import time

from django.core.management.base import BaseCommand

from eparliament.services import deliveries_run


class Command(BaseCommand):
    help = "Deliver queued e-parliament exports (once, or --loop as the worker of `make run`)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep delivering until stopped.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")

    def handle(self, *args, loop: bool, interval: float, **options) -> None:
        stop = {"now": False}

        def request_stop(*_args) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        while True:
            result = deliveries_run()
            if result.claimed:
                self.stdout.write(
                    f"claimed {result.claimed}: delivered {result.delivered}, "
                    f"failed {result.failed}, dead {result.dead}"
                )
                for error in result.errors:
                    self.stdout.write(f"  {error}")
            if not loop or stop["now"]:
                return
            # After a batch more may be due, so poll again at once; wait only when idle.
            if not result.claimed:
                for _ in range(int(interval * 10)):
                    if stop["now"]:
                        return
                    time.sleep(0.1)
