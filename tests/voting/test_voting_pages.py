"""The voting pages: list, open form, ballot, status and the published result."""

import json
import re
from collections import Counter

import pytest

from tests.conftest import CORPORA, client_for
from tests.voting.voting_helpers import expire
from voting import services
from voting.models import Round, Vote


def test_round_list_queries_do_not_grow_with_rounds(
    open_round, make_draft, other_agency, other_voter, django_assert_max_num_queries
):
    open_round()
    for i in range(5):
        draft = make_draft(number=f"ID-2026-05{i:02d}", discussion_over=True)
        open_round(draft=draft, agencies=[other_agency])
    client = client_for(other_voter)
    with django_assert_max_num_queries(12):
        response = client.get("/voting/")
    assert response.status_code == 200
    assert response.content.decode().count("Your agency is invited") == 6


def test_the_open_form_shows_the_rules_and_opens_a_round_in_tashkent_time(
    voting_draft, secretariat, other_agency
):
    client = client_for(secretariat)
    page = client.get(f"/voting/open/{voting_draft.pk}/").content.decode()
    assert "Two-thirds quorum, simple majority" in page
    assert voting_draft.agency.name not in page.split("Invited agencies")[1].split("</div>")[0]
    response = client.post(
        f"/voting/open/{voting_draft.pk}/",
        {
            "version": voting_draft.versions.order_by("-number").first().pk,
            "agencies": [other_agency.pk],
            "deadline": "2099-11-25T14:00",
            "rule": "two_thirds_quorum_simple_majority",
        },
    )
    voting_round = Round.objects.get()
    assert response["Location"] == f"/voting/{voting_round.pk}/"
    assert voting_round.deadline.isoformat() == "2099-11-25T09:00:00+00:00"  # stored in UTC
    page = client.get(response["Location"]).content.decode()
    assert "25 November 2099, 14:00" in page and "(Tashkent time)" in page


def test_the_open_form_refuses_the_developing_agency_with_400(voting_draft, secretariat, agency):
    response = client_for(secretariat).post(
        f"/voting/open/{voting_draft.pk}/",
        {
            "version": voting_draft.versions.first().pk,
            "agencies": [agency.pk],
            "deadline": "2099-11-25T14:00",
            "rule": "unanimity",
        },
    )
    assert response.status_code == 400
    assert not Round.objects.exists()


def test_the_ballot_shows_the_text_the_diff_and_the_discussion(open_round, other_voter):
    voting_round = open_round()
    page = client_for(other_voter).get(f"/voting/{voting_round.pk}/ballot/").content.decode()
    assert "The text voted on (version 2)" in page
    assert "What changed since version 1" in page
    assert "<ins>olti</ins>" in page and "<del>uch</del>" in page
    assert "Public discussion" in page
    assert voting_round.text_hash in page


def test_casting_and_changing_a_vote_through_the_ballot(open_round, other_voter, other_agency):
    voting_round = open_round()
    client = client_for(other_voter)
    url = f"/voting/{voting_round.pk}/ballot/"
    assert client.post(url, {"choice": "approve"}).status_code == 302
    response = client.post(
        url,
        {"choice": "object", "remarks": "Conflicts with art. 5", "article_wids": ["art_2"]},
        follow=True,
    )
    vote = Vote.objects.get()
    assert (vote.choice, vote.revision, vote.article_wids) == ("object", 2, ["art_2"])
    page = response.content.decode()
    assert vote.receipt_hash in page
    assert "Conflicts with art. 5" in page


def test_a_ballot_without_remarks_for_an_objection_is_a_400(open_round, other_voter):
    voting_round = open_round()
    response = client_for(other_voter).post(
        f"/voting/{voting_round.pk}/ballot/", {"choice": "object", "remarks": ""}
    )
    assert response.status_code == 400
    assert "remarks" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_late_ballot_closes_the_round_and_is_refused_with_a_clear_400(open_round, other_voter):
    voting_round = open_round()
    expire(voting_round)
    response = client_for(other_voter).post(
        f"/voting/{voting_round.pk}/ballot/", {"choice": "approve"}
    )
    assert response.status_code == 400
    assert "Voting in this round closed at" in response.content.decode()
    assert "(Tashkent time)" in response.content.decode()
    assert Round.objects.get().status == "closed"


