from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from eparliament.models import Export
from eparliament.services import export_round_closed


class Command(BaseCommand):
    help = "Export a closed round again after an invalid export was fixed (no-op if one is valid)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id: int, **options) -> None:
        from voting.models import Round

        rnd = Round.objects.filter(pk=round_id, status=Round.Status.CLOSED).first()
        if rnd is None:
            raise CommandError(f"No closed round {round_id}.")
        with transaction.atomic():
            export_round_closed(round=rnd)
        export = Export.objects.filter(round=rnd).order_by("-id").first()
        if export is None or not export.is_valid:
            raise CommandError("The export failed; see the alerts in the admin.")
        self.stdout.write(f"Round {round_id}: export {export.pk} is valid and queued.")
