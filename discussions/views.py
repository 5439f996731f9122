"""Thin views: load through an access helper, call one service, redirect or re-render.

Posting views answer a normal form POST with a redirect (pages work without JavaScript) and a
`fetch` that asks for JSON (Accept: application/json) with JSON, so the page does not reload.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from discussions import permissions, selectors, services
from discussions.events import comment_html
from discussions.forms import (
    BlockForm,
    CommentForm,
    DispositionFilterForm,
    DispositionForm,
    EditForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
)
from discussions.models import Comment, Disposition, Notification
from discussions.tables import disposition_rows
from drafts.permissions import get_draft_for_user
from sovaz.accounts.models import User
from sovaz.accounts.services import user_block as user_block_service
from sovaz.csvsafe import csv_lines
from sovaz.ratelimit import RateLimited, hit_for_request


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_error(messages_list: list[str], status: int, **headers: str) -> JsonResponse:
    response = JsonResponse({"ok": False, "errors": messages_list}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _json_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A `fetch` caller refused (blocked, discussion closed, not theirs) gets JSON it can show,
    with the refusal in words; a form POST still gets the 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            if not _wants_json(request):
                raise
            return _json_error([str(exc) or _("You are not allowed to do this.")], 403)

    return wrapper


def _rate_limit(request: HttpRequest, scope: str) -> JsonResponse | None:
    """Count the attempt; a JSON caller gets its 429 here, a form POST from the middleware."""
    try:
        hit_for_request(scope, request)
    except RateLimited as exc:
        if _wants_json(request):
            return _json_error([exc.message], 429, **{"Retry-After": str(exc.retry_after)})
        raise
    return None


def _posted(
    request: HttpRequest, comment: Comment, message: str, back_to: str = ""
) -> HttpResponse:
    if _wants_json(request):
        # What the service's live event carried: the writer sees what every viewer is sent.
        data = getattr(comment, "live_data", None) or {
            "html": comment_html(comment),
            "counts": selectors.draft_counts(comment.draft),
        }
        return JsonResponse(
            {
                "ok": True,
                "comment_id": comment.pk,
                "revision": comment.revision,
                "html": data["html"],
                "counts": data["counts"],
            }
        )
    messages.success(request, message)
    if back_to:
        return redirect(f"{back_to}#comment-{comment.pk}")
    return redirect(comment.get_absolute_url())


def _came_from(request: HttpRequest) -> str:
    """The same-site page a form was posted from (`next`, else the Referer), as a path; "" when
    there is none or it is not safe to send the reader to."""
    url = request.POST.get("next") or request.headers.get("Referer", "")

    def safe(candidate: str) -> bool:
        return url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    if not url or not safe(url):
        return ""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, ""))
    # Checked again without the host: "http://site//evil.example/" must not become "//evil…".
    if not path.startswith("/") or not safe(path) or parts.path == request.path:
        return ""
    return path


def _form_errors(request: HttpRequest, form, template: str, context: dict, exc=None):
    if exc is not None:
        form.add_error(None, exc)
    if _wants_json(request):
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _json_error(errors, 400)
    return render(request, template, {**context, "form": form}, status=400)


@require_POST
@_json_refusals
def comment_create(request: HttpRequest, draft_pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, draft_pk)
    permissions.require(
        permissions.can_comment(request.user, draft),
        permissions.comment_refusal(request.user, draft),
    )
    version = draft.versions.order_by("-number").first()
    posted = request.POST.get("version", "")
    if posted.isdigit():
        version = get_object_or_404(draft.versions, number=int(posted))
    form = CommentForm(request.POST, version=version)
    # Back to the page the comment came from (the impact assessment's, say) after a form post.
    back_to = _came_from(request)
    context = {"draft": draft, "version": version, "next": back_to}
    if not form.is_valid():
        return _form_errors(request, form, "discussions/comment_form.html", context)
    if limited := _rate_limit(request, "comment"):
        return limited
    try:
        comment = services.comment_create(
            draft=draft,
            author=request.user,
            body=form.cleaned_data["body"],
            version=version,
            **form.anchor_args(),
        )
    except ValidationError as exc:
        return _form_errors(request, form, "discussions/comment_form.html", context, exc)
    return _posted(request, comment, _("Your comment is published."), back_to)


@_json_refusals
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = permissions.get_comment_for_user(request.user, pk)
    if not permissions.can_reply(request.user, parent):
        if not permissions.can_comment(request.user, parent.draft):
            raise PermissionDenied(permissions.comment_refusal(request.user, parent.draft))
        raise PermissionDenied(_("You cannot reply to this comment."))
    form = ReplyForm(request.POST or None)
    context = {"parent": parent, "draft": parent.draft}
    if request.method != "POST":
        return render(request, "discussions/reply_form.html", {**context, "form": form})
    if not form.is_valid():
        return _form_errors(request, form, "discussions/reply_form.html", context)
    if limited := _rate_limit(request, "comment"):
        return limited
    try:
        comment = services.comment_create(
            draft=parent.draft, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as exc:
        return _form_errors(request, form, "discussions/reply_form.html", context, exc)
    return _posted(request, comment, _("Your reply is published."))


@login_required
@_json_refusals
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_user(request.user, pk)
    if request.method != "POST":
        permissions.require(
            permissions.can_edit_comment(request.user, comment),
            _("Comments can be edited by their author for 15 minutes."),
        )
    else:
        # Past the deadline the author still gets the form back with their text (a 400).
        permissions.require(
            permissions.is_comment_author(request.user, comment),
            _("Only its author may edit a comment."),
        )
    form = EditForm(request.POST or None, initial={"body": comment.body})
    context = {
        "comment": comment,
        "draft": comment.draft,
        "deadline": permissions.edit_deadline(comment),
        "can_reply": permissions.can_reply(request.user, comment),
    }
    if request.method != "POST":
        return render(request, "discussions/edit_form.html", {**context, "form": form})
    if not form.is_valid():
        return _form_errors(request, form, "discussions/edit_form.html", context)
    try:
        comment = services.comment_edit(
            comment=comment, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        context["edit_closed"] = exc.code in ("edit_window_closed", "cannot_comment")
        return _form_errors(request, form, "discussions/edit_form.html", context, exc)
    return _posted(request, comment, _("Your comment is changed."))


@require_POST
@login_required
@_json_refusals
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_user(request.user, pk)
    comment = services.comment_delete(comment=comment, author=request.user)
    return _posted(request, comment, _("Your comment is deleted."))


@require_POST
@login_required
@_json_refusals
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_user(request.user, pk)
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if limited := _rate_limit(request, "report"):
        return limited
    try:
        services.comment_report(comment=comment, reporter=request.user, reason=reason)
    except ValidationError as exc:
        if _wants_json(request):
            return _json_error(exc.messages, 400)
        messages.info(request, " ".join(exc.messages))
        return redirect(comment.get_absolute_url())
    if _wants_json(request):
        return JsonResponse({"ok": True, "comment_id": comment.pk})
    messages.success(request, _("Thank you; a moderator will review the comment."))
    return redirect(comment.get_absolute_url())


@login_required
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_user(request.user, pk)
    permissions.require(permissions.can_moderate(request.user), _("Only moderators may."))
    form = ReasonForm(request.POST or None)
    reports = list(comment.reports.select_related("reporter"))
    context = {
        "comment": comment,
        "reports": reports,
        "open_reports": sum(1 for r in reports if r.resolved_at is None),
        "block_form": BlockForm(auto_id="block-%s", blocked=comment.author.is_blocked),
    }
    if request.method != "POST":
        return render(request, "discussions/moderate.html", {**context, "form": form})
    if not form.is_valid():
        return _form_errors(request, form, "discussions/moderate.html", context)
    actions = {
        "unhide": services.comment_unhide,
        "dismiss": services.comment_reports_dismiss,
    }
    action = actions.get(request.POST.get("action", ""), services.comment_hide)
    try:
        action(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _form_errors(request, form, "discussions/moderate.html", context, exc)
    messages.success(request, _("Done; the action is in the log."))
    return redirect("discussions:moderation")


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_moderate(request.user), _("Only moderators may."))
    return render(request, "discussions/moderation.html", selectors.moderation_queue())


@require_POST
@login_required
def user_block(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(permissions.can_moderate(request.user), _("Only moderators may."))
    target = get_object_or_404(User, pk=pk)
    form = BlockForm(request.POST)
    if not form.is_valid():
        # Back to the moderation page it was sent from, with the error; nothing was typed.
        messages.error(request, _("Give a reason."))
        return redirect(_came_from(request) or "discussions:moderation")
    blocked = request.POST.get("action") != "unblock"
    user_block_service(
        user=target, moderator=request.user, reason=form.cleaned_data["reason"], blocked=blocked
    )
    messages.success(
        request,
        _("%(name)s is blocked.") % {"name": target}
        if blocked
        else _("%(name)s is unblocked.") % {"name": target},
    )
    return redirect("discussions:moderation")


@login_required
def comment_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    comment = permissions.get_comment_for_user(request.user, pk)
    permissions.require(
        permissions.can_dispose(request.user, comment),
        permissions.dispose_refusal(request.user, comment),
    )
    # The text can have changed only in the version the comment was written on or a later one.
    versions = list(
        comment.draft.versions.filter(number__gte=comment.version.number).order_by("number")
    )
    current = (
        Disposition.objects.filter(comment=comment).select_related("changed_in_version").first()
    )
    initial = {}
    if current:
        initial = {
            "outcome": current.outcome,
            "reasoning": current.reasoning,
            "changed_in_version": getattr(current.changed_in_version, "number", ""),
        }
    form = DispositionForm(request.POST or None, versions=versions, initial=initial)
    context = {
        "comment": comment,
        "draft": comment.draft,
        "current": current,
        "history": current.history.select_related("history_user") if current else [],
    }
    if request.method != "POST":
        return render(request, "discussions/dispose.html", {**context, "form": form})
    if not form.is_valid():
        return _form_errors(request, form, "discussions/dispose.html", context)
    number = form.cleaned_data["changed_in_version"]
    try:
        services.disposition_set(
            comment=comment,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reasoning=form.cleaned_data["reasoning"],
            changed_in_version=next((v for v in versions if v.number == number), None),
        )
    except ValidationError as exc:
        return _form_errors(request, form, "discussions/dispose.html", context, exc)
    messages.success(request, _("The answer is published."))
    return redirect("discussions:dispositions", draft_pk=comment.draft_id)


def disposition_table(request: HttpRequest, draft_pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, draft_pk)
    version = draft.versions.order_by("-number").first()
    form = DispositionFilterForm(request.GET or None, version=version)
    rows = disposition_rows(draft, version, form.cleaned_data if form.is_valid() else {})
    return render(
        request,
        "discussions/dispositions.html",
        {
            "draft": draft,
            "form": form,
            "rows": rows,
            "unanswered": selectors.unanswered_count(draft),
            "can_answer": permissions.can_answer_draft(request.user, draft),
            "query": request.GET.urlencode(),
        },
    )


def disposition_csv(request: HttpRequest, draft_pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, draft_pk)
    version = draft.versions.order_by("-number").first()
    form = DispositionFilterForm(request.GET or None, version=version)
    rows = disposition_rows(draft, version, form.cleaned_data if form.is_valid() else {})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dispositions-{draft.pk}.csv"'
    header = [
        _("Comment"),
        _("Written"),
        _("Author"),
        _("Kind"),
        _("On"),
        _("Version"),
        _("Text"),
        _("Outcome"),
        _("Reasoning"),
        _("Changed in version"),
        _("Answered"),
        _("Answer changed"),
    ]
    response.writelines(csv_lines(header, (row.csv_values() for row in rows)))
    return response


def draft_discussion(request: HttpRequest, draft_pk: int) -> HttpResponse:
    """The discussion on a page of its own (the draft page includes the same panel)."""
    draft = get_draft_for_user(request.user, draft_pk)
    version = draft.versions.order_by("-number").first()
    return render(request, "discussions/discussion.html", {"draft": draft, "version": version})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("discussions:notifications")
    notifications = Notification.objects.filter(recipient=request.user).select_related(
        "comment__draft", "comment__disposition"
    )[:200]
    return render(
        request,
        "discussions/notifications.html",
        {
            "notifications": notifications,
            "unread": selectors.unread_notification_count(request.user),
        },
    )
