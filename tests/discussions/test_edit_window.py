"""Editing after the 15-minute window: the typed text comes back with the reason, never a 403."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from discussions import services
from discussions.models import Comment
from tests.conftest import client_for

JSON = {"HTTP_ACCEPT": "application/json"}


def _late(monkeypatch, comment, minutes=16):
    monkeypatch.setattr(timezone, "now", lambda: comment.created_at + timedelta(minutes=minutes))


def test_edit_form_says_until_when_the_comment_can_be_edited(comment, citizen):
    response = client_for(citizen).get(reverse("discussions:edit", args=[comment.pk]))
    deadline = timezone.localtime(comment.created_at + timedelta(minutes=15))
    assert response.status_code == 200
    assert "You can change this comment until " in response.text
    assert f"{deadline:%H:%M}; it will be marked as edited" in response.text


def test_late_edit_shows_the_form_again_with_the_typed_text_and_the_reason(
    comment, citizen, monkeypatch
):
    _late(monkeypatch, comment)
    response = client_for(citizen).post(
        reverse("discussions:edit", args=[comment.pk]), {"body": "My careful late rewrite"}
    )
    assert response.status_code == 400
    assert "My careful late rewrite" in response.text
    assert "The time for editing this comment ended at" in response.text
    assert "publish it as a reply" in response.text
    # The text can go on as a reply to the comment, from the same form.
    assert f'formaction="{reverse("discussions:reply", args=[comment.pk])}"' in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Yaxshi loyiha."


def test_late_edit_by_fetch_gets_the_reason_as_json(comment, citizen, monkeypatch):
    _late(monkeypatch, comment)
    response = client_for(citizen).post(
        reverse("discussions:edit", args=[comment.pk]), {"body": "late"}, **JSON
    )
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert data["errors"][0].startswith("The time for editing this comment ended at")


def test_someone_else_still_cannot_edit(comment, business):
    response = client_for(business).post(
        reverse("discussions:edit", args=[comment.pk]), {"body": "hijack"}
    )
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Yaxshi loyiha."


def test_late_text_published_as_a_reply_from_the_edit_form(comment, citizen, monkeypatch):
    _late(monkeypatch, comment)
    response = client_for(citizen).post(
        reverse("discussions:reply", args=[comment.pk]), {"body": "My careful late rewrite"}
    )
    assert response.status_code == 302
    assert comment.replies.get().body == "My careful late rewrite"


def test_a_comment_hidden_for_review_cannot_be_rewritten_by_its_author(comment, citizen, moderator):
    hidden = services.comment_hide(comment=comment, moderator=moderator, reason="Insults")
    response = client_for(citizen).post(
        reverse("discussions:edit", args=[comment.pk]), {"body": "Something harmless now"}
    )
    assert response.status_code == 400
    assert "hidden for review, so it can no longer be changed" in response.text
    assert "Something harmless now" in response.text  # the typed text is kept on the form
    comment.refresh_from_db()
    assert (comment.body, comment.revision) == (hidden.body, hidden.revision)
