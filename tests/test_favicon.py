"""The site has an icon: pages link the SVG, and /favicon.ico (asked for by browsers on their own)
leads to it instead of a 404."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_leads_to_the_svg_icon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("favicon.svg")
    assert icon and Path(icon).read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.django_db
def test_pages_link_the_icon():
    response = Client().get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in response.text
