"""Dates read one way on every page: "5 March 2026" and "5 March 2026, 14:30" (Tashkent time)
in English, the same pattern in Uzbek and Russian; machine-readable ISO only in attributes."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import dateformat, translation

from drafts.models import Version
from impact.services import assessment_revise
from tests.conftest import REPO, client_for

AT = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)  # 14:30 in Tashkent
# Day, month name (in the form that follows a day number in Russian), year; then 24-hour time.
PAGE_FORMATS = {"j E Y", "j E Y, H:i", "c"}
# The stand-in e-parliament is a delivery log, not a SOVAZ page: it shows seconds.
OWN_FORMAT = {"eparliament/templates/eparliament/fake_receiver.html": {"Y-m-d H:i:s"}}


def test_every_template_formats_dates_the_same_way():
    used = {}
    roots = [REPO / "templates", *REPO.glob("*/templates"), *REPO.glob("sovaz/*/templates")]
    for path in (page for root in roots for page in root.glob("**/*.html")):
        name = str(path.relative_to(REPO))
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if fmt not in PAGE_FORMATS | OWN_FORMAT.get(name, set()):
                used.setdefault(name, set()).add(fmt)
    assert used == {}


@pytest.fixture
def dated_draft(make_draft, agency_editor):
    """A public draft whose version and assessment revision were both saved at AT."""
    draft = make_draft(discussion=True)
    Version.objects.filter(draft=draft).update(created_at=AT)
    assessment_revise(draft=draft, actor=agency_editor, problem="Queues", now=AT)
    return draft


@pytest.mark.parametrize(
    ("page", "expected"),
    [("drafts:detail", "5 March 2026"), ("reports:draft", "5 March 2026"),
     ("impact:history", "5 March 2026, 14:30"), ("impact:detail", "5 March 2026, 14:30")],
)  # fmt: skip
def test_english_pages_show_day_month_year_and_24_hour_time(dated_draft, legislator, page,
                                                              expected):  # fmt: skip
    html = client_for(legislator).get(reverse(page, args=[dated_draft.pk])).content.decode()
    assert expected in html
    assert "March 5, 2026" not in html and "05.03.2026" not in html and "p.m." not in html


def test_uzbek_dates_write_the_month_in_lower_case():
    with translation.override("uz"):
        assert dateformat.format(date(2026, 11, 25), "j E Y") == "25 noyabr 2026"
