"""Who holds which role. Each predicate is small, named and tested in tests/accounts."""

from django.contrib.auth.models import AnonymousUser

from sovaz.accounts.models import Agency, Membership, User

AnyUser = User | AnonymousUser


def _agency_ids(user: AnyUser, role: str) -> set[int]:
    """Agency ids where the user holds `role`, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = user.__dict__.setdefault("_sovaz_agency_roles", {})
    if role not in cache:
        cache[role] = set(
            Membership.objects.filter(user=user, role=role).values_list("agency_id", flat=True)
        )
    return cache[role]


def editor_agency_ids(user: AnyUser) -> set[int]:
    return _agency_ids(user, Membership.Role.EDITOR)


def voter_agency_ids(user: AnyUser) -> set[int]:
    return _agency_ids(user, Membership.Role.VOTER)


def is_editor_of(user: AnyUser, agency: Agency | int) -> bool:
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agency_id in editor_agency_ids(user)


def is_voter_of(user: AnyUser, agency: Agency | int) -> bool:
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agency_id in voter_agency_ids(user)


def is_member_of(user: AnyUser, agency: Agency | int) -> bool:
    return is_editor_of(user, agency) or is_voter_of(user, agency)


def is_moderator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_moderator)


def is_secretariat(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)


def is_legislator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_legislator)


def is_official(user: AnyUser) -> bool:
    """Anyone who works inside the system: agency members and the site-wide roles."""
    return bool(
        editor_agency_ids(user)
        or voter_agency_ids(user)
        or is_secretariat(user)
        or is_moderator(user)
        or is_legislator(user)
    )


def can_post(user: AnyUser) -> bool:
    """Signed in, active and not blocked by a moderator."""
    return bool(user.is_authenticated and user.is_active and not user.is_blocked)
