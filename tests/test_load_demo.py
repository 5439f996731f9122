"""manage.py load_demo: its report reads in English, as the rest of the command does, while the
demo data is written in the site's language."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from drafts.models import Draft


@pytest.fixture
def uzbek_site(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "uz"
    with translation.override("uz"):
        yield


def test_the_output_is_english_in_an_uzbek_site(uzbek_site):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "ID-2026-0117: closed, Approved" in out.getvalue()
    assert "Ma’qullan" not in out.getvalue()


def test_the_demo_history_is_shown_in_the_reader_s_language(uzbek_site):
    """Reasons SOVAZ writes are stored once (English) and shown translated, whatever the
    language the demo was loaded in."""
    from django.utils import translation

    from drafts.reasons import shown

    call_command("load_demo", stdout=io.StringIO())
    first = Draft.history.filter(number="ID-2026-0142").earliest("history_date")
    assert first.history_change_reason == "Draft created"
    with translation.override("uz"):
        assert shown(first.history_change_reason) == "Loyiha yaratildi"
    with translation.override("ru"):
        assert shown(first.history_change_reason) == "Проект создан"
