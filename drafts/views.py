"""Placeholder views; the full pages are being written (see issue 2)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from drafts.models import Draft


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


def draft_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(str(d) for d in Draft.objects.public()))


def draft_create(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")


draft_edit = version_publish = version_history = version_diff = draft_status = draft_detail


def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return HttpResponse("")
