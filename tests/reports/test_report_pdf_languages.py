"""The PDF in every language, on drafts with their whole story, and a clear 503 if it fails.

WeasyPrint's CSS grid is partial: a grid item holding a float (the heat map's counts) that met a
page break raised a TypeError in English and Russian, where the text is longer than in Uzbek.
"""

import importlib
import io
import logging

import pytest
from pypdf import PdfReader

from drafts.models import Draft
from tests.conftest import client_for

DEMO = ["sovaz.demo", "drafts.demo", "impact.demo", "discussions.demo", "voting.demo"]
LANGUAGES = ["uz", "ru", "en"]


@pytest.fixture
def demo(db):
    for name in DEMO:
        importlib.import_module(name).load()


def _demo_legislator():
    from sovaz.accounts.models import User

    return User.objects.get(email="deputy@parliament.uz")


def _opens(response) -> int:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 1
    return len("".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("number", ["ID-2026-0117", "ID-2026-0142"])
def test_the_demo_reports_make_a_pdf_in_every_language(demo, language, number):
    # ID-2026-0117 carries the assessment, answered comments and the closed vote.
    draft = Draft.objects.get(number=number)
    response = client_for(_demo_legislator()).get(
        f"/reports/drafts/{draft.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE=language
    )
    assert _opens(response) > 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_story_makes_a_pdf_in_every_language(story, legislator, language):
    response = client_for(legislator).get(
        f"/reports/drafts/{story.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE=language
    )
    assert _opens(response) > 200


def test_a_pdf_that_cannot_be_made_is_a_503_pointing_at_the_page(
    story, legislator, monkeypatch, caplog
):
    def broken(html: str) -> bytes:
        raise TypeError("unsupported operand type(s) for +: 'float' and 'str'")

    monkeypatch.setattr("reports.views.html_to_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="reports.views"):
        response = client_for(legislator).get(f"/reports/drafts/{story.pk}/report.pdf")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The PDF could not be made" in html
    assert f'href="/reports/drafts/{story.pk}/"' in html
    assert any(record.exc_info for record in caplog.records), "the failure is logged"
