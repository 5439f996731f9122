"""A real Chromium renders the report of a draft with its whole story and keeps a screenshot."""

import pytest

from tests.conftest import browser_login


@pytest.fixture
def quiet_round_events(monkeypatch):
    """Playwright's event loop runs in this thread, where voting's after-commit broadcast
    (async_to_sync) refuses to run; nobody watches the round here, so skip the broadcast."""
    monkeypatch.setattr("voting.events._send", lambda round_id: None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_renders_every_section_of_the_report(
    browser, live_url, artifacts, quiet_round_events, story, legislator
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        browser_login(context, live_url, legislator)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(f"{live_url}/reports/drafts/{story.pk}/")
        headings = page.locator("section.report-section > h2").all_inner_texts()
        assert headings == [
            "Status and timeline", "Versions and what changed", "Comments",
            "Answers to comments", "Impact assessment", "Agency votes",
            "Integrity of the voting record", "E-parliament",
        ]  # fmt: skip
        assert page.locator("svg.chart").count() == 3
        assert page.locator("svg.chart title").first.text_content() == "Comments by commenter type"
        assert page.locator(".heat-map li").count() == 4
        assert page.locator(".integrity.ok").is_visible()
        errors = [e for e in errors if "favicon" not in e]
        assert not errors, errors  # no CSP violations or missing files
        page.screenshot(path=str(artifacts / "report-draft.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".report-downloads").is_visible()
        page.screenshot(path=str(artifacts / "report-draft-print.png"), full_page=True)
    finally:
        context.close()
