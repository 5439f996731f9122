"""Pages of drafts: the home page, the list, a draft, its versions and diffs, the editor."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafts import permissions, services
from drafts.diffing import diff_structures
from drafts.forms import (
    DraftCreateForm,
    DraftEditForm,
    DraftFilterForm,
    OpenDiscussionForm,
    VersionPublishForm,
    WithdrawForm,
)
from drafts.models import Draft, Version
from sovaz.accounts.permissions import editor_agency_ids
from sovaz.ratelimit import hit_for_request

PAGE_SIZE = 20
DECIDED = (Draft.Status.APPROVED, Draft.Status.REJECTED, Draft.Status.SENT)
# Lists never need the text of a version, which can be megabytes.
HEAVY_VERSION_FIELDS = ("structure", "source_text")


def home(request: HttpRequest) -> HttpResponse:
    public, now = Draft.objects.public(), timezone.now()
    open_now = Q(
        status=Draft.Status.DISCUSSION, discussion_starts_at__lte=now, discussion_ends_at__gt=now
    )
    counts = public.aggregate(
        open=Count("pk", filter=open_now),
        voting=Count("pk", filter=Q(status=Draft.Status.VOTING)),
        decided=Count("pk", filter=Q(status__in=DECIDED)),
    )
    open_drafts = public.filter(open_now).select_related("agency").order_by("discussion_ends_at")
    recent = permissions.visible_drafts(request.user).select_related("agency")
    return render(
        request,
        "drafts/home.html",
        {"counts": counts, "open_drafts": open_drafts[:6], "recent": recent[:8]},
    )


def draft_list(request: HttpRequest) -> HttpResponse:
    form = DraftFilterForm(request.GET or None)
    drafts = permissions.visible_drafts(request.user).select_related("agency")
    for name in ("status", "kind", "agency"):
        if form.value(name):
            drafts = drafts.filter(**{name: form.value(name)})
    if form.value("open"):
        drafts = drafts.open_for_comment()
    query = form.value("q")
    if query:
        drafts = drafts.filter(
            Q(number__icontains=query) | Q(title__icontains=query) | Q(summary__icontains=query)
        )
    page = Paginator(drafts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "drafts/list.html",
        {"form": form, "page": page, "query_string": params.urlencode()},
    )


def _latest_version(draft: Draft) -> Version | None:
    return draft.versions.select_related("author").order_by("-number").first()


def _versions(draft: Draft):
    return draft.versions.defer(*HEAVY_VERSION_FIELDS).select_related("author").order_by("number")


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    return _render_version(request, draft, _latest_version(draft))


def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    version = get_object_or_404(draft.versions.select_related("author"), number=number)
    return _render_version(request, draft, version)


def _render_version(request: HttpRequest, draft: Draft, version: Version | None) -> HttpResponse:
    user = request.user
    versions = list(_versions(draft))
    context = {
        "draft": draft,
        "version": version,
        "is_latest": version is None or version.number == versions[-1].number,
        "versions": versions,
        "can_edit": permissions.can_edit_draft(user, draft),
        "can_open_discussion": permissions.can_open_discussion(user, draft),
        "can_withdraw": permissions.can_withdraw(user, draft),
        "discussion_form": OpenDiscussionForm(initial=OpenDiscussionForm.initial_for(draft)),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "drafts/detail.html", context)


def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    versions = list(_versions(draft))
    pairs = list(zip(versions, [None, *versions[:-1]], strict=True))
    records = list(draft.history.select_related("history_user").order_by("history_date"))
    changes = []
    for before, after in zip([None, *records[:-1]], records, strict=True):
        fields = [] if before is None else _changed_fields(before, after)
        # Publishing a version touches the row too; such records change no detail.
        if before is None or fields or after.history_change_reason:
            changes.append({"record": after, "fields": fields})
    changes.reverse()
    return render(
        request,
        "drafts/history.html",
        {"draft": draft, "versions": versions, "version_rows": pairs[::-1], "changes": changes},
    )


def _changed_fields(before, after) -> list[dict]:
    names = ("title", "kind", "number", "summary", "impact_level", "language", "status")
    names += ("discussion_starts_at", "discussion_ends_at")
    return [
        {
            "label": Draft._meta.get_field(name).verbose_name,
            "old": _shown(before, name),
            "new": _shown(after, name),
        }
        for name in names
        if getattr(before, name) != getattr(after, name)
    ]


def _shown(record, name: str):
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j E Y, H:i")
    return value


def _version_param(request: HttpRequest, draft: Draft, name: str) -> Version | None:
    """The version named by a query parameter, None when it is absent; garbage is refused."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return None
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a version number.") % {"value": raw[:40]}, code="bad_number"
        ) from None
    version = draft.versions.filter(number=number).first() if 0 < number < 2**31 else None
    if version is None:
        raise ValidationError(
            _("This draft has no version %(number)s.") % {"number": raw[:40]}, code="no_version"
        )
    return version


