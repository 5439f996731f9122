from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from discussions.permissions import can_comment
from impact import selectors, services
from impact.forms import AssessmentForm, DiscountingForm, ObligationForm
from impact.models import CHECKLIST
from impact.permissions import (
    can_edit_assessment,
    discussion_opened,
    get_assessed_draft_for_user,
)
from sovaz.ratelimit import hit_for_request


def _checklist(revision) -> list[tuple[str, str, str, str]]:
    return [(name, label, question, getattr(revision, name)) for name, label, question in CHECKLIST]


def assessment_detail(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk)
    view = selectors.assessment_view(draft, number)
    return render(
        request,
        "impact/detail.html",
        {
            "draft": draft,
            "view": view,
            "checklist": _checklist(view.revision) if view.revision else [],
            "table": selectors.cost_table(view.summary) if view.summary else None,
            "can_edit": can_edit_assessment(request.user, draft),
            "comments": selectors.assessment_comments(draft),
            "can_comment": can_comment(request.user, draft),
        },
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk, write=True)
    latest = selectors.latest_revision(draft)
    form = AssessmentForm(
        request.POST or None,
        instance=latest,
        reason_required=latest is not None and discussion_opened(draft),
    )
    status = 200
    if request.method == "POST":
        hit_for_request("write", request)
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
            try:
                services.assessment_revise(
                    draft=draft, actor=request.user, reason=form.cleaned_data["reason"], **fields
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The assessment was saved as a new revision."))
                return redirect("impact:detail", pk=draft.pk)
        status = 400
    return render(request, "impact/edit.html", {"draft": draft, "form": form}, status=status)


def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk)
    revisions = selectors.revision_history(draft)
    return render(request, "impact/history.html", {"draft": draft, "revisions": revisions})


def calculator_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The cost model of the latest revision; ?rate=&years= recompute the NPV without saving."""
    draft = get_assessed_draft_for_user(request.user, pk)
    view = selectors.assessment_view(draft)
    what_if = DiscountingForm.for_request(request.GET, view.summary)
    summary = view.summary
    if view.revision and what_if.is_valid():
        summary = selectors.summary_with(
            view.obligations, rate=what_if.cleaned_data["rate"], years=what_if.cleaned_data["years"]
        )
    context = {
        "draft": draft,
        "view": view,
        "table": selectors.cost_table(summary) if summary else None,
        "what_if": what_if,
        "can_edit": can_edit_assessment(request.user, draft),
        "form": ObligationForm(),
    }
    return render(request, "impact/calculator.html", context, status=400 if what_if.errors else 200)


@require_POST
@login_required
def obligation_add(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk, write=True)
    hit_for_request("write", request)
    form = ObligationForm(request.POST)
    if form.is_valid():
        try:
            services.obligation_add(draft=draft, actor=request.user, obligation=form.to_input())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The obligation was added."))
            return redirect("impact:calculator", pk=draft.pk)
    view = selectors.assessment_view(draft)
    table = selectors.cost_table(view.summary) if view.summary else None
    context = {"draft": draft, "view": view, "table": table, "can_edit": True, "form": form,
               "what_if": DiscountingForm.for_request(None, view.summary)}  # fmt: skip
    return render(request, "impact/calculator.html", context, status=400)


@login_required
def obligation_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk, write=True)
    view = selectors.assessment_view(draft)
    obligation = next((o for o in view.obligations if o.key == key), None)
    if obligation is None:
        raise Http404(_("No such obligation."))
    form = ObligationForm(request.POST or None, instance=obligation)
    if request.method == "POST":
        hit_for_request("write", request)
        if form.is_valid():
            try:
                services.obligation_update(
                    draft=draft, actor=request.user, key=key, obligation=form.to_input()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The obligation was changed."))
                return redirect("impact:calculator", pk=draft.pk)
    context = {"draft": draft, "form": form, "obligation": obligation}
    return render(
        request, "impact/obligation_edit.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def obligation_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    draft = get_assessed_draft_for_user(request.user, pk, write=True)
    hit_for_request("write", request)
    services.obligation_remove(draft=draft, actor=request.user, key=key)
    messages.success(request, _("The obligation was removed."))
    return redirect("impact:calculator", pk=draft.pk)