def test_viewing_an_overdue_round_closes_it_first(open_round, citizen):
    voting_round = open_round()
    expire(voting_round)
    page = client_for(citizen).get(f"/voting/{voting_round.pk}/").content.decode()
    assert Round.objects.get().close_reason == "deadline"
    assert "No quorum" in page


def test_the_status_page_shows_who_voted_but_not_how(
    open_round, other_agency, other_voter, citizen
):
    voting_round = open_round()
    services.vote_cast(
        voting_round=voting_round,
        agency=other_agency,
        actor=other_voter,
        choice="object",
        remarks="A secret objection",
    )
    page = client_for(citizen).get(f"/voting/{voting_round.pk}/").content.decode()
    assert 'data-agency="minfin" class="voted"' in page
    assert 'data-agency="mindigital" class="waiting"' in page
    assert "secret objection" not in page and "Object" not in page
    assert client_for(citizen).get(f"/voting/{voting_round.pk}/result/").status_code == 302


@pytest.fixture
def closed_round(open_round, many_agencies, secretariat):
    pairs = many_agencies(5)
    voting_round = open_round(agencies=[a for a, _ in pairs])
    plan = ["approve", "approve_remarks", "object", "abstain", "object"]
    for (agency, voter), choice in zip(pairs, plan, strict=True):
        services.vote_cast(voting_round=voting_round, agency=agency, actor=voter, choice="approve")
        services.vote_cast(
            voting_round=voting_round,
            agency=agency,
            actor=voter,
            choice=choice,
            remarks="" if choice == "approve" else f"<script>alert('{choice}')</script>",
        )
    return services.round_close(voting_round=voting_round, actor=secretariat)


def test_a_recount_of_the_published_json_equals_the_published_tally(closed_round, citizen):
    result = client_for(citizen).get(f"/voting/{closed_round.pk}/result.json").json()
    recount = Counter(vote["choice"] for vote in result["votes"])
    assert dict(recount) == {"approve": 1, "approve_remarks": 1, "object": 2, "abstain": 1}
    for choice in ("approve", "approve_remarks", "object", "abstain"):
        assert result["result"][choice] == recount[choice]
    assert result["result"]["turnout"] == len(result["votes"]) == 5
    assert result["result"]["outcome"] == "rejected"  # 2 approvals do not outnumber 2 objections
    close = result["ledger"][-1]
    assert close["kind"] == "close" and close["entry_hash"] == result["result_hash"]
    assert sorted([v["agency"], v["receipt_hash"]] for v in result["votes"]) == close["votes"]


def test_a_recount_of_the_result_page_equals_its_tally(closed_round, citizen):
    page = client_for(citizen).get(f"/voting/{closed_round.pk}/result/").content.decode()
    rows = re.findall(r'<tr data-agency="[^"]+" data-choice="([a-z_]+)">', page)
    tally = dict(re.findall(r'<td data-count="([a-z_]+)">(\w+)</td>', page))
    recount = Counter(rows)
    for choice in ("approve", "approve_remarks", "object", "abstain"):
        assert int(tally[choice]) == recount[choice]
    assert int(tally["turnout"]) == len(rows)
    assert len(re.findall(r'<code class="hash">[0-9a-f]{64}</code>', page)) == len(rows) + 1
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_hostile_remarks_are_stored_exactly_or_refused_never_a_500(open_round, other_voter):
    strings = json.loads((CORPORA / "naughty-strings" / "blns.json").read_text())
    strings += (CORPORA / "ssti" / "ssti.fuzz.txt").read_text().splitlines()[:100]
    voting_round = open_round()
    client = client_for(other_voter)
    url = f"/voting/{voting_round.pk}/ballot/"
    for text in strings:
        response = client.post(url, {"choice": "object", "remarks": text})
        assert response.status_code in (302, 400), text
        if response.status_code == 302:
            assert Vote.objects.get().remarks == text.strip()


def test_hostile_article_ids_and_agency_values_are_a_400_never_a_500(open_round, other_voter):
    payloads = (CORPORA / "sqli" / "Generic_Fuzz.txt").read_text().splitlines()
    voting_round = open_round()
    client = client_for(other_voter)
    url = f"/voting/{voting_round.pk}/ballot/"
    for text in payloads:
        response = client.post(url, {"choice": "object", "remarks": "x", "article_wids": [text]})
        assert response.status_code == 400, text
        response = client.post(url, {"choice": "approve", "agency": text})
        assert response.status_code == 302, text


