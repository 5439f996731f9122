"""The stand-in e-parliament's page: in the reader's language, with counts and outcome labelled."""

import urllib.request

import pytest
from django.conf import settings
from django.utils import timezone

from eparliament import services
from eparliament.fake_receiver import serve_in_thread
from eparliament.management.commands.fake_eparliament import _page


@pytest.fixture
def page_of_a_closed_round(golden_round, make_endpoint, secret):
    """Fetch the receiver's page after the golden round (1 approval with remarks, 1 objection,
    rejected) was delivered to it; `headers` and `query` are those of the GET."""
    server = serve_in_thread(secret=secret, page=_page)
    make_endpoint(server.url, secret)
    services.export_round_closed(round=golden_round)
    assert services.deliveries_run(now=timezone.now()).delivered == 1

    def fetch(query: str = "", **headers: str) -> str:
        request = urllib.request.Request(server.url + query, headers=headers)
        return urllib.request.urlopen(request, timeout=5).read().decode()

    yield fetch
    server.shutdown()
    server.server_close()


def test_counts_and_outcome_have_labels_not_keys(page_of_a_closed_round):
    html = page_of_a_closed_round("?lang=en")
    assert '<html lang="en">' in html and "Stand-in e-parliament" in html
    assert "approvals with remarks: 1" in html and "objections: 1" in html
    assert "<td>Rejected</td>" in html
    assert "approve_remarks:" not in html and "object:" not in html


@pytest.mark.parametrize(
    ("language", "heading", "objections"),
    [("uz", "O‘rinbosar elektron parlament", "e’tirozlar: 1"),
     ("ru", "Заглушка электронного парламента", "возражения: 1"),
     ("en", "Stand-in e-parliament", "objections: 1")],
)  # fmt: skip
def test_the_page_follows_the_browsers_language(
    page_of_a_closed_round, language, heading, objections
):
    html = page_of_a_closed_round(**{"Accept-Language": f"{language},en;q=0.5"})
    assert f'<html lang="{language}">' in html
    assert heading in html and objections in html


def test_lang_in_the_address_wins_over_the_browser_and_the_site_cookie(page_of_a_closed_round):
    cookie = f"{settings.LANGUAGE_COOKIE_NAME}=uz"
    html = page_of_a_closed_round("?lang=ru", **{"Accept-Language": "en", "Cookie": cookie})
    assert '<html lang="ru">' in html and "возражения: 1" in html


def test_the_sites_language_cookie_is_followed_on_the_other_port(page_of_a_closed_round):
    cookie = f"{settings.LANGUAGE_COOKIE_NAME}=ru"
    html = page_of_a_closed_round(**{"Accept-Language": "en", "Cookie": cookie})
    assert '<html lang="ru">' in html


def test_an_unknown_lang_falls_back_to_the_browsers_language(page_of_a_closed_round):
    html = page_of_a_closed_round("?lang=xx", **{"Accept-Language": "ru"})
    assert '<html lang="ru">' in html
