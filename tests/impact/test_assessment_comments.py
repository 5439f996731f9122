"""Citizens comment on the assessment and on each obligation, through the discussion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from impact import services
from tests.conftest import client_for


@pytest.fixture
def open_draft(make_draft, agency_editor, answers, obligation):
    from drafts.services import draft_open_discussion

    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    now = timezone.now()
    return draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now,
        ends_at=now + timedelta(days=20),
    )  # fmt: skip


def test_the_compose_form_anchors_a_comment_to_an_obligation(open_draft, business):
    from discussions.models import Comment

    client = client_for(business)
    page = client.get(f"/impact/{open_draft.pk}/?key=obl-1").content.decode()
    assert 'action="/discussions/drafts/' in page
    assert '<option value="obl-1" selected>' in page
    response = client.post(
        f"/discussions/drafts/{open_draft.pk}/comment/",
        {"anchor": "assessment", "anchor_key": "obl-1", "version": "1",
         "body": "The tariff is <b>too</b> low"},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    comment = Comment.objects.get(draft=open_draft)
    assert (comment.anchor_kind, comment.anchor_key) == ("assessment", "obl-1")
    page = client.get(f"/impact/{open_draft.pk}/").content.decode()
    assert "The tariff is" in page and "<b>too</b>" not in page
    assert f'href="/impact/{open_draft.pk}/calculator/#obl-1"' in page


def test_comments_on_the_whole_assessment_have_no_key(open_draft, citizen):
    from discussions.services import comment_create

    comment_create(draft=open_draft, author=citizen, body="Where is the consultation?",
                   anchor_kind="assessment")  # fmt: skip
    comment_create(draft=open_draft, author=citizen, body="About the text itself")
    page = client_for(citizen).get(f"/impact/{open_draft.pk}/").content.decode()
    assert "Where is the consultation?" in page
    assert "About the text itself" not in page


def test_no_compose_form_before_the_discussion_opens(make_draft, agency_editor, answers):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    page = client_for(agency_editor).get(f"/impact/{draft.pk}/").content.decode()
    assert "/comment/" not in page
    assert "Comments are open while the draft is in public discussion" in page
