"""Recompute the voting ledger's hash chain and report the first entry altered, removed or
reordered. Exits with status 1 when the chain is broken."""

from django.core.management.base import BaseCommand, CommandError

from voting.ledger import verify_ledger


class Command(BaseCommand):
    help = "Verify the hash chain of the voting ledger and the records that point into it."

    def handle(self, *args, **options) -> None:
        report = verify_ledger()
        if report.problem is not None:
            problem = report.problem
            raise CommandError(
                f"ledger broken at entry #{problem.seq}: {problem.kind} ({problem.detail})",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"ledger intact: {report.entries} entries"))
