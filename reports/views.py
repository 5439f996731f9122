import logging
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import charts, downloads, selectors
from reports.forms import DashboardFilterForm
from reports.pdf import html_to_pdf
from reports.permissions import can_view_dashboard, get_report_draft_for_user
from sovaz.csvsafe import csv_lines
from sovaz.ratelimit import hit_for_request

logger = logging.getLogger(__name__)


def _bundle_url(draft) -> str:
    """The JSON of the draft's latest e-parliament bundle in the public API, if it has one."""
    export_id = selectors.latest_export_id(draft)
    return reverse("api:export", args=[export_id]) if export_id else ""


def _report_context(request: HttpRequest, pk: int) -> dict:
    draft = get_report_draft_for_user(request.user, pk)
    report = selectors.draft_report(draft, request.user)
    return {
        "draft": draft,
        "report": report,
        "kind_chart": charts.bar_chart(
            report.comments.by_kind, title=_("Comments by commenter type"), chart_id="by-kind"
        ),
        "day_chart": charts.column_chart(
            report.comments.per_day, title=_("Comments per day"), chart_id="per-day"
        ),
        "outcome_chart": charts.bar_chart(
            [(label, n) for _value, label, n in report.dispositions.by_outcome]
            + [(_("Unanswered"), report.dispositions.unanswered_count)],
            title=_("Answers to comments by outcome"),
            chart_id="outcomes",
        ),
        "bundle_url": _bundle_url(draft),
        "can_dashboard": can_view_dashboard(request.user),
    }


def draft_report(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reports/draft.html", _report_context(request, pk))


def draft_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _report_context(request, pk)  # 404 first: a refusal costs no rate-limit hit
    hit_for_request("pdf", request)
    html = render_to_string("reports/draft.html", {**context, "for_pdf": True}, request=request)
    try:
        pdf = html_to_pdf(html)
    except Exception:  # WeasyPrint's layout is partial: never let a layout bug be a 500
        logger.exception("PDF of the report on draft %s could not be made", context["draft"].pk)
        return render(
            request,
            "reports/pdf_failed.html",
            {
                "draft": context["draft"],
                "page_url": reverse("reports:draft", args=[context["draft"].pk]),
            },
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(context["draft"], "pdf")}"'
    return response


def _filename(draft, extension: str, part: str = "report") -> str:
    return f"{part}-{re.sub(r'[^A-Za-z0-9_-]+', '_', draft.number)}.{extension}"


def _csv(request: HttpRequest, pk: int, part: str) -> StreamingHttpResponse:
    draft = get_report_draft_for_user(request.user, pk)
    if part == "votes":
        header, rows = downloads.vote_rows(draft, request.user)
    elif part == "dispositions":
        header, rows = downloads.disposition_rows(draft)
    else:
        header, rows = downloads.comment_rows(draft)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(draft, "csv", part)}"'
    return response


def comments_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    return _csv(request, pk, "comments")


def dispositions_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    return _csv(request, pk, "dispositions")


def votes_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    return _csv(request, pk, "votes")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for legislators and officials."))
    form = DashboardFilterForm(request.GET or None)
    drafts = selectors.visible_drafts(request.user)
    if form.is_valid():
        drafts = form.filter(drafts)
    now = timezone.now()
    page = Paginator(
        drafts.select_related("agency")
        # Counted as everywhere else (the report, the live counts): comments not deleted.
        .annotate(
            comment_count=Count("comments", filter=Q(comments__deleted_at=None), distinct=True)
        )
        .order_by("-updated_at", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": selectors.status_counts(drafts),
        "deadlines": selectors.upcoming_deadlines(drafts, now),
        "now": now,
        "total": page.paginator.count,
    }
    return render(request, "reports/dashboard.html", context, status=400 if form.errors else 200)
