"""Journeys in a real Chromium against Daphne: live comments, going offline, hostile input."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import CORPORA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SSTI = CORPORA / "ssti" / "ssti.fuzz.txt"
HALF_TYPED = "Men taklif qilaman: 3-moddadagi o‘zgarish… (hali yozyapman)"
PWN = "window.__pwned=1"
HOSTILE = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f"<svg onload={PWN}>",
    f"[click me](javascript:{PWN})",
    f'<a href="javascript:{PWN}">link</a>',
    f"<iframe srcdoc='<script>parent.{PWN}</script>'></iframe>",
    f'"><script>{PWN}</script>',
    f"<scr<script>ipt>{PWN}</script>",
    f'<div style="background:url(javascript:{PWN})">x',
    f"<details open ontoggle={PWN}>",
    "<b><i>broken <u>markup",
    f"</textarea><script>{PWN}</script>",
    f"</li></ol><script>{PWN}</script>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    "Null\x00byte",
]


def hostile_inputs() -> list[str]:
    ssti = [line for line in SSTI.read_text().splitlines() if line.strip()][:25]
    return HOSTILE + ssti


def login_context(browser, base_url: str, user):
    """A browser context signed in as `user` (session made by the test, cookie handed over)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context


def open_discussion(context, draft, alarms: list[str]):
    page = context.new_page()
    page.on("dialog", lambda dialog: (alarms.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: alarms.append(f"pageerror: {error}"))
    page.goto(f"/discussions/drafts/{draft.pk}/")
    page.wait_for_function("() => window.SOVAZLive && window.SOVAZLive.state() === 'live'")
    return page


def comment_texts(page) -> list[str]:
    return page.locator("#comments .comment-body").all_inner_texts()


def test_discussion_page_includes_the_live_client(make_draft):
    draft = make_draft(discussion=True)
    html = Client().get(f"/discussions/drafts/{draft.pk}/").content.decode()
    assert "live/live.js" in html
    assert 'id="live-status"' in html


def test_two_readers_see_each_other_live_and_catch_up_after_going_offline(
    browser, make_draft, citizen, business, daphne_servers, cookie_for, post_comment, artifacts
):
    draft = make_draft(discussion=True)
    [url] = daphne_servers(1)
    alarms: list[str] = []
    writer_context = login_context(browser, url, citizen)
    reader_context = login_context(browser, url, business)
    writer = open_discussion(writer_context, draft, alarms)
    reader = open_discussion(reader_context, draft, alarms)
    box = reader.locator("#comment-compose textarea[name=body]")
    box.fill(HALF_TYPED)

    writer.fill("#comment-compose textarea[name=body]", "Birinchi fikr: muddat juda qisqa.")
    writer.click("#comment-compose button[type=submit]")
    reader.locator("#comments").get_by_text("Birinchi fikr: muddat juda qisqa.").wait_for()

    reader_context.set_offline(True)
    reader.evaluate("window.SOVAZLive.drop()")
    reader.wait_for_function("() => window.SOVAZLive.state() === 'offline'")
    cookie = cookie_for(citizen)
    for n in range(1, 21):
        assert post_comment(url, cookie, draft.pk, f"Offline comment {n:02d}") == 200
    reader_context.set_offline(False)
    reader.wait_for_function("() => window.SOVAZLive.lastSeq() === 21", timeout=15000)
    reader.wait_for_function("() => window.SOVAZLive.state() === 'live'")
    reader.screenshot(path=artifacts / "live-after-offline.png", full_page=True)

    offline = [t for t in comment_texts(reader) if t.startswith("Offline comment")]
    assert offline == [f"Offline comment {n:02d}" for n in range(1, 21)]
    assert box.input_value() == HALF_TYPED
    assert alarms == []
    writer_context.close()
    reader_context.close()


def test_hostile_comments_run_nothing_live_or_on_reload(
    browser, make_draft, citizen, business, daphne_servers, artifacts
):
    draft = make_draft(discussion=True)
    [url] = daphne_servers(1)
    alarms: list[str] = []
    writer_context = login_context(browser, url, citizen)
    reader_context = login_context(browser, url, business)
    writer = open_discussion(writer_context, draft, alarms)
    reader = open_discussion(reader_context, draft, alarms)
    inputs = hostile_inputs()
    accepted = 0
    for text in inputs:
        writer.fill("#comment-compose textarea[name=body]", text)
        with writer.expect_response(lambda r: "/comment/" in r.url) as response:
            writer.click("#comment-compose button[type=submit]")
        assert response.value.status in (200, 400), (text, response.value.status)
        accepted += response.value.status == 200
    assert accepted >= len(inputs) - 2  # a few may be refused with a clear 400
    # Each accepted comment is one event of this new draft's stream, so both pages end at that
    # number. (The writer's own count, read right after its last post, can still lag behind
    # the reader's on a busy machine: the last frame may not have reached it yet.)
    for page in (writer, reader):
        page.wait_for_function(f"() => window.SOVAZLive.lastSeq() === {accepted}", timeout=15000)
    reader.wait_for_timeout(300)  # let any injected handler that could fire, fire
    for page in (writer, reader):
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#comments a[href^='javascript:' i]").count() == 0
        assert page.locator("#comments script, #comments iframe, #comments [onerror]").count() == 0
    reader.screenshot(path=artifacts / "live-hostile.png", full_page=True)

    reader.reload()
    reader.wait_for_load_state("load")
    reader.wait_for_timeout(300)
    assert reader.evaluate("window.__pwned") is None
    assert "{{7*7}}" in reader.locator("#comments").inner_text()
    assert alarms == []
    writer_context.close()
    reader_context.close()
