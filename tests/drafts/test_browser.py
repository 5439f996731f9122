"""The reader's journey in real Chromium: home, list, a draft, its history and a diff."""

import pytest

from tests.conftest import SAMPLE_TEXT_V2, browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Accept-Language": "en"}
    )
    yield context
    context.close()


def test_reader_opens_home_list_draft_history_and_diff(
    transactional_db, context, live_url, make_draft, artifacts
):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True, title="Elektron xizmatlar")
    page = context.new_page()
    failed: list[str] = []  # responses that went wrong (the favicon is the layout's concern)
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

    page.goto(f"{live_url}/")
    assert page.locator("h1").inner_text() == "Public discussion of draft legal acts"
    page.screenshot(path=artifacts / "drafts-home.png", full_page=True)

    page.click("nav.main-nav >> text=Drafts")
    page.wait_for_selector(".draft-list")
    assert "Elektron xizmatlar" in page.locator(".draft-list").inner_text()
    page.screenshot(path=artifacts / "drafts-list.png", full_page=True)

    page.click("text=Elektron xizmatlar")
    page.wait_for_selector(".act-text")
    page.click(".toc >> text=2-modda. Asosiy tushunchalar")
    assert page.url.endswith("#art_2")
    assert page.locator("#art_2").get_attribute("data-wid") == "art_2"
    page.screenshot(path=artifacts / "drafts-detail.png", full_page=True)

    page.click("nav.tabs >> text=History")
    page.wait_for_selector(".versions-table")
    assert page.locator(".versions-table tbody tr").count() == 2
    page.screenshot(path=artifacts / "drafts-history.png", full_page=True)

    page.click("text=Compare 1 → 2")
    page.wait_for_selector(".diff-article")
    assert page.locator(".diff-article.added").count() == 1
    assert page.locator(".diff-article ins", has_text="olti").count() == 1
    page.screenshot(path=artifacts / "drafts-diff-inline.png", full_page=True)

    page.click("text=Side by side")
    page.wait_for_selector(".diff-side")
    page.screenshot(path=artifacts / "drafts-diff-side.png", full_page=True)
    assert draft.get_absolute_url() in page.content()
    assert failed == []


def test_editor_publishes_a_version_in_the_browser(
    transactional_db, context, live_url, make_draft, agency_editor, artifacts
):
    draft = make_draft()
    browser_login(context, live_url, agency_editor)
    page = context.new_page()
    page.goto(f"{live_url}{draft.get_absolute_url()}")
    page.click("text=Publish a new version")
    page.fill("textarea[name=text]", SAMPLE_TEXT_V2)
    page.fill("textarea[name=change_reason]", "Muddat uzaytirildi")
    page.screenshot(path=artifacts / "drafts-publish.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".act-text")
    assert "Version 2 is published." in page.locator(".messages").inner_text()
    assert draft.versions.count() == 2
