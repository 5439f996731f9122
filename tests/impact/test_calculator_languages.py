"""Number inputs carry machine numbers ("12.00") in every language; results stay localised.

A browser's <input type="number"> cannot read "12,00": in Uzbek and Russian the box showed
empty, and recalculating then answered 400 "required".
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from drafts.services import draft_open_discussion
from impact import services
from tests.conftest import client_for

MACHINE_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.fixture
def public_assessed(make_draft, agency_editor, answers, obligation):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["medium"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    now = timezone.now()
    return draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=20)
    )


def _get(user, url: str, language: str):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _inputs(html: str, kind: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(rf"<input[^>]*type=\"{kind}\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        found[name] = value.group(1) if value else ""
    return found


@pytest.mark.parametrize("language", ["ru", "uz", "en"])
def test_the_calculator_inputs_are_machine_numbers_and_post_back(
    public_assessed, citizen, language
):
    url = f"/impact/{public_assessed.pk}/calculator/"
    response = _get(citizen, url, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    values = _inputs(html, "number")
    revision = public_assessed.assessment.revisions.order_by("-number").first()
    assert values["rate"] == f"{revision.discount_rate:.2f}"  # e.g. "12.00", never "12,00"
    assert values["years"] == str(revision.years)
    # Sending the boxes back as the browser does recomputes instead of answering 400.
    again = _get(citizen, f"{url}?rate={values['rate']}&years={values['years']}", language)
    assert again.status_code == 200
    assert _inputs(again.content.decode(), "number") == values
    what_if = _get(citizen, f"{url}?rate=0&years=3", language)
    assert what_if.status_code == 200
    if language == "en":
        assert "1,320,000,000.00" in what_if.content.decode()  # results are still localised
    else:
        assert "1,320,000,000.00" not in what_if.content.decode()
        assert "1320000000,00" in re.sub(r"[\s\xa0\u202f]|&nbsp;", "", what_if.content.decode())


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_every_number_input_of_the_assessment_forms_is_a_machine_number(
    public_assessed, agency_editor, language
):
    from impact.models import Obligation

    key = Obligation.objects.filter(revision__assessment__draft=public_assessed).first().key
    base = f"/impact/{public_assessed.pk}"
    checked = 0
    for url in (f"{base}/calculator/", f"{base}/edit/", f"{base}/obligations/{key}/edit/"):
        response = _get(agency_editor, url, language)
        assert response.status_code == 200, url
        for name, value in _inputs(response.content.decode(), "number").items():
            assert value == "" or MACHINE_NUMBER.match(value), (url, name, value)
            checked += bool(value)
    assert checked >= 4  # the saved rate and years, and the obligation's figures


def test_the_saved_rate_is_shown_in_machine_format_under_russian(public_assessed, citizen):
    html = _get(citizen, f"/impact/{public_assessed.pk}/calculator/", "ru").content.decode()
    assert re.search(r'name="rate"[^>]*value="\d+\.\d{2}"|value="\d+\.\d{2}"[^>]*name="rate"', html)


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Choose the affected group"), ("uz", "Ta’sir doirasidagi guruhni tanlang"),
     ("ru", "Выберите затрагиваемую группу")],
)  # fmt: skip
def test_the_affected_group_choice_has_a_translated_empty_label(
    public_assessed, agency_editor, language, label
):
    html = _get(agency_editor, f"/impact/{public_assessed.pk}/calculator/", language)
    select = re.search(r'<select name="group".*?</select>', html.content.decode(), re.S).group(0)
    assert f'<option value="" selected>{label}</option>' in select
    assert "Select an option" not in select
