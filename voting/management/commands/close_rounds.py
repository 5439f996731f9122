"""Close every voting round whose deadline has passed; with --loop, keep doing so every ~15 s."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from voting.services import rounds_close_overdue


class Command(BaseCommand):
    help = "Close the voting rounds whose deadline has passed (the result is computed once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run forever.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between runs.")

    def handle(self, *args, loop: bool, interval: float, **options) -> None:
        while True:
            for voting_round in rounds_close_overdue():
                self.stdout.write(f"closed round {voting_round.pk}: {voting_round.outcome}")
            if not loop:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            close_old_connections()  # a long-running worker must not keep a broken connection
