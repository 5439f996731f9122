"""The read-only public API: plain JSON views (see api/http.py for errors and pagination)."""

import json
from pathlib import Path

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from api import opendata, selectors, serializers
from api.http import (
    api_view,
    choice_param,
    datetime_param,
    int_param,
    json_response,
    page,
    slug_param,
)
from api.openapi import openapi_document
from drafts.models import Draft
from eparliament import akn
from eparliament.selectors import draft_bundle

BUNDLE_SCHEMA = Path(__file__).resolve().parent.parent / "eparliament/schemas/bundle-v1.json"


@api_view
def index(request: HttpRequest) -> HttpResponse:
    names = [
        "drafts",
        "comments",
        "dispositions",
        "rounds",
        "exports",
        "open_data",
        "openapi",
        "bundle_schema",
    ]
    return json_response({name: reverse(f"api:{name}") for name in names})


@api_view
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(openapi_document())


@api_view
def bundle_schema(request: HttpRequest) -> HttpResponse:
    return json_response(json.loads(BUNDLE_SCHEMA.read_text()))


@api_view
def drafts(request: HttpRequest) -> HttpResponse:
    qs = selectors.drafts()
    if status := choice_param(request, "status", Draft.Status.values):
        qs = qs.filter(status=status)
    if kind := choice_param(request, "kind", Draft.Kind.values):
        qs = qs.filter(kind=kind)
    if agency := slug_param(request, "agency"):
        qs = qs.filter(agency__code=agency)
    if since := datetime_param(request, "updated_since"):
        qs = qs.filter(updated_at__gte=since)
    return page(request, qs, serializers.draft_data)


@api_view
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(serializers.draft_data(get_object_or_404(selectors.drafts(), pk=pk)))


@api_view
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(selectors.drafts(), pk=pk)
    return page(request, selectors.versions().filter(draft_id=pk), serializers.version_data)


@api_view
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = get_object_or_404(selectors.versions(), draft_id=pk, number=number)
    return json_response(serializers.version_data(found, structure=True))


@api_view
def version_akn(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = get_object_or_404(selectors.versions(), draft_id=pk, number=number)
    xml = akn.bill(draft_bundle(found))
    if akn.validate(xml):
        raise Http404  # never hand out a document that fails the schema
    return HttpResponse(xml, content_type="application/akn+xml; charset=utf-8")


@api_view
def comments(request: HttpRequest) -> HttpResponse:
    qs = selectors.comments()
    if draft_id := int_param(request, "draft"):
        qs = qs.filter(draft_id=draft_id)
    if since := datetime_param(request, "updated_since"):
        qs = qs.filter(Q(created_at__gte=since) | Q(edited_at__gte=since))
    return page(request, qs, serializers.comment_data)


@api_view
def dispositions(request: HttpRequest) -> HttpResponse:
    qs = selectors.dispositions()
    if draft_id := int_param(request, "draft"):
        qs = qs.filter(comment__draft_id=draft_id)
    if since := datetime_param(request, "updated_since"):
        qs = qs.filter(decided_at__gte=since)
    return page(request, qs, serializers.disposition_data)


@api_view
def rounds(request: HttpRequest) -> HttpResponse:
    qs = selectors.rounds()
    if draft_id := int_param(request, "draft"):
        qs = qs.filter(draft_id=draft_id)
    if status := choice_param(request, "status", ["open", "closed"]):
        qs = qs.filter(status=status)
    if agency := slug_param(request, "agency"):
        qs = qs.filter(invitations__agency__code=agency)
    if since := datetime_param(request, "updated_since"):
        qs = qs.filter(Q(opened_at__gte=since) | Q(closed_at__gte=since))
    return page(request, qs, serializers.round_data)


@api_view
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = selectors.rounds().prefetch_related("votes__agency")
    return json_response(serializers.round_data(get_object_or_404(qs, pk=pk), votes=True))


@api_view
def exports(request: HttpRequest) -> HttpResponse:
    qs = selectors.exports()
    if draft_id := int_param(request, "draft"):
        qs = qs.filter(draft_id=draft_id)
    if since := datetime_param(request, "updated_since"):
        qs = qs.filter(created_at__gte=since)
    return page(request, qs, serializers.export_data)


@api_view
def export(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.exports().defer(None), pk=pk)
    return HttpResponse(bytes(found.bundle), content_type="application/json; charset=utf-8")


@api_view
def export_document(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    found = get_object_or_404(selectors.exports().defer(None), pk=pk)
    if name not in found.documents:
        raise Http404
    return HttpResponse(
        found.documents[name].encode(), content_type="application/akn+xml; charset=utf-8"
    )


@api_view
def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


@api_view
def open_data(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(opendata.build_zip(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="sovaz-open-data.zip"'
    return response
