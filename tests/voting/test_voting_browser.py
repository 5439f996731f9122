"""A voter casts and changes a vote in a real Chromium; the secretariat closes; the result shows."""

import re

import pytest

from tests.conftest import browser_login
from voting import services
from voting.models import Vote

pytestmark = pytest.mark.browser


def test_a_voter_casts_and_changes_a_vote_and_the_result_is_published(
    browser,
    live_url,
    artifacts,
    open_round,
    other_voter,
    other_agency,
    third_agency,
    third_voter,
    secretariat,
):
    voting_round = open_round()
    context = browser.new_context(locale="en-GB")
    try:
        browser_login(context, live_url, other_voter)
        page = context.new_page()
        page.goto(f"{live_url}/voting/{voting_round.pk}/ballot/")
        assert "The text voted on (version 2)" in page.content()
        page.check("input[name=choice][value=approve]")
        page.click("form.ballot-form button[type=submit]")
        page.wait_for_selector("[data-current-choice=approve]")
        page.screenshot(path=str(artifacts / "voting-ballot-cast.png"), full_page=True)

        page.check("input[name=choice][value=object]")
        page.fill("textarea[name=remarks]", "3-modda: olti oy juda uzoq.")
        page.check("input[name=article_wids][value=art_3]")
        page.click("form.ballot-form button[type=submit]")
        page.wait_for_selector("[data-current-choice=object]")
        assert "revision 2" in page.content()
        receipt = page.text_content("[data-receipt]")
        assert re.fullmatch(r"[0-9a-f]{64}", receipt)
        page.screenshot(path=str(artifacts / "voting-ballot-changed.png"), full_page=True)
        assert Vote.objects.get().receipt_hash == receipt

        services.vote_cast(
            voting_round=voting_round, agency=third_agency, actor=third_voter, choice="approve"
        )
        page.goto(f"{live_url}/voting/{voting_round.pk}/")
        assert page.get_attribute('[data-agency="minfin"]', "class") == "voted"
    finally:
        context.close()

    context = browser.new_context(locale="en-GB")
    try:
        browser_login(context, live_url, secretariat)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{live_url}/voting/{voting_round.pk}/")
        page.click("text=Close the round")
        page.wait_for_selector("[data-outcome]")
        assert page.get_attribute("[data-outcome]", "data-outcome") == "rejected"
        rows = page.eval_on_selector_all(
            "#votes tr[data-choice]", "rows => rows.map(r => r.dataset.choice)"
        )
        assert sorted(rows) == ["approve", "object"]
        assert page.text_content('[data-count="object"]') == "1"
        assert page.text_content('[data-count="approve"]') == "1"
        assert receipt in page.content()
        page.screenshot(path=str(artifacts / "voting-result.png"), full_page=True)
    finally:
        context.close()
