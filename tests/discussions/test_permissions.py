"""Who may do what: one parametrized cell per persona and action, then the view branches."""

import pytest
from django.urls import reverse

from discussions import permissions
from discussions.models import Comment
from tests.conftest import client_for, make_user

PERSONAS = [
    "citizen",  # the comment's author
    "business",
    "agency_editor",
    "agency_voter",
    "other_editor",
    "other_voter",
    "moderator",
    "secretariat",
    "legislator",
    "blocked",
    "outsider",
]

SIGNED_IN_POSTERS = set(PERSONAS) - {"blocked", "outsider"}

ALLOWED = {
    "post": SIGNED_IN_POSTERS,
    "reply": SIGNED_IN_POSTERS,
    "edit": {"citizen"},
    "delete": {"citizen"},
    "report": set(PERSONAS) - {"citizen", "outsider"},
    "hide": {"moderator"},
    "dispose": {"agency_editor"},
    "block": {"moderator"},
}


@pytest.fixture
def blocked(db):
    return make_user("blocked@example.uz", is_blocked=True)


def _allowed(action: str, user, comment: Comment) -> bool:
    return {
        "post": lambda: permissions.can_comment(user, comment.draft),
        "reply": lambda: permissions.can_reply(user, comment),
        "edit": lambda: permissions.can_edit_comment(user, comment),
        "delete": lambda: permissions.can_delete_comment(user, comment),
        "report": lambda: permissions.can_report_comment(user, comment),
        "hide": lambda: permissions.can_moderate(user),
        "dispose": lambda: permissions.can_dispose(user, comment),
        "block": lambda: permissions.can_moderate(user),
    }[action]()


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_action_matrix(request, comment, persona, action):
    user = request.getfixturevalue(persona)
    assert _allowed(action, user, comment) is (persona in ALLOWED[action])


def test_nobody_posts_once_the_discussion_closed(comment, citizen):
    later = comment.draft.discussion_ends_at
    assert not permissions.can_comment(citizen, comment.draft, later)
    assert not permissions.can_edit_comment(citizen, comment, comment.created_at.replace(year=2099))


def test_replies_stop_at_depth_three(comment, citizen):
    comment.depth = 3
    assert not permissions.can_reply(citizen, comment)


def test_replies_are_not_answered_by_the_agency(comment, agency_editor, business):
    from discussions import services

    reply = services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    assert not permissions.can_dispose(agency_editor, reply)


def test_comments_on_a_draft_in_drafting_are_404_to_outsiders(make_draft, agency_editor):
    draft = make_draft()
    assert client_for(None).get(reverse("discussions:draft", args=[draft.pk])).status_code == 404
    assert (
        client_for(agency_editor).get(reverse("discussions:draft", args=[draft.pk])).status_code
        == 200
    )


def test_anyone_reads_a_public_discussion(comment):
    response = client_for(None).get(reverse("discussions:draft", args=[comment.draft_id]))
    assert response.status_code == 200
    assert "Yaxshi loyiha." in response.text
    assert "Sign in to comment." in response.text
    assert 'id="comment-compose"' not in response.text


def test_anonymous_post_is_refused(open_draft):
    response = client_for(None).post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": "x"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_blocked_user_post_is_refused(open_draft, blocked):
    response = client_for(blocked).post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url_name", "method"),
    [("edit", "get"), ("delete", "post"), ("moderate", "get"), ("dispose", "get")],
)
def test_forbidden_actions_through_views_are_403(comment, business, url_name, method):
    response = getattr(client_for(business), method)(
        reverse(f"discussions:{url_name}", args=[comment.pk])
    )
    assert response.status_code == 403


def test_moderation_queue_is_for_moderators_only(citizen, moderator):
    assert client_for(citizen).get(reverse("discussions:moderation")).status_code == 403
    assert client_for(moderator).get(reverse("discussions:moderation")).status_code == 200
    assert client_for(None).get(reverse("discussions:moderation")).status_code == 302


def test_comment_pages_on_a_hidden_draft_are_404(make_draft, citizen, agency_editor):
    from discussions.models import Comment as C

    draft = make_draft()
    version = draft.versions.get()
    comment = C.objects.create(
        draft=draft,
        version=version,
        author=agency_editor,
        body="x",
        body_html="x",
        created_at=draft.created_at,
    )
    assert (
        client_for(citizen).get(reverse("discussions:reply", args=[comment.pk])).status_code == 404
    )
