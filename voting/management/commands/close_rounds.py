"""Close every voting round whose deadline has passed; with --loop, keep doing so every ~15 s."""

from sovaz.management.worker import WorkerCommand
from voting.services import rounds_close_overdue


class Command(WorkerCommand):
    help = "Close the voting rounds whose deadline has passed (the result is computed once)."
    default_interval = 15.0

    def run_batch(self, **options) -> tuple[bool, list[str]]:
        closed = rounds_close_overdue()
        # Each round closes once, so a batch that closed some need not be followed at once.
        return False, [f"closed round {r.pk}: {r.outcome}" for r in closed]