def _diff_pair(request: HttpRequest, draft: Draft) -> tuple[Version, Version]:
    """The versions to compare; a missing end defaults to the latest two versions."""
    old, new = _version_param(request, draft, "from"), _version_param(request, draft, "to")
    if new is None:
        new = draft.versions.order_by("-number").first()
    if new is None:
        raise ValidationError(_("This draft has no versions yet."), code="no_versions")
    if old is None:
        earlier = draft.versions.filter(number__lt=new.number).order_by("-number").first()
        old = earlier or new
    return old, new


def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    try:
        old, new = _diff_pair(request, draft)
    except ValidationError as exc:
        return render(request, "400.html", {"messages_list": exc.messages}, status=400)
    if old == new and not request.GET.get("from", "").strip():
        messages.info(request, _("There is no earlier version: nothing to compare yet."))
    mode = "side" if request.GET.get("mode") == "side" else "inline"
    context = {
        "draft": draft,
        "old": old,
        "new": new,
        "diff": diff_structures(old.structure, new.structure),
        "mode": mode,
        "show_all": request.GET.get("show") == "all",
        "versions": list(_versions(draft)),
    }
    return render(request, "drafts/diff.html", context)


@login_required
def draft_create(request: HttpRequest) -> HttpResponse:
    agency_ids = editor_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied(_("Only editors of an agency may create drafts."))
    form = DraftCreateForm(request.POST or None, request.FILES or None, agency_ids=agency_ids)
    if request.method == "POST" and form.is_valid():
        hit_for_request("write", request)
        data = form.cleaned_data
        try:
            draft = services.draft_create(
                author=request.user,
                agency=data["agency"],
                title=data["title"],
                kind=data["kind"],
                number=data["number"],
                text=data["text"],
                source_format=data["source_format"],
                summary=data["summary"],
                impact_level=data["impact_level"],
                language=data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The draft is created with its first version."))
            return redirect(draft)
    status = 400 if form.errors else 200
    return render(request, "drafts/create.html", {"form": form}, status=status)


@login_required
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk, write=True)
    latest = _latest_version(draft)
    initial = {"text": latest.source_text if latest else ""}
    if latest and latest.source_format == Version.Format.MARKDOWN:
        initial["source_format"] = Version.Format.MARKDOWN
    form = VersionPublishForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        hit_for_request("write", request)
        try:
            version = services.version_publish(
                draft=draft,
                author=request.user,
                text=form.cleaned_data["text"],
                change_reason=form.cleaned_data["change_reason"],
                source_format=form.cleaned_data["source_format"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
            return redirect(draft)
    status = 400 if form.errors else 200
    context = {"draft": draft, "form": form, "latest": latest}
    return render(request, "drafts/publish.html", context, status=status)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk, write=True)
    initial = {name: getattr(draft, name) for name in services.METADATA_FIELDS}
    form = DraftEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        hit_for_request("write", request)
        try:
            services.draft_update(
                draft=draft,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **form.changed_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The draft's details are saved."))
            return redirect(draft)
    status = 400 if form.errors else 200
    return render(request, "drafts/edit.html", {"draft": draft, "form": form}, status=status)


@require_POST
@login_required
def draft_status(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    action = request.POST.get("action", "")
    discussion_form = OpenDiscussionForm(
        request.POST if action == "open_discussion" else None,
        initial=OpenDiscussionForm.initial_for(draft),
    )
    withdraw_form = WithdrawForm(request.POST if action == "withdraw" else None)
    form = {"open_discussion": discussion_form, "withdraw": withdraw_form}.get(action)
    error = None
    if form is None:
        error = _("Unknown action. Choose to open the discussion or to withdraw the draft.")
    elif form.is_valid():
        hit_for_request("write", request)
        try:
            _apply_status_action(request, draft, action, form)
        except ValidationError as exc:
            if form is discussion_form:
                discussion_form.add_service_error(exc)
            else:
                form.add_error(None, exc)
        else:
            return redirect(draft)
    context = {
        "draft": draft,
        "error": error,
        "discussion_form": discussion_form,
        "withdraw_form": withdraw_form,
        "can_open_discussion": permissions.can_open_discussion(request.user, draft),
        "can_withdraw": permissions.can_withdraw(request.user, draft),
    }
    return render(request, "drafts/status.html", context, status=400)


def _apply_status_action(request: HttpRequest, draft: Draft, action: str, form) -> None:
    if action == "open_discussion":
        starts_at, ends_at = form.period()
        services.draft_open_discussion(
            draft=draft, actor=request.user, starts_at=starts_at, ends_at=ends_at
        )
        messages.success(request, _("The draft is open for public discussion."))
    else:
        services.draft_withdraw(draft=draft, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The draft is withdrawn."))
