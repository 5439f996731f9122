from discussions.services import EMAIL_BATCH, notification_emails_send
from sovaz.management.worker import WorkerCommand


class Command(WorkerCommand):
    help = "Send queued notification e-mails (once, or --loop as the worker of `make run`)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--limit", type=int, default=EMAIL_BATCH, help="E-mails per batch.")

    def run_batch(self, *, limit: int, **options) -> tuple[bool, list[str]]:
        result = notification_emails_send(limit=limit)
        if not result.claimed:
            return False, []
        summary = (
            f"claimed {result.claimed}: sent {result.sent}, "
            f"retrying {result.retrying}, failed {result.failed}"
        )
        return True, [summary, *(f"  {error}" for error in result.errors)]
