"""The permission matrix: each persona against voting, opening, closing and reading."""

import pytest

from tests.conftest import client_for
from voting import services
from voting.models import Round, Vote

PERSONAS = [
    "agency_editor",
    "agency_voter",
    "other_editor",
    "citizen",
    "business",
    "moderator",
    "secretariat",
    "legislator",
]


@pytest.fixture
def persona(request):
    return lambda name: request.getfixturevalue(name)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("other_voter", True), ("third_voter", True)] + [(name, False) for name in PERSONAS],
)
def test_only_a_voter_of_an_invited_agency_votes(open_round, persona, name, allowed):
    voting_round = open_round()
    user = persona(name)
    response = client_for(user).post(f"/voting/{voting_round.pk}/ballot/", {"choice": "approve"})
    assert response.status_code == (302 if allowed else 403)
    assert Vote.objects.count() == (1 if allowed else 0)


def test_an_outsider_is_sent_to_sign_in_before_voting(open_round):
    voting_round = open_round()
    response = client_for(None).post(f"/voting/{voting_round.pk}/ballot/", {"choice": "approve"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Vote.objects.exists()


def test_a_voter_votes_only_for_their_own_agency(
    open_round, other_voter, other_agency, third_agency
):
    voting_round = open_round()
    client_for(other_voter).post(
        f"/voting/{voting_round.pk}/ballot/", {"choice": "approve", "agency": third_agency.pk}
    )
    assert list(Vote.objects.values_list("agency", flat=True)) == [other_agency.pk]
    with pytest.raises(services.PermissionDenied):
        services.vote_cast(
            voting_round=voting_round, agency=third_agency, actor=other_voter, choice="approve"
        )


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("secretariat", True)]
    + [(name, False) for name in PERSONAS if name != "secretariat"]
    + [("other_voter", False)],
)
def test_only_the_secretariat_opens_a_round(voting_draft, other_agency, persona, name, allowed):
    user = persona(name)
    client = client_for(user)
    url = f"/voting/open/{voting_draft.pk}/"
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(
        url,
        {
            "version": voting_draft.versions.order_by("-number").first().pk,
            "agencies": [other_agency.pk],
            "deadline": "2099-01-01T14:00",
            "rule": "unanimity",
            "override_reason": "",
        },
    )
    assert response.status_code == (302 if allowed else 403)
    assert Round.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("secretariat", True)]
    + [(name, False) for name in PERSONAS if name != "secretariat"]
    + [("other_voter", False)],
)
def test_only_the_secretariat_closes_a_round(
    open_round, other_agency, other_voter, persona, name, allowed
):
    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    response = client_for(persona(name)).post(f"/voting/{voting_round.pk}/close/")
    assert response.status_code == (302 if allowed else 403)
    assert Round.objects.get().status == ("closed" if allowed else "open")


@pytest.mark.parametrize("name", [*PERSONAS, "other_voter"])
def test_everyone_who_may_read_the_draft_follows_the_round(open_round, persona, name):
    voting_round = open_round()
    assert client_for(persona(name)).get(f"/voting/{voting_round.pk}/").status_code == 200


def test_a_round_on_a_draft_hidden_from_the_public_is_404_to_outsiders(
    open_round, citizen, secretariat
):
    from drafts.models import Draft

    voting_round = open_round()
    Draft.objects.filter(pk=voting_round.draft_id).update(published_at=None)
    for url in (f"/voting/{voting_round.pk}/", f"/voting/{voting_round.pk}/ballot/"):
        assert client_for(citizen).get(url).status_code == 404
    assert client_for(secretariat).get(f"/voting/{voting_round.pk}/").status_code == 200


def test_a_receipt_is_private_to_its_agency_until_the_round_closes(
    open_round, other_agency, other_voter, third_voter, citizen, secretariat
):
    voting_round = open_round()
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    url = f"/voting/{voting_round.pk}/receipt/{other_agency.pk}.json"
    assert client_for(other_voter).get(url).status_code == 200
    assert client_for(secretariat).get(url).status_code == 200
    assert client_for(third_voter).get(url).status_code == 403
    assert client_for(citizen).get(url).status_code == 403
    assert client_for(citizen).get(f"/voting/{voting_round.pk}/result.json").status_code == 409
