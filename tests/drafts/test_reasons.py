"""Reasons SOVAZ writes into a draft's history: stored in English, shown in the reader's
language; a reason a person typed is shown as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from drafts import reasons, services
from tests.conftest import SAMPLE_TEXT_V2, client_for


def test_a_system_reason_is_stored_in_english_whatever_the_writer_s_language(
    make_draft, agency_editor
):
    with translation.override("ru"):
        draft = make_draft()
        services.version_publish(
            draft=draft, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="Правки"
        )
    stored = list(
        draft.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert stored[0] == "Draft created" and stored[-1] == "Version 2 published"
    assert draft.versions.get(number=1).change_reason == "First version"
    assert draft.versions.get(number=2).change_reason == "Правки"  # typed: kept as typed


@pytest.mark.parametrize(
    ("language", "created", "published", "first"),
    [
        ("en", "Draft created", "Version 2 published", "First version"),
        ("ru", "Проект создан", "Опубликована редакция 2", "Первая редакция"),
        ("uz", "Loyiha yaratildi", "2-tahrir e’lon qilindi", "Birinchi tahrir"),
    ],
)
def test_the_history_page_shows_them_in_the_reader_s_language(
    make_draft, agency_editor, language, created, published, first
):
    draft = make_draft()
    services.version_publish(
        draft=draft, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="Tahrir"
    )
    client = client_for(agency_editor)  # a draft in drafting: its agency sees it
    page = client.get(
        reverse("drafts:history", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert created in page and published in page and first in page
    assert "Tahrir" in page


def test_parameters_that_are_labels_are_translated_too():
    from voting.models import Round

    stored = reasons.stored(reasons.VOTING_CLOSED, outcome=Round.Outcome.APPROVED.label)
    assert stored == "Agency voting closed: Approved"
    with translation.override("ru"):
        assert reasons.shown(stored) == "Межведомственное голосование закрыто: Одобрен"


def test_a_typed_reason_that_looks_like_nothing_known_is_left_alone():
    assert reasons.shown("Version 2 published, with fixes") == "Version 2 published, with fixes"
    assert reasons.shown("Правки юристов") == "Правки юристов"
