# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""Posting, anchoring, replying, editing and deleting comments."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from discussions import services
from discussions.models import Comment
from drafts.textparse import find_node
from live.models import LiveEvent
from tests.conftest import SAMPLE_TEXT_V2, client_for

UZBEK = "O'zbekiston g'alla o‘rim g‘oyat oʻzbek gʻisht — Oʻzbekiston"
CYRILLIC = "Ўзбекистон ғалла қўшиқ ҳамма"
RUSSIAN = "Предлагаю уточнить срок вступления закона в силу: «шесть месяцев»."


@pytest.mark.parametrize("body", [UZBEK, CYRILLIC, RUSSIAN, "  leading and trailing  \n\n"])
def test_text_in_any_script_is_stored_exactly(open_draft, citizen, body):
    comment = services.comment_create(draft=open_draft, author=citizen, body=body)
    comment.refresh_from_db()
    assert comment.body == body


def test_uzbek_text_round_trips_through_the_form(open_draft, citizen):
    client = client_for(citizen)
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": UZBEK}
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == UZBEK


def test_exactly_5000_characters_are_accepted(open_draft, citizen):
    comment = services.comment_create(draft=open_draft, author=citizen, body="ж" * 5000)
    assert len(comment.body) == 5000


def test_5001_characters_get_a_clear_error(open_draft, citizen):
    with pytest.raises(ValidationError) as exc:
        services.comment_create(draft=open_draft, author=citizen, body="ж" * 5001)
    assert exc.value.messages == ["Comments are limited to 5,000 characters; yours has 5,001."]
    assert not Comment.objects.exists()


def test_5001_characters_through_the_form_re_show_it_with_the_message(open_draft, citizen):
    response = client_for(citizen).post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": "a" * 5001}
    )
    assert response.status_code == 400
    assert "Comments are limited to 5,000 characters; yours has 5,001." in response.text


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ud800"])
def test_control_characters_are_refused(open_draft, citizen, char):
    with pytest.raises(ValidationError) as exc:
        services.comment_create(draft=open_draft, author=citizen, body=f"a{char}b")
    assert exc.value.code in ("control_character",)


def test_crlf_line_endings_are_stored_as_typed_newlines(open_draft, citizen):
    comment = services.comment_create(draft=open_draft, author=citizen, body="a\r\nb")
    assert comment.body == "a\nb"


def test_comment_on_an_article_is_anchored_by_wid(open_draft, citizen, latest):
    comment = services.comment_create(
        draft=open_draft, author=citizen, body="x", anchor_kind="provision", anchor_wid="art_1"
    )
    assert (comment.anchor_wid, comment.version) == ("art_1", latest)


def test_comment_on_an_unknown_wid_is_refused(open_draft, citizen):
    with pytest.raises(ValidationError) as exc:
        services.comment_create(
            draft=open_draft, author=citizen, body="x", anchor_kind="provision", anchor_wid="nope"
        )
    assert exc.value.code == "bad_anchor"


def test_comment_on_the_assessment_keeps_the_obligation_key(open_draft, business):
    comment = services.comment_create(
        draft=open_draft,
        author=business,
        body="x",
        anchor_kind="assessment",
        anchor_key="obligation-3",
    )
    assert (comment.anchor_kind, comment.anchor_key) == ("assessment", "obligation-3")


def test_replies_nest_three_deep_and_no_deeper(comment, business, citizen):
    reply = services.comment_create(draft=comment.draft, author=business, body="r1", parent=comment)
    reply2 = services.comment_create(draft=comment.draft, author=citizen, body="r2", parent=reply)
    assert (reply.depth, reply2.depth) == (2, 3)
    assert reply2.anchor_wid == comment.anchor_wid and reply2.version_id == comment.version_id
    with pytest.raises(ValidationError) as exc:
        services.comment_create(draft=comment.draft, author=business, body="r3", parent=reply2)
    assert exc.value.code == "too_deep"


def test_comments_are_refused_before_and_after_the_discussion_period(open_draft, citizen):
    later = open_draft.discussion_ends_at + timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        services.comment_create(draft=open_draft, author=citizen, body="x", now=later)
    at_close = open_draft.discussion_ends_at
    with pytest.raises(PermissionDenied):
        services.comment_create(draft=open_draft, author=citizen, body="x", now=at_close)


