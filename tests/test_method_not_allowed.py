"""Opening a form's address (a POST-only URL) in the browser gives a page that says what to do,
in the reader's language, instead of an empty 405."""

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import client_for

POST_ONLY = ["/drafts/1/status/", "/voting/2/close/", "/discussions/users/3/block/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", POST_ONLY)
def test_a_post_only_address_opened_in_the_browser_shows_a_page(path, citizen):
    response = client_for(citizen).get(path)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "405.html" in [t.name for t in response.templates]
    assert "This address cannot be opened directly" in response.text
    assert 'href="/"' in response.text  # a way on: the home page link


@pytest.mark.django_db
def test_the_page_is_there_for_a_visitor_who_is_not_signed_in():
    response = Client().get("/drafts/1/status/")
    assert response.status_code == 405
    assert "This address cannot be opened directly" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, text",
    [
        ("uz", "Bu manzilni to‘g‘ridan-to‘g‘ri ochib bo‘lmaydi"),
        ("ru", "Этот адрес нельзя открыть напрямую"),
    ],
)
def test_the_page_is_translated(language, text):
    with translation.override(language):
        response = Client(headers={"accept-language": language}).get(
            "/drafts/1/status/", HTTP_COOKIE=f"django_language={language}"
        )
    assert response.status_code == 405
    assert text in response.text


@pytest.mark.django_db
def test_a_405_that_already_says_something_is_left_alone():
    response = Client().post("/api/drafts", {})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
