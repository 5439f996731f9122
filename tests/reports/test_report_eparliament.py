"""The report's E-parliament section: what was sent, how each delivery went, and the documents
to download; the dashboard counts the drafts sent (a real fake e-parliament over HTTP)."""

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.utils import translation

from drafts.models import Draft
from eparliament import akn, services, signing
from eparliament.fake_receiver import serve_in_thread
from eparliament.models import Delivery, Endpoint, Export
from tests.conftest import client_for

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "eparliament/schemas/bundle-v1.json").read_text()
)
# Later than the deliveries the tests queue (at the real time), so all are due; 08:04 in Tashkent.
AT = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
ONE_TRY = services.Backoff(max_attempts=1)
ACKNOWLEDGED = "acknowledged 2 January 2030, 08:04"


@pytest.fixture
def secret() -> str:
    return signing.secret_generate()


@pytest.fixture
def receiver(secret):
    """Start a fake e-parliament on 127.0.0.1 that the story's result is queued to."""
    started = []

    def start(*, responder=None, name: str = "Oliy Majlis (test)") -> Endpoint:
        server = serve_in_thread(secret=secret, responder=responder)
        started.append(server)
        endpoint = services.endpoint_create(
            actor=None, name=name, url=server.url, secret=secret, allow_private=True
        )
        services.export_queue_for(endpoint=endpoint)
        return endpoint

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def _section(html: str) -> str:
    match = re.search(r'<section id="eparliament".*?</section>', html, re.S)
    assert match, "no E-parliament section"
    return match.group(0)


def _report(user, draft) -> str:
    response = client_for(user).get(f"/reports/drafts/{draft.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_shows_the_acknowledged_delivery_and_the_draft_sent_to_parliament(
    story, receiver, legislator
):
    receiver()
    voted = story.status
    assert voted in (Draft.Status.APPROVED, Draft.Status.REJECTED)

    services.deliveries_run(now=AT)

    html = _report(legislator, story)
    section = _section(html)
    assert ">E-parliament</h2>" in section
    assert f"Result of the round on version 2: {Draft.Status(voted).label}" in section
    assert "Oliy Majlis (test)" in section
    assert "badge delivery-delivered" in section and ACKNOWLEDGED in section
    assert '<td class="num">1</td>' in section  # one attempt
    assert '<span class="badge status-sent">Sent to parliament</span>' in html
    assert "Sent to parliament" in html.split('id="status"')[1]  # the timeline's last step


def test_the_xml_and_json_links_download_documents_that_parse_and_validate(
    story, receiver, citizen
):
    receiver()
    services.deliveries_run(now=AT)
    section = _section(_report(citizen, story))  # the report of a public draft is public
    links = re.findall(r'<a href="(/api/exports/\d+[^"]*)">', section)
    export = Export.objects.get(draft=story)
    assert sorted(links) == sorted(
        [f"/api/exports/{export.pk}"]
        + [f"/api/exports/{export.pk}/{name}.xml" for name in export.document_names]
    )
    assert {"bill", "votingResult", "dispositionTable"} <= set(export.document_names)

    anonymous = client_for(None)
    for link in links:
        response = anonymous.get(link)
        assert response.status_code == 200, link
        if link.endswith(".xml"):
            assert response["Content-Type"].startswith("application/akn+xml")
            assert akn.validate(response.content) == [], link
        else:
            bundle = json.loads(response.content)
            jsonschema.validate(bundle, SCHEMA)
            assert bundle["draft"]["number"] == story.number


def test_a_failed_delivery_says_why_in_words_and_the_draft_stays_as_voted(
    story, receiver, legislator, secretariat
):
    receiver(responder=lambda msg_id: (500, {}))
    voted = story.status

    services.deliveries_run(now=AT, backoff=ONE_TRY)

    story.refresh_from_db()
    assert story.status == voted
    section = _section(_report(legislator, story))
    assert "badge delivery-failed" in section
    assert "The e-parliament answered with an error. (HTTP 500)" in section
    assert "No more attempts; the administrators were alerted." in section
    assert "HTTP 500 from the receiver" not in section  # the technical text is not for everyone
    assert "HTTP 500 from the receiver" in _section(_report(secretariat, story))
    assert "Sent to parliament</span>" not in _report(legislator, story)


