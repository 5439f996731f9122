"""Refusals to a fetch caller are JSON with the reason in words, in the reader's language."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from discussions.models import Comment
from sovaz.accounts.services import user_block
from tests.conftest import client_for

JSON = {"HTTP_ACCEPT": "application/json"}


def test_blocked_user_posting_gets_the_reason_as_json(open_draft, citizen, moderator):
    client = client_for(citizen)
    user_block(user=citizen, moderator=moderator, reason="spam")
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]),
        {"anchor": "draft", "body": "typed"},
        **JSON,
    )
    assert response.status_code == 403
    assert response.json() == {
        "ok": False,
        "errors": ["A moderator has blocked your account from posting."],
    }
    assert not Comment.objects.exists()


def test_reply_after_the_discussion_closed_gets_the_reason_as_json(comment, business, monkeypatch):
    ends = comment.draft.discussion_ends_at
    monkeypatch.setattr(timezone, "now", lambda: ends + timedelta(minutes=1))
    response = client_for(business).post(
        reverse("discussions:reply", args=[comment.pk]), {"body": "typed"}, **JSON
    )
    assert response.status_code == 403
    assert response.json()["errors"] == [
        "The discussion of this draft is closed; your comment was not published."
    ]


def test_json_refusal_is_translated(open_draft, citizen, moderator):
    client = client_for(citizen)
    user_block(user=citizen, moderator=moderator, reason="spam")
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]),
        {"anchor": "draft", "body": "typed"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    message = response.json()["errors"][0]
    assert message != "A moderator has blocked your account from posting."
    assert any("а" <= ch <= "я" for ch in message.lower())


def test_form_post_refusal_is_still_the_403_page(open_draft, citizen, moderator):
    client = client_for(citizen)
    user_block(user=citizen, moderator=moderator, reason="spam")
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": "x"}
    )
    assert response.status_code == 403


def test_the_client_shows_errors_and_never_the_status_text():
    from tests.conftest import REPO

    source = (REPO / "static" / "discussions" / "discussion.js").read_text()
    assert "statusText" not in source