def test_a_draft_still_being_drafted_takes_no_comments(make_draft, citizen):
    draft = make_draft()
    with pytest.raises(PermissionDenied):
        services.comment_create(draft=draft, author=citizen, body="x")


def test_author_edits_within_15_minutes_and_it_shows_as_edited(comment, citizen):
    at = comment.created_at + timedelta(minutes=15)
    edited = services.comment_edit(comment=comment, author=citizen, body="*Yangi*", now=at)
    assert edited.is_edited and edited.edited_at == at
    assert edited.body_html == "<p><em>Yangi</em></p>"
    assert edited.revision == 2


def test_author_cannot_edit_after_15_minutes(comment, citizen):
    at = comment.created_at + timedelta(minutes=15, seconds=1)
    with pytest.raises(ValidationError) as refused:
        services.comment_edit(comment=comment, author=citizen, body="late", now=at)
    assert refused.value.code == "edit_window_closed"
    comment.refresh_from_db()
    assert comment.body == "Yaxshi loyiha."


def test_edit_window_follows_the_server_clock(comment, citizen, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: comment.created_at + timedelta(minutes=16))
    response = client_for(citizen).post(
        reverse("discussions:edit", args=[comment.pk]), {"body": "late"}
    )
    # Refused by the server's clock, with the typed text kept (tests/discussions/test_edit_window.py).
    assert response.status_code == 400 and "late" in response.text


def test_deleting_leaves_a_tombstone_and_keeps_replies(comment, citizen, business):
    reply = services.comment_create(
        draft=comment.draft, author=business, body="Javob", parent=comment
    )
    services.comment_delete(comment=comment, author=citizen)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    response = client_for(None).get(reverse("discussions:draft", args=[comment.draft_id]))
    assert "This comment was deleted by its author." in response.text
    assert "Javob" in response.text
    assert f'id="comment-{reply.pk}"' in response.text


def test_only_the_author_deletes(comment, business):
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, author=business)


def test_a_comment_on_an_older_version_says_its_article_changed(make_draft, citizen, agency_editor):
    from drafts import services as draft_services

    draft = make_draft(discussion=True)
    changed = services.comment_create(
        draft=draft, author=citizen, body="x", anchor_kind="provision", anchor_wid="art_3"
    )
    same = services.comment_create(
        draft=draft, author=citizen, body="y", anchor_kind="provision", anchor_wid="art_1"
    )
    draft_services.version_publish(
        draft=draft, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="Revised"
    )
    response = client_for(None).get(reverse("discussions:draft", args=[draft.pk]))
    html = response.text
    diff = reverse("drafts:diff", args=[draft.pk])
    eid = find_node(draft.versions.get(number=2).structure, "art_3")["eId"]
    assert f'href="{diff}?from=1&amp;to=2#d-{eid}"' in html
    start = html.index(f'id="comment-{same.pk}"')
    assert "article changed since" not in html[start : html.index("</li>", start)]
    assert changed.version.number == 1


