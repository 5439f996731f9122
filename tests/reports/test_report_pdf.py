"""The PDF download: the same page laid out for print, with the same sections."""

import io

from pypdf import PdfReader

from tests.conftest import client_for

SECTIONS = [
    "Status and timeline",
    "Versions and what changed",
    "Comments",
    "Answers to comments",
    "Impact assessment",
    "Agency votes",
    "Integrity of the voting record",
]


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_opens_and_has_the_same_sections(story, legislator):
    response = client_for(legislator).get(f"/reports/drafts/{story.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-ID-2026-0001.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response)
    html = client_for(legislator).get(f"/reports/drafts/{story.pk}/").content.decode()
    for heading in SECTIONS:
        assert f">{heading}</h2>" in html
        assert heading in text, heading
    assert "440,000,000.00" in text
    assert "The ledger was verified" in text
    # The print stylesheet drops the site's navigation and the download buttons.
    assert "Sign in" not in text and "Comments (CSV)" not in text


def test_the_pdf_fetches_nothing_but_static_files():
    import pytest

    from reports.pdf import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("https://sovaz.invalid/static/css/sovaz.css").status == 200
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                "https://sovaz.invalid/static/../../settings.py",
                "https://sovaz.invalid/admin/"):  # fmt: skip
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_pdf_follows_the_report_access_rule(make_draft, citizen):
    draft = make_draft()
    assert client_for(citizen).get(f"/reports/drafts/{draft.pk}/report.pdf").status_code == 404


def test_pdfs_are_rate_limited(story, legislator, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf": "1/600"}
    from django.core.cache import cache

    cache.clear()
    client = client_for(legislator)
    assert client.get(f"/reports/drafts/{story.pk}/report.pdf").status_code == 200
    response = client.get(f"/reports/drafts/{story.pk}/report.pdf")
    assert response.status_code == 429 and "Retry-After" in response


def test_the_pdf_finds_collected_hashed_static_files(settings, tmp_path):
    from reports.pdf import StaticOnlyFetcher

    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "sovaz.0123abcd.css").write_text("body { color: black }")
    response = StaticOnlyFetcher().fetch("https://sovaz.invalid/static/css/sovaz.0123abcd.css")
    assert response.status == 200
