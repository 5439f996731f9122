"""The report and the assessment read in Uzbek and Russian too."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import client_for


@pytest.mark.parametrize(
    ("language", "report_heading", "impact_heading"),
    [("uz", "Holat va xronologiya", "Xarajatlar kalkulyatori"),
     ("ru", "Статус и хронология", "Калькулятор издержек")],
)  # fmt: skip
def test_pages_are_translated(story, legislator, language, report_heading, impact_heading):
    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        report = client.get(f"/reports/drafts/{story.pk}/").content.decode()
        impact = client.get(f"/impact/{story.pk}/").content.decode()
    assert report_heading in report
    assert impact_heading in impact


def test_russian_pdf_keeps_its_cyrillic_headings(story, legislator):
    import io

    from pypdf import PdfReader

    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    with translation.override("ru"):
        response = client.get(f"/reports/drafts/{story.pk}/report.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Целостность записи голосования" in text
