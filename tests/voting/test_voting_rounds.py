"""Opening, voting in and closing a round through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from drafts.models import Draft
from sovaz.audit.models import ActionLog
from tests.conftest import end_discussion
from tests.voting.voting_helpers import expire
from voting import services
from voting.models import LedgerEntry, Round, RoundInvitation, Vote, VoteChange


def test_opening_freezes_the_version_hash_and_invited_agencies(
    open_round, voting_draft, other_agency, third_agency
):
    voting_round = open_round()
    latest = voting_draft.versions.order_by("-number").first()
    assert voting_round.version == latest
    assert voting_round.text_hash == latest.text_hash
    assert voting_round.eligible_count == 2
    assert set(voting_round.invited.all()) == {other_agency, third_agency}
    voting_draft.refresh_from_db()
    assert voting_draft.status == Draft.Status.VOTING
    entry = LedgerEntry.objects.get(kind="open")
    assert entry.data["text_hash"] == latest.text_hash
    assert entry.data["invited"] == sorted([other_agency.code, third_agency.code])
    assert ActionLog.objects.filter(code="voting.round.opened").count() == 1


def test_the_developing_agency_cannot_be_invited(open_round, agency, other_agency):
    with pytest.raises(ValidationError) as exc:
        open_round(agencies=[agency, other_agency])
    assert exc.value.code == "own_draft"
    assert not Round.objects.exists()


def test_a_round_opens_only_on_a_draft_in_discussion(open_round, make_draft, other_agency):
    drafting = make_draft(number="ID-2026-0999")
    with pytest.raises(ValidationError) as exc:
        open_round(draft=drafting, agencies=[other_agency])
    assert exc.value.code == "bad_status"


def test_a_round_needs_a_known_rule_and_a_future_deadline(open_round):
    with pytest.raises(ValidationError):
        open_round(rule="whatever_the_chair_says")
    with pytest.raises(ValidationError):
        open_round(deadline=timezone.now() + timedelta(minutes=5))
    assert not Round.objects.exists()


def test_unanswered_comments_block_opening_without_an_override(
    make_draft, secretariat, other_agency, citizen
):
    from discussions import services as discussion_services

    draft = make_draft(discussion=True)
    discussion_services.comment_create(draft=draft, author=citizen, body="Why six months?")
    end_discussion(draft)
    kwargs = {
        "draft": draft,
        "actor": secretariat,
        "agencies": [other_agency],
        "deadline": timezone.now() + timedelta(days=2),
        "rule": "unanimity",
    }
    with pytest.raises(ValidationError) as exc:
        services.round_open(**kwargs)
    assert exc.value.code == "unanswered_comments"
    voting_round = services.round_open(**kwargs, override_reason="The deadline is set by law")
    assert voting_round.is_open


def test_second_vote_replaces_first_before_deadline_and_both_are_kept(
    open_round, other_agency, other_voter
):
    voting_round = open_round()
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    vote = services.vote_cast(
        voting_round=voting_round,
        agency=other_agency,
        actor=other_voter,
        choice="object",
        remarks="Article 3 conflicts with the Tax Code.",
        article_wids=["art_3"],
    )
    assert Vote.objects.get() == vote
    assert (vote.choice, vote.revision, vote.article_wids) == ("object", 2, ["art_3"])
    history = list(VoteChange.objects.values_list("revision", "choice"))
    assert history == [(1, "approve"), (2, "object")]
    assert LedgerEntry.objects.filter(kind="vote").count() == 2
    assert ActionLog.objects.filter(code="voting.vote.cast").count() == 2


@pytest.mark.parametrize("choice", ["approve_remarks", "object", "abstain"])
def test_remarks_are_required_for_every_choice_but_approve(
    open_round, other_agency, other_voter, choice
):
    voting_round = open_round()
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            voting_round=voting_round,
            agency=other_agency,
            actor=other_voter,
            choice=choice,
            remarks="   ",
        )
    assert exc.value.code == "remarks_required"
    assert not Vote.objects.exists()
    assert not LedgerEntry.objects.filter(kind="vote").exists()


def test_remarks_may_point_only_at_articles_of_the_version(open_round, other_agency, other_voter):
    voting_round = open_round()
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            voting_round=voting_round,
            agency=other_agency,
            actor=other_voter,
            choice="object",
            remarks="See",
            article_wids=["art_99"],
        )
    assert exc.value.code == "unknown_article"


def test_a_vote_after_the_deadline_is_refused_with_the_time_in_tashkent(
    open_round, other_agency, other_voter
):
    voting_round = open_round()
    deadline = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
    Round.objects.filter(pk=voting_round.pk).update(
        opened_at=deadline - timedelta(days=1), deadline=deadline
    )
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
        )
    local = timezone.localtime(deadline, timezone=services.TASHKENT)
    assert exc.value.code == "round_closed"
    assert exc.value.message == (
        f"Voting in this round closed at {local:%H:%M} on {local.day} {local:%B} (Tashkent time)."
    )
    assert not Vote.objects.exists()


def test_a_vote_after_the_close_is_refused(open_round, other_agency, other_voter, secretariat):
    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    services.round_close(voting_round=voting_round, actor=secretariat)
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            voting_round=voting_round,
            agency=other_agency,
            actor=other_voter,
            choice="object",
            remarks="Too late",
        )
    assert exc.value.code == "round_closed"
    assert Vote.objects.get().choice == "approve"


def test_early_close_waits_for_every_invited_agency(
    open_round, other_agency, other_voter, secretariat
):
    voting_round = open_round()
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    with pytest.raises(ValidationError) as exc:
        services.round_close(voting_round=voting_round, actor=secretariat)
    assert exc.value.code == "votes_missing"
    assert Round.objects.get().is_open


def test_the_system_closes_only_after_the_deadline(open_round):
    voting_round = open_round()
    with pytest.raises(ValidationError) as exc:
        services.round_close(voting_round=voting_round, actor=None)
    assert exc.value.code == "not_due"
    expire(voting_round)
    closed = services.round_close(voting_round=voting_round, actor=None)
    assert (closed.close_reason, closed.outcome, closed.turnout) == ("deadline", "no_quorum", 0)


def test_close_rounds_command_closes_overdue_rounds_only(open_round, make_draft, other_agency):
    from django.core.management import call_command

    overdue = open_round()
    other = make_draft(number="ID-2026-0777", discussion_over=True)
    still_open = open_round(draft=other, agencies=[other_agency])
    expire(overdue)
    call_command("close_rounds")
    assert Round.objects.get(pk=overdue.pk).status == "closed"
    assert Round.objects.get(pk=still_open.pk).status == "open"


@pytest.mark.parametrize(
    ("choices", "outcome", "draft_status"),
    [
        (["approve", "object"], "rejected", "rejected"),  # 2 of 3 voted: quorum met exactly
        (["approve", "approve_remarks"], "approved", "approved"),
        (["approve"], "no_quorum", "discussion"),  # one vote short of two thirds
    ],
)
def test_the_result_moves_the_draft(
    open_round, many_agencies, voting_draft, choices, outcome, draft_status
):
    pairs = many_agencies(3)
    voting_round = open_round(agencies=[a for a, _ in pairs])
    for (agency, voter), choice in zip(pairs, choices, strict=False):
        services.vote_cast(
            voting_round=voting_round,
            agency=agency,
            actor=voter,
            choice=choice,
            remarks="" if choice == "approve" else "Remarks",
        )
    expire(voting_round)
    closed = services.round_close(voting_round=voting_round, actor=None)
    assert closed.outcome == outcome
    assert closed.quorum_met is (outcome != "no_quorum")
    voting_draft.refresh_from_db()
    assert voting_draft.status == draft_status


@pytest.mark.parametrize(("approvals", "outcome"), [(3, "rejected"), (4, "approved")])
def test_absolute_majority_round_at_its_boundary(open_round, many_agencies, approvals, outcome):
    pairs = many_agencies(6)
    voting_round = open_round(
        agencies=[a for a, _ in pairs], rule="simple_quorum_absolute_majority"
    )
    for i, (agency, voter) in enumerate(pairs):
        choice = "approve" if i < approvals else "abstain"
        services.vote_cast(
            voting_round=voting_round,
            agency=agency,
            actor=voter,
            choice=choice,
            remarks="" if choice == "approve" else "No position",
        )
    expire(voting_round)
    closed = services.round_close(voting_round=voting_round, actor=None)
    assert (closed.turnout, closed.approve_count, closed.outcome) == (6, approvals, outcome)


def test_the_result_is_computed_once_and_cannot_be_changed(
    open_round, other_agency, other_voter, secretariat
):
    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    closed = services.round_close(voting_round=voting_round, actor=secretariat)
    assert ActionLog.objects.filter(code="voting.round.closed").count() == 1
    with pytest.raises(ValidationError):
        services.round_close(voting_round=voting_round, actor=secretariat)
    reloaded = Round.objects.get(pk=closed.pk)
    reloaded.outcome = Round.Outcome.REJECTED
    with pytest.raises(ValidationError):
        reloaded.save()
    assert Round.objects.get(pk=closed.pk).outcome == "approved"


def test_ledger_entries_refuse_to_be_saved_again_or_deleted(open_round):
    open_round()
    entry = LedgerEntry.objects.get()
    entry.kind = "vote"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_votes_are_announced_after_commit_without_the_choice(
    open_round, other_agency, other_voter, django_capture_on_commit_callbacks
):
    from unittest import mock

    voting_round = open_round()
    with mock.patch("voting.events._send") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.vote_cast(
                voting_round=voting_round,
                agency=other_agency,
                actor=other_voter,
                choice="object",
                remarks="Secret reason",
            )
        send.assert_not_called()
        for callback in callbacks:
            callback()
        send.assert_called_once_with(voting_round.pk)


def test_invitations_are_frozen_even_if_an_agency_is_later_deactivated(open_round, other_agency):
    voting_round = open_round()
    other_agency.is_active = False
    other_agency.save()
    assert RoundInvitation.objects.filter(round=voting_round).count() == 2


def test_one_open_round_per_draft(open_round):
    open_round()
    with pytest.raises(ValidationError):
        open_round()


def test_a_vote_is_refused_for_an_agency_not_invited(
    open_round, other_agency, third_agency, third_voter
):
    voting_round = open_round(agencies=[other_agency])
    with pytest.raises(PermissionDenied):
        services.vote_cast(
            voting_round=voting_round, agency=third_agency, actor=third_voter, choice="approve"
        )


def test_the_close_writes_the_e_parliament_export_in_its_transaction(
    open_round, other_agency, other_voter, secretariat
):
    from eparliament.models import Export

    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    services.round_close(voting_round=voting_round, actor=secretariat)
    export = Export.objects.get(round=voting_round)
    assert export.is_valid, export.errors


def test_a_failed_close_leaves_no_result_no_export_and_no_ledger_entry(
    open_round, other_agency, other_voter, secretariat
):
    from unittest import mock

    from eparliament.models import Export

    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )
    entries = LedgerEntry.objects.count()
    with (
        mock.patch("voting.services.action_log", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.round_close(voting_round=voting_round, actor=secretariat)
    assert Round.objects.get().is_open
    assert LedgerEntry.objects.count() == entries
    assert not Export.objects.exists()
    assert Draft.objects.get().status == "voting"


def test_remarks_of_exactly_five_thousand_characters_are_accepted(
    open_round, other_agency, other_voter
):
    vote = services.vote_cast(
        voting_round=open_round(),
        agency=other_agency,
        actor=other_voter,
        choice="approve_remarks",
        remarks="a" * 5000,
    )
    assert len(vote.remarks) == 5000


def test_remarks_one_character_over_the_limit_are_refused_with_the_count(
    open_round, other_agency, other_voter
):
    voting_round = open_round()
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            voting_round=voting_round,
            agency=other_agency,
            actor=other_voter,
            choice="approve_remarks",
            remarks="a" * 5001,
        )
    assert exc.value.code == "remarks_too_long"
    assert "5000" in exc.value.messages[0] and "5001" in exc.value.messages[0]
    assert not Vote.objects.filter(round=voting_round).exists()
