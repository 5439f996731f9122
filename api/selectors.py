"""What the public API may show: only data everyone may read on the site."""

from django.db.models import QuerySet

from drafts.models import Draft, Version
from eparliament.models import Export
from eparliament.selectors import public_comments


def drafts() -> QuerySet[Draft]:
    return Draft.objects.public().select_related("agency")


def versions() -> QuerySet[Version]:
    return Version.objects.filter(draft__in=Draft.objects.public()).defer("source_text")


def comments():
    return public_comments().select_related("author", "version")


def dispositions():
    from discussions.models import Disposition

    return Disposition.objects.filter(
        comment__in=public_comments().filter(parent=None)
    ).select_related("comment", "changed_in_version")


def rounds():
    from voting.models import Round

    return Round.objects.filter(draft__in=Draft.objects.public()).select_related("version")


def exports() -> QuerySet[Export]:
    return Export.objects.filter(is_valid=True, draft__in=Draft.objects.public()).defer(
        "bundle", "body", "documents"
    )
