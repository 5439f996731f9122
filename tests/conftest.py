"""Shared personas and builders for every test.

Personas (see STYLE.md): an agency editor, a voter of that agency, a voter of another agency, a
citizen, a business, a moderator, the secretariat, a legislator and an outsider (anonymous).
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone, translation

from sovaz.accounts.models import Agency, Membership, User

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test around it are still synchronous, so the async-safety guard would be a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
# The public lists of hostile input, in ../shared/ beside the checkout (as in CI).
CORPORA = Path(os.environ.get("SOVAZ_CORPORA") or REPO.parent / "shared" / "corpora")

SAMPLE_TEXT = """Ushbu qonunning maqsadi davlat xizmatlarini raqamlashtirishdir.

1-bob. Umumiy qoidalar

1-modda. Ushbu Qonunning maqsadi
Ushbu Qonunning maqsadi elektron davlat xizmatlari sohasidagi munosabatlarni tartibga solishdan iborat.

2-modda. Asosiy tushunchalar
1. Elektron xizmat — davlat organi tomonidan axborot tizimi orqali ko‘rsatiladigan xizmat.
2. Foydalanuvchi — elektron xizmatdan foydalanuvchi jismoniy yoki yuridik shaxs.

2-bob. Yakuniy qoidalar

3-modda. Qonunning kuchga kirishi
Ushbu Qonun rasmiy e'lon qilingan kundan e’tiboran uch oy o'tgach kuchga kiradi.
"""

SAMPLE_TEXT_V2 = (
    SAMPLE_TEXT.replace("uch oy", "olti oy")
    .replace(
        "2-bob. Yakuniy qoidalar",
        "3-modda. Shaxsga doir ma'lumotlarni himoya qilish\n"
        "Elektron xizmat ko‘rsatishda shaxsga doir ma'lumotlar qonunga muvofiq himoya qilinadi.\n\n"
        "2-bob. Yakuniy qoidalar",
    )
    .replace("3-modda. Qonunning kuchga kirishi", "4-modda. Qonunning kuchga kirishi")
)


@pytest.fixture(autouse=True)
def _still_rate_limit_clock(monkeypatch):
    """Rate-limit windows don't roll over mid-test: the clock stands 15 s into a minute."""
    monkeypatch.setattr("sovaz.ratelimit.clock", lambda: 60_015.0)


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English; the languages themselves are tested in tests/test_i18n.py."""
    settings.LANGUAGE_CODE = "en"
    settings.RATE_LIMITS_ENABLED = False
    # PBKDF2 costs ~1 s per persona on this machine; the hash algorithm is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages name static files as they are in static/, without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Other apps' tests open discussions on drafts without writing an impact assessment; the
    # impact tests switch this back on.
    settings.IMPACT_ASSESSMENT_REQUIRED = False
    with translation.override("en"):
        yield


def make_user(email: str, **fields) -> User:
    fields.setdefault("full_name", email.split("@")[0].replace(".", " ").title())
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


@pytest.fixture
def agency(db) -> Agency:
    return Agency.objects.create(
        code="minjust",
        name_uz="Adliya vazirligi",
        name_ru="Министерство юстиции",
        name_en="Ministry of Justice",
        kind=Agency.Kind.MINISTRY,
    )


@pytest.fixture
def other_agency(db) -> Agency:
    return Agency.objects.create(
        code="minfin",
        name_uz="Iqtisodiyot va moliya vazirligi",
        name_ru="Министерство экономики и финансов",
        name_en="Ministry of Economy and Finance",
        kind=Agency.Kind.MINISTRY,
    )


@pytest.fixture
def agency_editor(agency) -> User:
    user = make_user("editor@minjust.uz", kind=User.Kind.OFFICIAL)
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def agency_voter(agency) -> User:
    user = make_user("voter@minjust.uz", kind=User.Kind.OFFICIAL)
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.VOTER)
    return user


@pytest.fixture
def other_voter(other_agency) -> User:
    user = make_user("voter@minfin.uz", kind=User.Kind.OFFICIAL)
    Membership.objects.create(user=user, agency=other_agency, role=Membership.Role.VOTER)
    return user


@pytest.fixture
def other_editor(other_agency) -> User:
    user = make_user("editor@minfin.uz", kind=User.Kind.OFFICIAL)
    Membership.objects.create(user=user, agency=other_agency, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def citizen(db) -> User:
    return make_user("citizen@example.uz", full_name="Dilnoza Karimova")


@pytest.fixture
def business(db) -> User:
    return make_user("info@texnopark.uz", kind=User.Kind.BUSINESS, organisation="Texnopark LLC")


@pytest.fixture
def moderator(db) -> User:
    return make_user("moderator@sovaz.uz", is_moderator=True)


@pytest.fixture
def secretariat(db) -> User:
    return make_user("secretariat@sovaz.uz", is_secretariat=True)


@pytest.fixture
def legislator(db) -> User:
    return make_user("deputy@parliament.uz", is_legislator=True)


@pytest.fixture
def outsider() -> AnonymousUser:
    return AnonymousUser()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def end_discussion(draft) -> None:
    """Move a draft's public discussion into the past, as if it had run its course.

    The services open a discussion from today on only, and a voting round opens only after it.
    """
    from drafts.models import Draft

    now = timezone.now()
    Draft.objects.filter(pk=draft.pk).update(
        discussion_starts_at=now - timedelta(days=31), discussion_ends_at=now - timedelta(minutes=1)
    )
    draft.refresh_from_db()


@pytest.fixture
def make_draft(agency, agency_editor):
    """Build a draft through the services, optionally with a second version, in discussion or
    with its discussion over (`discussion_over`: ready for a voting round)."""
    from drafts import services

    counter = {"n": 0}

    def build(
        *,
        text: str = SAMPLE_TEXT,
        v2: str | None = None,
        discussion: bool = False,
        discussion_over: bool = False,
        impact_level: str = "low",
        **fields,
    ):
        counter["n"] += 1
        draft = services.draft_create(
            author=agency_editor,
            agency=fields.pop("agency", agency),
            title=fields.pop("title", "Elektron davlat xizmatlari to‘g‘risida"),
            kind=fields.pop("kind", "law"),
            number=fields.pop("number", f"ID-2026-{counter['n']:04d}"),
            text=text,
            impact_level=impact_level,
            **fields,
        )
        if v2 is not None:
            services.version_publish(
                draft=draft, author=agency_editor, text=v2, change_reason="Revised"
            )
        if discussion or discussion_over:
            now = timezone.now()
            services.draft_open_discussion(
                draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=30)
            )
        if discussion_over:
            end_discussion(draft)
        draft.refresh_from_db()
        return draft

    return build


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's) driven by Playwright, shared by the session."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_url(live_server) -> str:
    """Base URL of a live server on the test database (HTTP only; no websockets)."""
    return live_server.url


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots (kept by CI as test artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def browser_login(context, base_url: str, user: User) -> None:
    """Sign `user` in within a Playwright browser context by the real login form."""
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.close()
