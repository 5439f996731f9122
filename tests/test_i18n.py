"""The main pages speak Uzbek (Latin), Russian and English, by the switcher or the browser."""

import gettext

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import SAMPLE_TEXT_V2

pytestmark = pytest.mark.django_db

LIST_HEADING = {
    "uz": "Normativ-huquqiy hujjatlar loyihalari",
    "ru": "Проекты нормативно-правовых актов",
    "en": "Draft legal acts",
}
STATUS = {
    "uz": "Jamoatchilik muhokamasi",
    "ru": "Общественное обсуждение",
    "en": "Public discussion",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_list_page_follows_the_accept_language_header(make_draft, lang):
    make_draft(discussion=True)
    response = Client(headers={"accept-language": lang}).get(reverse("drafts:list"))
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert LIST_HEADING[lang] in response.text
    assert STATUS[lang] in response.text


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_language_switcher_sets_the_language_for_the_next_pages(make_draft, lang):
    make_draft(discussion=True)
    client = Client(headers={"accept-language": "en" if lang != "en" else "ru"})
    response = client.post(reverse("set_language"), {"language": lang, "next": "/drafts/"})
    assert response.status_code == 302 and response.url == "/drafts/"
    page = client.get(reverse("drafts:list")).text
    assert LIST_HEADING[lang] in page
    others = {other: heading for other, heading in LIST_HEADING.items() if other != lang}
    assert not any(heading in page for heading in others.values())


def test_switcher_ignores_an_unknown_language_and_a_foreign_next(client):
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("home", {"uz": "Muhokamadagi loyihalar", "ru": "Проекты на обсуждении"}),
        ("detail", {"uz": "Ishlab chiquvchi organ", "ru": "Орган-разработчик"}),
        ("history", {"uz": "Matn tahrirlari", "ru": "Редакции текста"}),
        ("diff", {"uz": "Yonma-yon", "ru": "Рядом"}),
        ("login", {"uz": "Hisobingiz yo‘qmi?", "ru": "Ещё нет учётной записи?"}),
        ("register", {"uz": "Hisob yaratish", "ru": "Создать учётную запись"}),
        ("missing", {"uz": "Sahifa topilmadi", "ru": "Страница не найдена"}),
    ],
)
@pytest.mark.parametrize("lang", ["uz", "ru"])
def test_main_pages_are_translated(make_draft, page, expected, lang):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    urls = {
        "home": reverse("home"),
        "detail": draft.get_absolute_url(),
        "history": reverse("drafts:history", args=[draft.pk]),
        "diff": reverse("drafts:diff", args=[draft.pk]) + "?from=1&to=2",
        "login": reverse("accounts:login"),
        "register": reverse("accounts:register"),
        "missing": "/drafts/999999/",
    }
    response = Client(headers={"accept-language": lang}).get(urls[page])
    assert expected[lang] in response.text


def test_the_act_keeps_its_own_language_whatever_the_page_language(make_draft):
    draft = make_draft(discussion=True)
    page = Client(headers={"accept-language": "ru"}).get(draft.get_absolute_url()).text
    assert "2-modda. Asosiy tushunchalar" in page  # the act's headings are not translated
    assert "Содержание" in page


@pytest.mark.parametrize("lang", ["uz", "ru"])
def test_no_other_catalog_overrides_what_an_app_translated(lang):
    """Django merges every catalog into one: a word two catalogs translate differently gets the
    first one's. Each app's translation must be what the site shows, unless the project catalog
    (read first, `sovaz/terms.py`) settles the word for the whole site."""
    project = gettext.GNUTranslations(
        (settings.LOCALE_PATHS[0] / lang / "LC_MESSAGES" / "django.mo").open("rb")
    )._catalog
    overridden = []
    for mo in sorted(settings.BASE_DIR.glob(f"**/locale/{lang}/LC_MESSAGES/django.mo")):
        if ".venv" in mo.parts or mo.parent.parent.parent == settings.LOCALE_PATHS[0]:
            continue
        catalog = gettext.GNUTranslations(mo.open("rb"))._catalog
        with translation.override(lang):
            for msgid, msgstr in catalog.items():
                if not isinstance(msgid, str) or not msgid or "\x04" in msgid:
                    continue
                shown = translation.gettext(msgid)
                if shown != msgstr and project.get(msgid) != shown:
                    overridden.append((str(mo.relative_to(settings.BASE_DIR)), msgid, shown))
    assert overridden == []
