"""A real Chromium: the editor writes the assessment and costs an obligation in the calculator."""

import pytest

from tests.conftest import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_writes_the_assessment_and_costs_an_obligation(
    browser, live_url, artifacts, make_draft, agency_editor
):
    draft = make_draft()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        browser_login(context, live_url, agency_editor)
        page = context.new_page()
        page.goto(f"{live_url}/impact/{draft.pk}/edit/")
        page.fill("textarea[name=problem]", "Citizens queue for certificates.")
        page.fill("textarea[name=objectives]", "All certificates online.")
        page.fill("textarea[name=legal_basis]", "Law on e-government.")
        page.click("form.card button[type=submit]")
        page.wait_for_url(f"{live_url}/impact/{draft.pk}/")
        assert page.locator(".message.success", has_text="Complete").count() == 1
        page.goto(f"{live_url}/impact/{draft.pk}/calculator/")
        form = page.locator("form.obligation-form")
        form.locator("input[name=name]").fill("Annual report")
        form.locator("select[name=group]").select_option("business")
        for field, value in (("tariff", "50000"), ("time", "2"), ("population", "1000"),
                             ("frequency", "4"), ("external", "10000")):  # fmt: skip
            form.locator(f"input[name={field}]").fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_url}/impact/{draft.pk}/calculator/")
        assert "440,000,000.00" in page.locator("table.costs tfoot").inner_text()
        page.fill("input[name=rate]", "0")
        page.fill("input[name=years]", "3")
        page.click("form.filters button[type=submit]")
        assert "1,320,000,000.00" in page.locator("table.costs tfoot").inner_text()
        page.screenshot(path=str(artifacts / "impact-calculator.png"), full_page=True)
    finally:
        context.close()