def test_a_delivery_still_retrying_shows_the_reason_and_the_next_try(story, receiver, legislator):
    receiver(responder=lambda msg_id: (429, {"Retry-After": "3600"}))

    services.deliveries_run(now=AT)

    section = _section(_report(legislator, story))
    assert "badge delivery-pending" in section
    assert "The e-parliament asked to wait before the next try." in section
    assert "Next try 2 January 2030, 09:04." in section


def test_a_queued_delivery_is_waiting_and_a_disabled_address_is_on_hold(
    story, receiver, legislator
):
    receiver(name="First parliament")
    disabled = receiver(name="Second parliament")
    Endpoint.objects.filter(pk=disabled.pk).update(active=False)

    section = _section(_report(legislator, story))
    assert "Waiting to be sent." in section
    assert "On hold: this e-parliament address is disabled." in section


def test_the_report_shows_no_address_secret_or_message_id(story, receiver, legislator, secretariat):
    endpoint = receiver()
    services.deliveries_run(now=AT)
    delivery = Delivery.objects.get()
    for user in (legislator, secretariat):
        html = _report(user, story)
        assert endpoint.secret not in html
        assert endpoint.url not in html
        assert delivery.webhook_id not in html


def test_a_result_queued_nowhere_and_a_draft_never_voted_say_so(story, make_draft, legislator):
    section = _section(_report(legislator, story))  # closed before any endpoint existed
    assert "Not queued: no e-parliament address was active when it was exported." in section
    fresh = _section(_report(legislator, make_draft()))
    assert "Nothing has been sent to the e-parliament yet." in fresh
    assert "/api/exports/" not in fresh


def test_an_invalid_export_is_reported_as_not_sent_without_links(story, legislator):
    Export.objects.filter(draft=story).update(is_valid=False, errors="bill: broken")
    section = _section(_report(legislator, story))
    assert "Not sent: its documents failed validation." in section
    assert "/api/exports/" not in section and "bill: broken" not in section


def test_the_dashboard_counts_the_draft_sent_to_parliament(story, receiver, legislator):
    receiver()
    before = client_for(legislator).get("/reports/").content.decode()
    assert '<span class="badge status-sent">Sent to parliament</span> <strong>0</strong>' in before

    services.deliveries_run(now=AT)

    after = client_for(legislator).get("/reports/").content.decode()
    assert '<span class="badge status-sent">Sent to parliament</span> <strong>1</strong>' in after


def test_more_exports_and_deliveries_cost_no_more_queries(story, receiver, legislator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eparliament.selectors import round_bundle

    client = client_for(legislator)
    url = f"/reports/drafts/{story.pk}/"

    def count() -> int:
        client.get(url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    receiver(name="First parliament")
    one = count()
    receiver(name="Second parliament")
    rnd = story.voting_rounds.get()
    for _ in range(3):  # re-exports (as after a fixed serializer), each to both endpoints
        services.export_create(
            draft=story,
            version=rnd.version,
            bundle=round_bundle(rnd),
            kind=Export.Kind.ROUND_CLOSED,
        )
    services.deliveries_run(now=AT)
    assert Delivery.objects.count() == 8
    assert count() == one


@pytest.mark.parametrize(
    ("language", "heading", "delivered"),
    [("uz", "Elektron parlament", "Yetkazildi"), ("ru", "Электронный парламент", "Доставлено")],
)
def test_the_section_reads_in_uzbek_and_russian(
    story, receiver, legislator, language, heading, delivered
):
    receiver()
    services.deliveries_run(now=AT)
    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        section = _section(client.get(f"/reports/drafts/{story.pk}/").content.decode())
    assert f">{heading}</h2>" in section
    assert delivered in section
    assert "acknowledged" not in section


def test_the_pdf_carries_the_delivery_without_links(story, receiver, legislator):
    from pypdf import PdfReader

    receiver()
    services.deliveries_run(now=AT)
    response = client_for(legislator).get(f"/reports/drafts/{story.pk}/report.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "E-parliament" in text and "Delivered" in text
    assert "Akoma Ntoso XML" not in text
