# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""The panel and the posting views: without JavaScript (POST + redirect) and with fetch (JSON)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from discussions import services
from discussions.models import Comment
from live.selectors import last_seq
from tests.conftest import client_for, make_user

JSON = {"HTTP_ACCEPT": "application/json"}


def _create_url(draft):
    return reverse("discussions:create", args=[draft.pk])


def test_form_post_redirects_to_the_comment_on_the_draft_page(open_draft, citizen):
    response = client_for(citizen).post(
        _create_url(open_draft), {"anchor": "wid:art_1", "body": "x"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{open_draft.get_absolute_url()}#comment-{comment.pk}"
    assert comment.anchor_wid == "art_1"


def test_fetch_post_gets_json_with_the_fragment(open_draft, citizen):
    response = client_for(citizen).post(
        _create_url(open_draft), {"anchor": "draft", "body": "**x**"}, **JSON
    )
    data = response.json()
    comment = Comment.objects.get()
    assert data["ok"] and data["comment_id"] == comment.pk and data["revision"] == 1
    assert "<strong>x</strong>" in data["html"]["en"]


def test_fetch_post_errors_come_back_as_json(open_draft, citizen):
    response = client_for(citizen).post(
        _create_url(open_draft), {"anchor": "draft", "body": "a" * 5001}, **JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Comments are limited to 5,000 characters; yours has 5,001."
    ]


def test_reply_page_works_without_javascript(comment, business):
    client = client_for(business)
    url = reverse("discussions:reply", args=[comment.pk])
    assert "Yaxshi loyiha." in client.get(url).text
    response = client.post(url, {"body": "Qo‘shilaman"})
    assert response.status_code == 302
    assert comment.replies.get().body == "Qo‘shilaman"


def test_edit_page_changes_the_text(comment, citizen):
    client = client_for(citizen)
    url = reverse("discussions:edit", args=[comment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "Yangilandi"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Yangilandi" and comment.is_edited


def test_delete_and_report_by_fetch(comment, citizen, business):
    report = client_for(business).post(
        reverse("discussions:report", args=[comment.pk]), {"reason": "spam"}, **JSON
    )
    assert report.json()["ok"]
    again = client_for(business).post(reverse("discussions:report", args=[comment.pk]), **JSON)
    assert again.status_code == 400 and "already reported" in again.json()["errors"][0]
    deleted = client_for(citizen).post(reverse("discussions:delete", args=[comment.pk]), **JSON)
    assert deleted.json()["ok"] and "deleted by its author" in deleted.json()["html"]["en"]


def test_panel_marks_the_list_for_the_live_client(comment, citizen):
    page = client_for(citizen).get(reverse("discussions:draft", args=[comment.draft_id])).text
    assert (
        f'id="comments" class="comment-list" data-draft-id="{comment.draft_id}" '
        f'data-last-seq="{last_seq(comment.draft)}"'
    ) in page
    assert f'data-author-id="{citizen.pk}"' in page and 'data-parent-id=""' in page
    assert 'id="comment-controls-template"' in page and "discussion.js" in page


@pytest.mark.parametrize(
    ("language", "thanks"),
    [("uz", "Rahmat; moderator fikrni ko‘rib chiqadi."),
     ("ru", "Спасибо; модератор проверит комментарий."),
     ("en", "Thank you; a moderator will review the comment.")],
)  # fmt: skip
def test_panel_carries_the_thanks_shown_after_a_report_in_the_readers_language(
    comment, business, language, thanks
):
    client = client_for(business)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        page = client.get(reverse("discussions:draft", args=[comment.draft_id])).text
    assert f'data-reported-message="{thanks}"' in page


def test_panel_preselects_the_article_from_the_query(open_draft, citizen):
    url = reverse("discussions:draft", args=[open_draft.pk]) + "?wid=art_2"
    assert '<option value="wid:art_2" selected>' in client_for(citizen).get(url).text


@pytest.fixture
def limited(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": "2/60", "report": "1/60"}
    cache.clear()
    yield
    cache.clear()


def test_posting_is_rate_limited_with_a_clear_message_and_retry_after(open_draft, citizen, limited):
    client = client_for(citizen)
    for _ in range(2):
        assert (
            client.post(_create_url(open_draft), {"anchor": "draft", "body": "x"}).status_code
            == 302
        )
    response = client.post(_create_url(open_draft), {"anchor": "draft", "body": "x"})
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert "Too many attempts. Please try again in 45 seconds." in response.text
    assert Comment.objects.count() == 2


def test_rate_limit_for_fetch_is_json_with_retry_after(open_draft, citizen, limited):
    client = client_for(citizen)
    for _ in range(2):
        client.post(_create_url(open_draft), {"anchor": "draft", "body": "x"}, **JSON)
    response = client.post(_create_url(open_draft), {"anchor": "draft", "body": "x"}, **JSON)
    assert response.status_code == 429 and response["Retry-After"] == "45"
    assert "Too many attempts" in response.json()["errors"][0]


def test_reporting_is_rate_limited(open_draft, make_comment, citizen, business, limited):
    first, second = make_comment(citizen, "a"), make_comment(citizen, "b")
    client = client_for(business)
    assert client.post(reverse("discussions:report", args=[first.pk])).status_code == 302
    response = client.post(reverse("discussions:report", args=[second.pk]))
    assert response.status_code == 429 and response["Retry-After"]


def test_panel_queries_stay_bounded_with_200_comments(
    open_draft, latest, citizen, business, agency_editor, django_assert_max_num_queries
):
    authors = [citizen, business] + [make_user(f"p{i}@example.uz") for i in range(8)]
    tops = []
    for i in range(120):
        tops.append(
            services.comment_create(
                draft=open_draft,
                author=authors[i % 10],
                body=f"Fikr {i}",
                anchor_kind="provision" if i % 2 else "draft",
                anchor_wid="art_1" if i % 2 else "",
                version=open_draft.versions.get(number=1) if i % 3 == 0 else latest,
            )
        )
    for i in range(80):
        services.comment_create(
            draft=open_draft, author=authors[(i + 1) % 10], body=f"Javob {i}", parent=tops[i]
        )
    for top in tops[:30]:
        services.disposition_set(comment=top, actor=agency_editor, outcome="noted", reasoning="ok")
    client = client_for(citizen)
    url = reverse("discussions:draft", args=[open_draft.pk])
    with django_assert_max_num_queries(15) as queries:
        response = client.get(url)
    print(f"panel with 200 comments: {len(queries)} queries")
    assert response.text.count('class="comment depth-') == 200
    with django_assert_max_num_queries(15):
        client_for(None).get(url)
    with django_assert_max_num_queries(12):
        client_for(None).get(reverse("discussions:dispositions", args=[open_draft.pk]))


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("ru", "Общественное обсуждение"), ("uz", "Jamoatchilik muhokamasi")],
)
def test_panel_speaks_uzbek_and_russian(comment, settings, language, phrase):
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert phrase in client.get(reverse("discussions:draft", args=[comment.draft_id])).text


def test_event_fragments_are_rendered_in_every_language(comment):
    from live.models import LiveEvent

    html = LiveEvent.objects.get(kind="comment.created").data["html"]
    assert "к проекту целиком" in html["ru"] and "butun loyiha haqida" in html["uz"]


def test_the_draft_page_and_an_older_version_page_carry_the_panel(comment, citizen):
    client = client_for(citizen)
    page = client.get(comment.draft.get_absolute_url())
    assert page.status_code == 200 and f'id="comment-{comment.pk}"' in page.text
    old = client.get(reverse("drafts:version", args=[comment.draft_id, 1]))
    assert old.status_code == 200 and 'data-latest-version="2"' in old.text
    assert 'name="version" value="1"' in old.text  # a comment there is on the version read
