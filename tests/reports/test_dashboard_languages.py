"""The dashboard's period boxes are <input type="date">: ISO dates in every language."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import client_for


@pytest.mark.parametrize("language", ["ru", "uz", "en"])
def test_the_period_inputs_keep_iso_dates(legislator, language):
    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(
            "/reports/?since=2026-05-01&until=2026-05-31", HTTP_ACCEPT_LANGUAGE=language
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'type="date" name="since" value="2026-05-01"' in html
    assert 'type="date" name="until" value="2026-05-31"' in html


def test_the_date_widgets_format_iso_even_from_initial_dates():
    from datetime import date

    from reports.forms import DashboardFilterForm

    with translation.override("ru"):
        form = DashboardFilterForm(initial={"since": date(2026, 5, 1)})
        assert 'value="2026-05-01"' in str(form["since"])


@pytest.mark.parametrize(
    ("language", "everyone"),
    [("uz", "Barcha idoralar"), ("ru", "Все ведомства"), ("en", "All agencies")],
)
def test_the_agency_filter_offers_all_agencies_first(legislator, agency, language, everyone):
    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        html = client.get("/reports/").content.decode()
    assert f'<option value="" selected>{everyone}</option>' in html
