import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo builds on the ones before it.
DEMO_MODULES = [
    "sovaz.demo",
    "drafts.demo",
    "impact.demo",
    "discussions.demo",
    "voting.demo",
    "eparliament.demo",
]


class Command(BaseCommand):
    help = "Load the demo agencies, people, drafts, comments and votes (idempotent)."

    def handle(self, *args, **options) -> None:
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
