"""Deleted and hidden comments offer no "Reply" control (a box opened before still sends)."""

import pytest
from django.urls import reverse

from discussions import permissions, services
from tests.conftest import client_for


def _reply_link(comment):
    return f'href="{reverse("discussions:reply", args=[comment.pk])}"'


def test_a_visible_comment_offers_reply(comment, business):
    assert permissions.offers_reply(business, comment)
    page = client_for(business).get(comment.draft.get_absolute_url()).text
    assert _reply_link(comment) in page


def test_a_deleted_comment_offers_no_reply(comment, citizen, business):
    services.comment_delete(comment=comment, author=citizen)
    comment.refresh_from_db()
    assert not permissions.offers_reply(business, comment)
    page = client_for(business).get(comment.draft.get_absolute_url()).text
    assert _reply_link(comment) not in page


@pytest.mark.parametrize("hide", ["moderator", "reports"])
def test_a_hidden_comment_offers_no_reply(comment, business, moderator, hide, django_user_model):
    if hide == "moderator":
        services.comment_hide(comment=comment, moderator=moderator, reason="spam")
    else:
        for i in range(3):
            reporter = django_user_model.objects.create_user(email=f"r{i}@x.uz", password="x")
            services.comment_report(comment=comment, reporter=reporter)
    comment.refresh_from_db()
    assert not permissions.offers_reply(business, comment)
    page = client_for(business).get(comment.draft.get_absolute_url()).text
    assert _reply_link(comment) not in page


def test_live_clients_drop_reply_for_comments_that_are_not_public():
    from tests.conftest import REPO

    source = (REPO / "static" / "discussions" / "discussion.js").read_text()
    assert 'reply: depth < MAX_DEPTH && li.getAttribute("data-public") !== "0"' in source
    assert ":scope > .comment-controls > [data-action=reply]" in source
