"""Money, counts and percentages read the same way everywhere, grouped in the active language.

The walk-through found "46237510000.00 UZS" on the ballot, an ungrouped "Per year" column,
"at 0 %" beside "at 12.00 %" on the calculator and "less than or equal to 10000000" in errors.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from impact import services
from tests.conftest import client_for

SPACES = re.compile(r"[\xa0\u202f]|&nbsp;")


def _get(client, url: str, language: str, data=None):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        if data is None:
            return client.get(url)
        return client.post(url, data)


@pytest.fixture
def assessed(make_draft, agency_editor, answers, obligation):
    draft = make_draft()
    services.assessment_revise(
        draft=draft, actor=agency_editor, discount_rate=Decimal("12"), **answers["low"]
    )
    services.obligation_add(
        draft=draft, actor=agency_editor, obligation=obligation(frequency=Decimal("5000"))
    )
    return draft


@pytest.mark.parametrize(
    ("language", "per_year", "annual"),
    [("en", "5,000.00", "550,000,000,000.00"), ("ru", "5 000,00", "550 000 000 000,00"),
     ("uz", "5 000,00", "550 000 000 000,00")],
)  # fmt: skip
def test_the_per_year_column_is_grouped_like_the_money(
    assessed, agency_editor, language, per_year, annual
):
    html = _get(client_for(agency_editor), f"/impact/{assessed.pk}/calculator/", language)
    text = SPACES.sub(" ", html.content.decode())
    assert f'<td class="num">{per_year}</td>' in text
    assert f"<strong>{annual}</strong>" in text
    assert "5000.00" not in text


@pytest.mark.parametrize(
    ("query", "shown"),
    [("", "at 12 %"), ("?rate=0&years=3", "at 0 %"), ("?rate=12.5&years=3", "at 12.50 %")],
)
def test_the_discount_rate_reads_the_same_whatever_was_typed(assessed, agency_editor, query, shown):
    html = client_for(agency_editor).get(f"/impact/{assessed.pk}/calculator/{query}")
    assert shown in html.content.decode()
    assert "at 12.00 %" not in html.content.decode()


@pytest.mark.parametrize(
    ("language", "field", "value", "message"),
    [
        ("en", "tariff", "10000001", "less than or equal to 10,000,000."),
        ("en", "external", "1000000000001", "less than or equal to 1,000,000,000,000."),
        ("ru", "tariff", "10000001", "не должно превышать 10 000 000."),
        ("uz", "population", "100000001", "Qiymat 100 000 000 dan oshmasligi kerak."),
    ],
)
def test_range_messages_group_the_limit(assessed, agency_editor, language, field, value, message):
    data = {"name": "Quarterly return", "group": "public", "tariff": "40000", "time": "3",
            "population": "200", "frequency": "4", "external": "0", field: value}  # fmt: skip
    url = f"/impact/{assessed.pk}/obligations/add/"
    response = _get(client_for(agency_editor), url, language, data)
    assert response.status_code == 400
    assert message in SPACES.sub(" ", response.content.decode())


def test_the_calculators_own_limits_are_grouped_in_the_active_language():
    from impact.calculator import CalculatorError, ObligationInput, validate_obligation

    too_much = ObligationInput(name="x", group="business", tariff=Decimal("20000000"),
                               time=Decimal(1), population=1, frequency=Decimal(1))  # fmt: skip
    with translation.override("ru"), pytest.raises(CalculatorError) as info:
        validate_obligation(too_much)
    assert "10 000 000" in SPACES.sub(" ", info.value.message)


@pytest.mark.parametrize(
    ("language", "total"),
    [("en", "440,000,000.00 UZS"), ("ru", "440 000 000,00 UZS"), ("uz", "440 000 000,00 UZS")],
)
def test_the_ballot_groups_the_cost_of_the_obligations(
    make_draft, agency_editor, answers, obligation, secretariat, other_agency, other_voter,
    language, total,
):  # fmt: skip
    from voting.services import round_open

    settings.IMPACT_ASSESSMENT_REQUIRED = False  # the assessment is written after it opened
    draft = make_draft(discussion_over=True)
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    voting_round = round_open(
        draft=draft, actor=secretariat, agencies=[other_agency],
        deadline=timezone.now() + timedelta(days=3), rule="two_thirds_quorum_simple_majority",
        override_reason="Test round",
    )  # fmt: skip
    html = _get(client_for(other_voter), f"/voting/{voting_round.pk}/ballot/", language)
    assert html.status_code == 200
    text = SPACES.sub(" ", html.content.decode())
    assert total in text
    assert "440000000" not in text
