"""The demo's pages fit the window, on a phone and on a laptop, even when a comment holds one
unbroken 5,000-character string (a pasted URL): long words wrap and wide tables scroll inside
their own box, so the page itself never scrolls sideways."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from drafts.services import draft_open_discussion
from tests.conftest import SAMPLE_TEXT_V2, browser_login

pytestmark = pytest.mark.browser

LONG_URL = "https://example.uz/" + "a1b2c3d4e5" * 498 + "z"  # 5,000 characters, no break
# The elements that stick out past the window's right edge, or whose text spills out of them,
# to name in a failure.
OVERFLOWING = """
[...document.querySelectorAll("body *")]
  .filter(e => (e.getBoundingClientRect().right > window.innerWidth + 1
                && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
               || (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                   && getComputedStyle(e).overflowX === "visible"))
  .slice(-5)
  .map(e => e.tagName.toLowerCase() + "." + [...e.classList].join("."))
"""


@pytest.fixture
def demo(transactional_db, make_draft, agency_editor, citizen, business, legislator, monkeypatch):
    """A draft in discussion with an assessment, answered comments and an unanswered comment
    holding a long URL; returns the draft and a legislator, who may read every page."""
    # Live updates are broadcast after commit; Playwright's thread cannot, and nobody listens.
    monkeypatch.setattr("live.services._broadcast", lambda *args, **kwargs: None)
    from discussions.services import comment_create, disposition_set
    from impact import services as impact
    from impact.calculator import ObligationInput

    draft = make_draft(v2=SAMPLE_TEXT_V2)
    impact.assessment_revise(
        draft=draft, actor=agency_editor, problem="Queues for paper certificates",
        objectives="All certificates online", legal_basis="Law on e-government",
    )  # fmt: skip
    impact.obligation_add(
        draft=draft, actor=agency_editor,
        obligation=ObligationInput(name="Register on the portal", group="business",
                                   tariff=Decimal("50000"), time=Decimal("2"), population=1000,
                                   frequency=Decimal("4"), external=Decimal("10000")),
    )  # fmt: skip
    now = timezone.now()
    draft = draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now,
        ends_at=now + timedelta(days=20),
    )  # fmt: skip
    answered = comment_create(draft=draft, author=business, body="The cost is too high")
    disposition_set(comment=answered, actor=agency_editor, outcome="rejected", reasoning=LONG_URL)
    comment_create(draft=draft, author=citizen, body=LONG_URL)
    return draft, legislator


@pytest.mark.parametrize(
    ("width", "lang"), [(390, "en"), (390, "uz"), (390, "ru"), (1280, "en")]
)  # Uzbek and Russian labels are longer: "Jamoatchilik muhokamasi" in one badge.
def test_demo_pages_never_scroll_sideways(demo, browser, live_url, artifacts, width, lang):
    draft, deputy = demo
    context = browser.new_context(
        viewport={"width": width, "height": 900}, extra_http_headers={"Accept-Language": lang}
    )
    try:
        browser_login(context, live_url, deputy)
        page = context.new_page()
        paths = [
            "/",
            f"/drafts/{draft.pk}/",
            f"/impact/{draft.pk}/",
            f"/discussions/drafts/{draft.pk}/dispositions/",
            f"/reports/drafts/{draft.pk}/",
        ]
        too_wide = {}
        for path in paths:
            response = page.goto(f"{live_url}{path}")
            assert response is not None and response.status == 200, path
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if widths[0] > widths[1]:
                too_wide[path] = [*widths, page.evaluate(OVERFLOWING)]
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=artifacts / f"layout-{width}-{lang}-{name}.png")
        assert not too_wide, too_wide
        if width < 900:  # one column: the contents panel must not float over the comments
            page.goto(f"{live_url}/drafts/{draft.pk}/")
            position = "getComputedStyle(document.querySelector('aside.sticky')).position"
            assert page.evaluate(position) == "static"
        # The long URL is on the report and on the dispositions page, wrapped, not cut off.
        page.goto(f"{live_url}/reports/drafts/{draft.pk}/")
        assert page.get_by_text(LONG_URL[:40]).count() >= 1
    finally:
        context.close()
