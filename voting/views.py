from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafts.permissions import get_draft_for_user
from sovaz.accounts.permissions import is_secretariat
from sovaz.ratelimit import hit_for_request
from voting import events, permissions, selectors, services, signing
from voting.forms import RoundOpenForm, VoteForm
from voting.models import Round, Vote
from voting.rules import RULES


def _round(request: HttpRequest, pk: int, *, write: bool = False) -> Round:
    """Load a round for this user, closing it first when its deadline has passed."""
    voting_round = permissions.get_round_for_user(request.user, pk, write=write)
    return services.round_close_if_overdue(voting_round=voting_round)


def round_list(request: HttpRequest) -> HttpResponse:
    services.rounds_close_overdue()
    rounds = selectors.rounds_for_user(request.user)[:200]
    awaiting = set(selectors.rounds_awaiting_vote(request.user).values_list("pk", flat=True))
    return render(request, "voting/round_list.html", {"rounds": rounds, "awaiting": awaiting})


@login_required
def round_open(request: HttpRequest, draft_pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, draft_pk)
    if not permissions.can_open_round(request.user, draft):
        raise PermissionDenied(_("Only the secretariat opens a round, on a draft in discussion."))
    form = RoundOpenForm(request.POST or None, draft=draft)
    if request.method == "POST" and form.is_valid():
        hit_for_request("write", request)
        try:
            voting_round = services.round_open(draft=draft, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The voting round is open."))
            return redirect("voting:detail", voting_round.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "draft": draft,
        "rules": RULES.values(),
        # Said before the secretariat fills the form in; the service refuses it all the same.
        "discussion_running": services.discussion_running_message(draft),
    }
    return render(request, "voting/round_open.html", context, status=status)


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(request, pk)
    context = {
        "round": voting_round,
        "state": events.round_state(voting_round.pk),
        "ballots": permissions.ballot_agencies(request.user, voting_round),
        "can_close": permissions.can_close_round(request.user, voting_round),
    }
    return render(request, "voting/round_detail.html", context)


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(request, pk, write=True)
    agencies = permissions.ballot_agencies(request.user, voting_round)
    agency = next((a for a in agencies if str(a.pk) == request.POST.get("agency")), agencies[0])
    current = Vote.objects.filter(round=voting_round, agency=agency).first()
    form = VoteForm(
        request.POST or None,
        articles=selectors.article_choices(voting_round.version),
        initial={
            "choice": current.choice,
            "remarks": current.remarks,
            "article_wids": current.article_wids,
        }
        if current
        else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            hit_for_request("write", request)
            try:
                services.vote_cast(
                    voting_round=voting_round,
                    agency=agency,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The vote of %(agency)s is recorded.") % {"agency": agency.name}
                )
                return redirect("voting:ballot", voting_round.pk)
    return render(
        request, "voting/ballot.html", _ballot_context(voting_round, agencies, form), status=status
    )


def _ballot_context(voting_round: Round, agencies, form: VoteForm) -> dict:
    base, diff = selectors.ballot_diff(voting_round)
    votes = {v.agency_id: v for v in Vote.objects.filter(round=voting_round, agency__in=agencies)}
    return {
        "round": voting_round,
        "form": form,
        "agencies": [(agency, votes.get(agency.pk)) for agency in agencies],
        "base": base,
        "diff": diff,
        "impact": selectors.impact_summary(voting_round.draft),
        "discussion": selectors.discussion_summary(voting_round.draft),
    }


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(request, pk)
    if voting_round.is_open:
        if not is_secretariat(request.user):
            raise PermissionDenied(_("Only the secretariat closes voting rounds."))
        voting_round = services.round_close(voting_round=voting_round, actor=request.user)
        messages.success(request, _("The round is closed and its result recorded."))
    return redirect("voting:result", voting_round.pk)


def round_result(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(request, pk)
    if voting_round.is_open:
        return redirect("voting:detail", voting_round.pk)
    context = {"round": voting_round, "result": selectors.published_result(voting_round)}
    return render(request, "voting/round_result.html", context)


def round_result_json(request: HttpRequest, pk: int) -> JsonResponse:
    voting_round = _round(request, pk)
    if voting_round.is_open:
        return JsonResponse(
            {"error": _("The result is published when the round closes.")}, status=409
        )
    return JsonResponse(
        selectors.published_result(voting_round),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


@login_required
def receipt(request: HttpRequest, pk: int, agency_pk: int) -> JsonResponse:
    voting_round = _round(request, pk)
    if not permissions.can_see_receipts(request.user, voting_round, agency_pk):
        raise PermissionDenied(_("This receipt belongs to another agency."))
    vote = get_object_or_404(Vote, round=voting_round, agency_id=agency_pk)
    entry = voting_round.ledger_entries.select_related("agency").get(entry_hash=vote.receipt_hash)
    return JsonResponse(
        selectors.receipt_document(entry, vote),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


def public_key(request: HttpRequest) -> HttpResponse:
    context = {"pem": signing.public_key_pem(), "b64": signing.public_key_b64()}
    return render(request, "voting/public_key.html", context)


def public_key_pem(request: HttpRequest) -> HttpResponse:
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
