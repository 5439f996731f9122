"""Helpers shared by the voting tests (a module name of its own: `conftest` is ambiguous)."""

from datetime import timedelta

from django.utils import timezone

from sovaz.accounts.models import Agency, Membership
from tests.conftest import make_user


def make_agency(code: str) -> Agency:
    return Agency.objects.create(
        code=code, name_uz=f"{code} uz", name_ru=f"{code} ru", name_en=f"Agency {code}"
    )


def make_voter(agency: Agency):
    user = make_user(f"voter@{agency.code}.uz", kind="official")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.VOTER)
    return user


def expire(voting_round) -> None:
    """Move a round's deadline into the past (by the database's own clock)."""
    from voting.models import Round

    Round.objects.filter(pk=voting_round.pk).update(
        opened_at=timezone.now() - timedelta(days=5), deadline=timezone.now() - timedelta(days=1)
    )
    voting_round.refresh_from_db()
