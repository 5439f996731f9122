# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""The panel in real Chromium: posting without a reload, applyEvent idempotent and harmless."""

import pytest
from django.urls import reverse

from discussions import services
from live.models import LiveEvent
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def page_for(browser, live_url):
    contexts = []

    def open_page(user, draft):
        context = browser.new_context()
        contexts.append(context)
        if user is not None:
            browser_login(context, live_url, user)
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(live_url + reverse("discussions:draft", args=[draft.pk]))
        page.dialogs = dialogs
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_posting_with_javascript_does_not_reload_the_page(page_for, open_draft, citizen, artifacts):
    page = page_for(citizen, open_draft)
    page.evaluate("window.__sameDocument = true")
    page.fill("#comment-compose textarea[name=body]", "Brauzerdan **fikr**")
    page.click("#comment-compose button[type=submit]")
    page.wait_for_selector("#comments .comment strong:text('fikr')")
    assert page.evaluate("window.__sameDocument") is True
    assert page.input_value("#comment-compose textarea[name=body]") == ""
    assert page.locator("#comments .comment [data-action=edit]").count() == 1
    assert page.inner_text("[data-count=comments]") == "1"
    page.screenshot(path=str(artifacts / "discussion-posted.png"), full_page=True)


def test_apply_event_inserts_once_and_keeps_what_is_typed(page_for, open_draft, citizen, business):
    page = page_for(citizen, open_draft)
    page.fill("#comment-compose textarea[name=body]", "yarim yozilgan fikr")
    first = services.comment_create(draft=open_draft, author=business, body="Jonli izoh")
    services.comment_create(draft=open_draft, author=business, body="Javob", parent=first)
    services.comment_edit(comment=first, author=business, body="Jonli izoh (tahrir)")
    events = [
        {"seq": e.seq, "kind": e.kind, "data": e.data}
        for e in LiveEvent.objects.filter(draft=open_draft).order_by("seq")
    ]
    applied = page.evaluate(
        "events => events.concat(events).map(e => window.SOVAZDiscussion.applyEvent(e))", events
    )
    assert applied == [True, True, True, False, False, False]
    assert page.locator(f"#comment-{first.pk}").count() == 1
    assert page.locator(f"#comment-{first.pk} > .replies > .comment").count() == 1
    assert "tahrir" in page.inner_text(f"#comment-{first.pk} > .comment-main")
    # A comment by someone else gets Report, not Edit, from the controls template.
    assert page.locator(f"#comment-{first.pk} > .comment-controls [data-action=report]").count()
    assert not page.locator(f"#comment-{first.pk} > .comment-controls [data-action=edit]").count()
    assert page.input_value("#comment-compose textarea[name=body]") == "yarim yozilgan fikr"
    assert page.inner_text("[data-count=comments]") == "2"


def test_an_open_reply_box_keeps_its_text_when_its_comment_changes_live(
    page_for, comment, citizen, business, moderator
):
    page = page_for(business, comment.draft)
    page.click(f"#comment-{comment.pk} [data-action=reply]")
    page.fill(f"#comment-{comment.pk} .reply-box textarea", "javobim")
    services.comment_edit(comment=comment, author=citizen, body="O‘zgardi")
    services.comment_hide(comment=comment, moderator=moderator, reason="test")
    events = [
        {"seq": e.seq, "kind": e.kind, "data": e.data}
        for e in LiveEvent.objects.filter(kind__in=["comment.edited", "comment.hidden"])
    ]
    page.evaluate("events => events.forEach(e => window.SOVAZDiscussion.applyEvent(e))", events)
    assert "Hidden by a moderator" in page.inner_text(f"#comment-{comment.pk} > .comment-main")
    assert page.input_value(f"#comment-{comment.pk} .reply-box textarea") == "javobim"
    page.click(f"#comment-{comment.pk} .reply-box button[type=submit]")
    page.wait_for_selector(f"#comment-{comment.pk} > .replies .comment")
    assert comment.replies.get().body == "javobim"


def test_hostile_comments_run_nothing_in_the_page(page_for, open_draft, citizen, business):
    payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[x](javascript:alert(3))",
        '<a href="javascript:alert(4)">y</a>',
        "<svg onload=alert(5)>",
        "</li></ol><script>alert(6)</script>",
    ]
    for body in payloads:
        services.comment_create(draft=open_draft, author=business, body=body)
    page = page_for(citizen, open_draft)
    events = [{"seq": e.seq, "kind": e.kind, "data": e.data} for e in LiveEvent.objects.all()]
    page.evaluate("events => events.forEach(e => window.SOVAZDiscussion.applyEvent(e))", events)
    for link in page.locator("#comments .comment-body a").all():
        link.click()
    page.wait_for_timeout(300)  # give any injected handler the chance to run; none may
    assert page.dialogs == []
    assert page.locator("#comments script, #comments img, #comments svg").count() == 0


def test_reporting_says_in_words_that_the_report_was_received(page_for, comment, business):
    page = page_for(business, comment.draft)
    page.click(f"#comment-{comment.pk} [data-action=report] button")
    note = page.locator(f"#comment-{comment.pk} > .comment-controls .meta")
    note.wait_for()
    assert note.inner_text() == "Thank you; a moderator will review the comment."
    assert comment.reports.filter(reporter=business).exists()