def test_a_comment_on_a_removed_article_is_marked_not_lost(make_draft, citizen, agency_editor):
    from drafts import services as draft_services
    from tests.conftest import SAMPLE_TEXT

    draft = make_draft(discussion=True)
    comment = services.comment_create(
        draft=draft,
        author=citizen,
        body="Ikkinchi modda haqida",
        anchor_kind="provision",
        anchor_wid="art_2",
    )
    shorter = SAMPLE_TEXT.split("2-modda.")[0] + "3-modda." + SAMPLE_TEXT.split("3-modda.")[1]
    draft_services.version_publish(
        draft=draft, author=agency_editor, text=shorter, change_reason="Removed article 2"
    )
    response = client_for(None).get(reverse("discussions:draft", args=[draft.pk]))
    assert "article removed in version 2" in response.text
    assert "Ikkinchi modda haqida" in response.text
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_every_write_publishes_a_live_event_with_the_fragment_and_counts(
    comment, citizen, business, moderator, agency_editor, django_capture_on_commit_callbacks
):
    reply = services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    services.comment_edit(comment=comment, author=citizen, body="edited")
    services.comment_hide(comment=reply, moderator=moderator, reason="spam")
    services.comment_unhide(comment=reply, moderator=moderator, reason="ok after all")
    services.disposition_set(
        comment=comment, actor=agency_editor, outcome="noted", reasoning="Rahmat"
    )
    services.comment_delete(comment=reply, author=business)
    kinds = list(LiveEvent.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds == [
        "comment.created",
        "comment.created",
        "comment.edited",
        "comment.hidden",
        "comment.unhidden",
        "disposition.set",
        "comment.deleted",
    ]
    event = LiveEvent.objects.get(kind="disposition.set")
    assert event.data["comment_id"] == comment.pk
    assert event.data["counts"] == {"comments": 2, "unanswered": 0}
    assert set(event.data["html"]) == {"uz", "ru", "en"}
    assert f'id="comment-{comment.pk}"' in event.data["html"]["en"]
    assert "Rahmat" in event.data["html"]["en"]
    assert set(event.data) >= {"parent_id", "author_id", "anchor", "revision", "depth"}
    assert event.data["disposition"] == {"outcome": "noted", "changed_in_version": None}


def test_hidden_text_never_leaves_in_a_public_event(comment, moderator):
    services.comment_edit(comment=comment, author=comment.author, body="SECRET-TEXT")
    services.comment_hide(comment=comment, moderator=moderator, reason="abuse")
    event = LiveEvent.objects.get(kind="comment.hidden")
    assert "SECRET-TEXT" not in str(event.data)
    assert "Hidden by a moderator on" in event.data["html"]["en"]


def test_event_fragment_has_no_per_user_controls(comment):
    html = LiveEvent.objects.get(kind="comment.created").data["html"]["en"]
    assert "data-action" not in html and "csrfmiddlewaretoken" not in html


def test_a_removed_article_s_comment_links_to_it_in_the_version_it_was_written_on(
    make_draft, citizen, agency_editor
):
    """Article 2 is removed and article 3 becomes "2-modda": the comment's link must not
    point at `#art_2` of the latest version, which is now another article."""
    from drafts import services as draft_services
    from tests.conftest import SAMPLE_TEXT

    draft = make_draft(discussion=True)
    comment = services.comment_create(
        draft=draft, author=citizen, body="x", anchor_kind="provision", anchor_wid="art_2"
    )
    renumbered = SAMPLE_TEXT.split("2-modda.")[0] + "2-modda." + SAMPLE_TEXT.split("3-modda.")[1]
    draft_services.version_publish(
        draft=draft, author=agency_editor, text=renumbered, change_reason="Article 2 removed"
    )
    latest = draft.versions.get(number=2).structure
    assert find_node(latest, "art_2") is None  # removed, not matched to the moved article
    html = client_for(None).get(reverse("discussions:draft", args=[draft.pk])).text
    start = html.index(f'id="comment-{comment.pk}"')
    fragment = html[start : html.index("</header>", start)]
    old_eid = find_node(draft.versions.get(number=1).structure, "art_2")["eId"]
    v1 = reverse("drafts:version", args=[draft.pk, 1])
    assert f'href="{v1}#{old_eid}"' in fragment
    assert "article removed in version 2" in fragment


def test_a_live_article_comment_names_its_article_in_each_viewer_s_language(
    open_draft, citizen, django_capture_on_commit_callbacks
):
    """The event carries a fragment per language; each names the article in that language,
    whatever the language of the person who posted it."""
    from django.utils import translation

    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            draft=open_draft,
            author=citizen,
            body="x",
            anchor_kind="provision",
            anchor_wid="art_1",
        )
    html = LiveEvent.objects.get(data__comment_id=comment.pk).data["html"]
    assert "Статья 1" in html["ru"]
    assert "Article 1" in html["en"] and "Статья" not in html["en"]
    assert "Статья" not in html["uz"] and "Article 1" not in html["uz"]


def test_one_anchor_s_label_is_the_one_every_anchor_gets(make_draft):
    """A live fragment labels its article with `anchor_label` (one node, in each language),
    which must say what `anchor_labels` (the whole act) says."""
    from discussions.selectors import anchor_label, anchor_labels

    structure = make_draft().versions.get().structure
    labels = anchor_labels(structure)
    assert len(labels) >= 4  # three articles and paragraphs of the sample
    for wid, label in labels.items():
        assert anchor_label(structure, wid) == label
    assert anchor_label(structure, "art_99") == "art_99"
