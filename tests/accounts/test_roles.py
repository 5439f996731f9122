"""The role predicates: each persona against each predicate."""

import pytest

from sovaz.accounts import permissions as p

pytestmark = pytest.mark.django_db

PERSONAS = [
    "agency_editor",
    "agency_voter",
    "other_voter",
    "citizen",
    "business",
    "moderator",
    "secretariat",
    "legislator",
    "outsider",
]

EXPECTED = {
    # predicate: personas for which it holds
    "is_editor_of_agency": {"agency_editor"},
    "is_voter_of_agency": {"agency_voter"},
    "is_member_of_agency": {"agency_editor", "agency_voter"},
    "is_moderator": {"moderator"},
    "is_secretariat": {"secretariat"},
    "is_legislator": {"legislator"},
    "is_official": {
        "agency_editor",
        "agency_voter",
        "other_voter",
        "moderator",
        "secretariat",
        "legislator",
    },
    "can_post": {
        "agency_editor",
        "agency_voter",
        "other_voter",
        "citizen",
        "business",
        "moderator",
        "secretariat",
        "legislator",
    },
}


def check(name, user, agency):
    if name.endswith("_of_agency"):
        return getattr(p, name.removesuffix("_agency"))(user, agency)
    return getattr(p, name)(user)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_role_predicate(request, agency, persona, predicate):
    user = request.getfixturevalue(persona)
    assert check(predicate, user, agency) is (persona in EXPECTED[predicate])


def test_blocked_user_may_not_post(citizen):
    citizen.is_blocked = True
    assert not p.can_post(citizen)


def test_deactivated_moderator_loses_the_role(moderator):
    moderator.is_active = False
    assert not p.is_moderator(moderator)
