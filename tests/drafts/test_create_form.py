"""The new-draft form: the agency's empty choice in every language and the registration number."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafts import services
from drafts.models import Draft
from tests.conftest import SAMPLE_TEXT, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label"), [("uz", "— Idorani tanlang —"), ("ru", "— Выберите ведомство —")]
)
def test_the_agency_empty_choice_is_translated(
    agency, other_agency, agency_editor, language, label
):
    from sovaz.accounts.models import Membership

    Membership.objects.create(user=agency_editor, agency=other_agency, role="editor")
    page = client_for(agency_editor).get(
        reverse("drafts:create"), headers={"accept-language": language}
    )
    html = page.content.decode()
    assert label in html
    assert "Select an option" not in html


@pytest.mark.parametrize("number", ["<script>", "ID 2026", "ID_2026", "ID-2026;1", "---"])
def test_a_number_with_other_characters_is_refused(agency, agency_editor, number):
    with pytest.raises(ValidationError) as caught:
        services.draft_create(
            author=agency_editor, agency=agency, title="T", kind="law", number=number,
            text=SAMPLE_TEXT,
        )  # fmt: skip
    assert caught.value.code == "bad_number"
    assert not Draft.objects.exists()


@pytest.mark.parametrize("number", ["ID-2026-0142", "ПП-2026/17", "PQ.2026.5", "ҚЛ-12"])
def test_numbers_of_letters_digits_and_separators_in_any_script_are_accepted(
    agency, agency_editor, number
):
    draft = services.draft_create(
        author=agency_editor, agency=agency, title="T", kind="law", number=number,
        text=SAMPLE_TEXT,
    )  # fmt: skip
    assert draft.number == number


def test_the_form_shows_the_number_rule_on_the_number_field(agency, agency_editor):
    response = client_for(agency_editor).post(
        reverse("drafts:create"),
        {
            "agency": agency.pk,
            "number": "<script>",
            "title": "T",
            "kind": "law",
            "impact_level": "medium",
            "language": "uz",
            "source_format": "text",
            "text": SAMPLE_TEXT,
        },
    )
    assert response.status_code == 400
    error = response.context["form"].errors["number"][0]
    assert "only letters, digits and the characters - / and ." in error
    assert not Draft.objects.exists()
