from eparliament.services import deliveries_run
from sovaz.management.worker import WorkerCommand


class Command(WorkerCommand):
    help = "Deliver queued e-parliament exports (once, or --loop as the worker of `make run`)."

    def run_batch(self, **options) -> tuple[bool, list[str]]:
        result = deliveries_run()
        if not result.claimed:
            return False, []
        summary = (
            f"claimed {result.claimed}: delivered {result.delivered}, "
            f"failed {result.failed}, dead {result.dead}"
        )
        if result.superseded:
            summary += f", failed after a later attempt took over {result.superseded}"
        return True, [summary, *(f"  {error}" for error in result.errors)]