@pytest.mark.parametrize(
    ("language", "text"), [("ru", "Правила этого тура"), ("uz", "Ushbu tur qoidalari")]
)
def test_the_round_page_speaks_uzbek_and_russian(open_round, citizen, language, text):
    voting_round = open_round()
    client = client_for(citizen)
    client.cookies["django_language"] = language
    assert text in client.get(f"/voting/{voting_round.pk}/").content.decode()


def test_the_closed_message_is_translated(open_round, other_voter):
    voting_round = open_round()
    expire(voting_round)
    client = client_for(other_voter)
    client.cookies["django_language"] = "ru"
    response = client.post(f"/voting/{voting_round.pk}/ballot/", {"choice": "approve"})
    assert response.status_code == 400
    assert "(по ташкентскому времени)" in response.content.decode()


def test_the_ballot_diffs_against_the_version_voted_on_before(
    open_round, voting_draft, agency_editor, other_voter, secretariat
):
    from drafts import services as draft_services
    from tests.conftest import SAMPLE_TEXT_V2

    first = open_round()
    expire(first)
    services.round_close(voting_round=first, actor=None)  # no quorum: back to discussion
    for months in ("to‘qqiz oy", "o‘n oy"):
        draft_services.version_publish(
            draft=voting_draft,
            author=agency_editor,
            change_reason="After the vote",
            text=SAMPLE_TEXT_V2.replace("olti oy", months),
        )
    second = open_round()
    assert second.version.number == 4
    page = client_for(other_voter).get(f"/voting/{second.pk}/ballot/").content.decode()
    assert "What changed since version 2 (now version 4)" in page
    assert "<del>olti</del>" in page


def _vote_form(remarks: str):
    from voting.forms import VoteForm

    return VoteForm({"choice": "approve_remarks", "remarks": remarks}, articles=[])


def test_the_vote_form_accepts_five_thousand_characters_of_remarks_and_no_more():
    assert _vote_form("a" * 5000).is_valid()
    form = _vote_form("a" * 5001)
    assert not form.is_valid()
    assert form.errors.as_data()["remarks"][0].code == "max_length"


def test_the_open_form_ticks_every_eligible_agency(
    voting_draft, secretariat, agency, other_agency, third_agency
):
    from voting.forms import RoundOpenForm

    form = RoundOpenForm(draft=voting_draft)
    assert set(form["agencies"].initial) == {other_agency.pk, third_agency.pk}
    third_agency.is_active = False
    third_agency.save(update_fields=["is_active"])
    assert RoundOpenForm(draft=voting_draft)["agencies"].initial == [other_agency.pk]
    page = client_for(secretariat).get(f"/voting/open/{voting_draft.pk}/").content.decode()
    assert re.search(rf'value="{other_agency.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{agency.pk}"[^>]*checked', page)


def test_the_open_form_without_agencies_asks_for_one(voting_draft, secretariat):
    response = client_for(secretariat).post(
        f"/voting/open/{voting_draft.pk}/",
        {
            "version": voting_draft.versions.first().pk,
            "deadline": "2099-11-25T14:00",
            "rule": "unanimity",
        },
    )
    assert response.status_code == 400
    assert "Choose at least one agency to invite." in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_the_deadline_is_shown_and_accepted_in_iso_in_every_language(
    voting_draft, secretariat, other_agency, language
):
    from django.utils import translation

    from voting.forms import RoundOpenForm

    with translation.override(language):
        form = RoundOpenForm(draft=voting_draft, initial={"deadline": _deadline()})
        assert 'value="2099-11-25T14:00"' in str(form["deadline"])
        bound = RoundOpenForm(
            {
                "version": voting_draft.versions.first().pk,
                "agencies": [other_agency.pk],
                "deadline": "2099-11-25T14:00",
                "rule": "unanimity",
            },
            draft=voting_draft,
        )
        assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["deadline"].isoformat() == "2099-11-25T14:00:00+05:00"


def _deadline():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(2099, 11, 25, 14, 0, tzinfo=ZoneInfo("Asia/Tashkent"))
