"""The assessment pages: who sees what, editing, the calculator, history and hostile input."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from impact import services
from impact.forms import AssessmentForm
from impact.models import AssessmentRevision
from tests.conftest import CORPORA, client_for


@pytest.fixture
def assessed(make_draft, agency_editor, answers, obligation):
    """A low-impact draft, still being drafted, with a complete assessment and one obligation."""
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["medium"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    return draft


@pytest.fixture
def public_assessed(assessed, agency_editor):
    from datetime import timedelta

    from django.utils import timezone

    from drafts.services import draft_open_discussion

    now = timezone.now()
    return draft_open_discussion(
        draft=assessed, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=20)
    )


# (persona, status while drafting, status once public)
VIEW_MATRIX = [
    (None, 404, 200),
    ("citizen", 404, 200),
    ("business", 404, 200),
    ("other_editor", 404, 200),
    ("agency_voter", 200, 200),
    ("agency_editor", 200, 200),
    ("legislator", 200, 200),
    ("secretariat", 200, 200),
    ("moderator", 200, 200),
]


@pytest.mark.parametrize(("persona", "drafting", "public"), VIEW_MATRIX)
@pytest.mark.parametrize("page", ["impact:detail", "impact:calculator", "impact:history"])
def test_the_assessment_is_seen_by_whoever_may_see_the_draft(
    request, assessed, persona, drafting, public, page
):
    from django.urls import reverse

    user = request.getfixturevalue(persona) if persona else None
    url = reverse(page, args=[assessed.pk])
    assert client_for(user).get(url).status_code == drafting
    request.getfixturevalue("public_assessed")
    assert client_for(user).get(url).status_code == public


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("agency_editor", 200), ("agency_voter", 403), ("legislator", 403), ("other_editor", 404)],
)
def test_only_the_agencys_editors_may_open_the_edit_form(request, assessed, persona, expected):
    response = client_for(request.getfixturevalue(persona)).get(f"/impact/{assessed.pk}/edit/")
    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in_before_editing(assessed):
    response = client_for(None).get(f"/impact/{assessed.pk}/edit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_citizens_cannot_change_a_public_assessment(public_assessed, citizen):
    response = client_for(citizen).post(f"/impact/{public_assessed.pk}/obligations/obl-1/remove/")
    assert response.status_code == 403
    assert AssessmentRevision.objects.filter(assessment__draft=public_assessed).count() == 2


def test_the_detail_page_shows_answers_costs_and_completeness(assessed, agency_editor):
    response = client_for(agency_editor).get(f"/impact/{assessed.pk}/")
    html = response.content.decode()
    assert "Citizens queue for paper certificates." in html
    assert "440,000,000.00" in html
    assert "Complete for this impact level." in html
    assert "year 0 is not counted" in html


def test_saving_the_form_writes_a_new_revision(assessed, agency_editor):
    data = {"problem": "New problem", "objectives": "x", "legal_basis": "y", "discount_rate": "5",
            "years": "20", "reason": "Clarified"}  # fmt: skip
    response = client_for(agency_editor).post(f"/impact/{assessed.pk}/edit/", data)
    assert response.status_code == 302
    latest = AssessmentRevision.objects.filter(assessment__draft=assessed).latest()
    assert (latest.number, latest.problem, latest.years, latest.reason) == (
        3,
        "New problem",
        20,
        "Clarified",
    )
    assert latest.discount_rate == Decimal("5")
    assert latest.obligations.count() == 1  # the obligation carried over


@pytest.mark.parametrize(
    ("language", "nothing"),
    [("en", "Nothing changed: the assessment is the same as revision 2."),
     ("uz", "Hech narsa o‘zgarmadi: baholash 2-tahrir bilan bir xil."),
     ("ru", "Ничего не изменилось: оценка совпадает с редакцией 2.")],
)  # fmt: skip
def test_saving_the_form_unchanged_writes_no_revision_and_says_so(
    assessed, agency_editor, language, nothing
):
    latest = AssessmentRevision.objects.filter(assessment__draft=assessed).latest()
    form = AssessmentForm(instance=latest)  # what the edit page sends back untouched
    data = {name: form[name].value() for name in form.fields if name != "reason"}
    client = client_for(agency_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.post(f"/impact/{assessed.pk}/edit/", {**data, "reason": "Looked again"})
    assert response.status_code == 400
    assert nothing in response.content.decode()
    assert AssessmentRevision.objects.filter(assessment__draft=assessed).count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("discount_rate", "101"), ("discount_rate", "-1"), ("years", "0"), ("years", "101"),
     ("years", "abc")],
)  # fmt: skip
def test_bad_discounting_in_the_form_is_a_400_with_a_message(assessed, agency_editor, field, value):
    data = {"problem": "p", "discount_rate": "5", "years": "10", field: value}
    response = client_for(agency_editor).post(f"/impact/{assessed.pk}/edit/", data)
    assert response.status_code == 400
    assert "field-errors" in response.content.decode()
    assert AssessmentRevision.objects.filter(assessment__draft=assessed).count() == 2


OBLIGATION = {"name": "Quarterly return", "group": "public", "group_label": "district offices",
              "tariff": "40000", "time": "3", "population": "200", "frequency": "4",
              "external": "0"}  # fmt: skip


def test_adding_an_obligation_from_the_calculator(assessed, agency_editor):
    response = client_for(agency_editor).post(f"/impact/{assessed.pk}/obligations/add/", OBLIGATION)
    assert response.status_code == 302
    page = client_for(agency_editor).get(f"/impact/{assessed.pk}/calculator/").content.decode()
    assert "Quarterly return" in page and "district offices" in page
    # 40,000 x 3 x 200 x 4 = 96,000,000 for public bodies
    assert "96,000,000.00" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tariff", "-5", "greater than or equal to 0"),
        ("tariff", "10000001", "less than or equal to 10,000,000."),
        ("time", "10001", "less than or equal to 10,000."),
        ("population", "100000001", "less than or equal to 100,000,000."),
        ("frequency", "9000", "less than or equal to 8,760."),
        ("external", "-1", "greater than or equal to 0"),
        ("group", "aliens", "Select a valid choice"),
        ("tariff", "1e400", "no more than 12 digits"),
        ("tariff", "abc", "Enter a number"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_obligations_are_refused_with_clear_messages(
    assessed, agency_editor, field, value, message
):
    response = client_for(agency_editor).post(
        f"/impact/{assessed.pk}/obligations/add/", {**OBLIGATION, field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AssessmentRevision.objects.filter(assessment__draft=assessed).count() == 2


def test_changing_and_removing_an_obligation(assessed, agency_editor):
    client = client_for(agency_editor)
    assert client.get(f"/impact/{assessed.pk}/obligations/obl-1/edit/").status_code == 200
    response = client.post(f"/impact/{assessed.pk}/obligations/obl-1/edit/", OBLIGATION)
    assert response.status_code == 302
    latest = AssessmentRevision.objects.filter(assessment__draft=assessed).latest()
    assert [(o.key, o.name) for o in latest.obligations.all()] == [("obl-1", "Quarterly return")]
    assert client.post(f"/impact/{assessed.pk}/obligations/obl-1/remove/").status_code == 302
    assert client.get(f"/impact/{assessed.pk}/obligations/obl-1/edit/").status_code == 404
    assert client.post(f"/impact/{assessed.pk}/obligations/obl-1/remove/").status_code == 400


def test_the_calculator_recomputes_the_npv_without_saving(assessed, citizen, public_assessed):
    response = client_for(citizen).get(f"/impact/{assessed.pk}/calculator/?rate=0&years=3")
    assert response.status_code == 200
    assert "1,320,000,000.00" in response.content.decode()  # 3 x 440,000,000 at 0 %
    assert AssessmentRevision.objects.filter(assessment__draft=assessed).count() == 2


@pytest.mark.parametrize("query", ["rate=500&years=3", "rate=5&years=0", "rate=x&years=y"])
def test_a_bad_what_if_is_a_400_with_the_saved_figures(public_assessed, citizen, query):
    response = client_for(citizen).get(f"/impact/{public_assessed.pk}/calculator/?{query}")
    assert response.status_code == 400
    assert "440,000,000.00" in response.content.decode()


def test_history_lists_every_revision_and_each_can_be_read(assessed, agency_editor):
    client = client_for(agency_editor)
    html = client.get(f"/impact/{assessed.pk}/history/").content.decode()
    assert "Obligation added: Annual report to the tax authority" in html
    first = client.get(f"/impact/{assessed.pk}/r1/").content.decode()
    assert "an earlier revision" in first and "No information obligations yet." in first
    assert client.get(f"/impact/{assessed.pk}/r9/").status_code == 404


def test_a_draft_without_an_assessment_says_so(make_draft, agency_editor):
    draft = make_draft()
    html = client_for(agency_editor).get(f"/impact/{draft.pk}/").content.decode()
    assert "No impact assessment has been written for this draft yet." in html
    assert "Write the assessment" in html


def test_a_stale_assessment_is_flagged_after_a_new_version(assessed, agency_editor):
    from drafts.services import version_publish
    from tests.conftest import SAMPLE_TEXT_V2

    version_publish(draft=assessed, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="v2")
    html = client_for(agency_editor).get(f"/impact/{assessed.pk}/").content.decode()
    assert "The text is now at version 2" in html


def test_the_detail_page_makes_a_bounded_number_of_queries(
    assessed, agency_editor, obligation, django_assert_max_num_queries
):
    for n in range(20):
        services.obligation_add(
            draft=assessed, actor=agency_editor, obligation=obligation(name=f"O{n}")
        )
    client = client_for(agency_editor)
    with django_assert_max_num_queries(14):
        assert client.get(f"/impact/{assessed.pk}/").status_code == 200


def _strings(name: str, limit: int) -> list[str]:
    path = CORPORA / name
    if not path.exists():
        pytest.fail(f"the shared corpora are missing: {path}")
    text = path.read_text(errors="replace")
    lines = [line for line in text.splitlines() if line and line[0] != "#"]
    return lines[:limit]


def test_hostile_text_is_stored_exactly_and_shown_escaped(assessed, agency_editor):
    strings = _strings("naughty-strings/blns.txt", 400) + _strings("ssti/ssti.fuzz.txt", 50)
    client = client_for(agency_editor)
    for text in strings[::9]:
        text = text.replace("\x00", "")[:5000]
        data = {"problem": text, "discount_rate": "5", "years": "10", "reason": text[:1000]}
        response = client.post(f"/impact/{assessed.pk}/edit/", data)
        assert response.status_code in (302, 400), text
    payload = "<script>alert(1)</script>{{ 7*7 }}{% debug %}"
    client.post(f"/impact/{assessed.pk}/edit/", {"problem": payload, "discount_rate": "5",
                                                 "years": "10"})  # fmt: skip
    assert AssessmentRevision.objects.filter(assessment__draft=assessed).latest().problem == payload
    html = client.get(f"/impact/{assessed.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html


def test_sql_in_an_obligation_name_is_just_a_name(assessed, agency_editor):
    client = client_for(agency_editor)
    for text in _strings("sqli/Generic_Fuzz.txt", 30):
        response = client.post(
            f"/impact/{assessed.pk}/obligations/add/", {**OBLIGATION, "name": text[:300]}
        )
        assert response.status_code in (302, 400)
    latest = AssessmentRevision.objects.filter(assessment__draft=assessed).latest()
    assert latest.obligations.count() > 1


def test_the_summary_is_json_serialisable(assessed):
    from impact.selectors import assessment_summary

    assert json.loads(json.dumps(assessment_summary(assessed)))["annual_total"] == "440000000.00"
