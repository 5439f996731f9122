"""After a form post the reader goes back to the page the comment came from, if it is ours."""

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from discussions.models import Comment
from tests.conftest import CORPORA, client_for

PAYLOADS = sorted(
    {
        line.strip()
        for name in (
            "Open-Redirect-payloads.txt",
            "open_redirect_wordlist.txt",
            "openredirects.txt",
        )
        for line in (CORPORA / "open-redirect" / name).read_text(errors="replace").splitlines()
        if line.strip()
    }
)


def _post(client, draft, **extra):
    return client.post(
        reverse("discussions:create", args=[draft.pk]),
        {"anchor": "assessment", "anchor_key": "", "body": "RIA fikr"},
        **extra,
    )


def test_a_comment_from_the_assessment_page_returns_there(open_draft, citizen):
    ria = reverse("impact:detail", args=[open_draft.pk])
    response = _post(client_for(citizen), open_draft, HTTP_REFERER=f"http://testserver{ria}")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{ria}#comment-{comment.pk}"


def test_a_posted_next_is_followed(open_draft, citizen):
    client = client_for(citizen)
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]),
        {"anchor": "draft", "body": "x", "next": "/drafts/?q=a"},
    )
    assert response["Location"].startswith("/drafts/?q=a#comment-")


def test_without_a_referer_it_goes_to_the_draft_page(open_draft, citizen):
    response = _post(client_for(citizen), open_draft)
    comment = Comment.objects.get()
    assert response["Location"] == comment.get_absolute_url()


def test_the_referer_is_kept_when_the_form_comes_back_with_errors(open_draft, citizen):
    response = client_for(citizen).post(
        reverse("discussions:create", args=[open_draft.pk]),
        {"anchor": "draft", "body": ""},
        HTTP_REFERER="http://testserver/drafts/",
    )
    assert response.status_code == 400
    assert '<input type="hidden" name="next" value="/drafts/">' in response.text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_open_redirect_corpus_never_leaves_the_site(open_draft, citizen, payload):
    client = client_for(citizen)
    for extra in ({"HTTP_REFERER": payload}, {}):
        data = {"anchor": "draft", "body": "x"}
        if not extra:
            data["next"] = payload
        response = client.post(reverse("discussions:create", args=[open_draft.pk]), data, **extra)
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
        assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})
