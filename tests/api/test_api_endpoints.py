"""The read-only public API: public data only, filters, cursors, tokens, throttling, errors."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate as validate_openapi

from api.models import ApiToken, token_hash
from api.services import api_token_create, api_token_revoke
from eparliament import akn, services
from tests.conftest import CORPORA, SAMPLE_TEXT


def get(path: str, client: Client | None = None, **extra):
    return (client or Client()).get(path, **extra)


@pytest.fixture
def exported(golden_round):
    services.export_round_closed(round=golden_round)
    return golden_round


def test_the_openapi_document_is_valid_openapi_3(db):
    response = get("/api/openapi.json")
    assert response.status_code == 200
    validate_openapi(response.json())


def test_the_bundle_schema_is_published(db):
    schema = get("/api/schemas/bundle-v1.json").json()
    assert schema["$id"].endswith("bundle-v1.json")


def test_drafts_lists_only_public_drafts(make_draft, golden_round):
    make_draft(number="ID-2026-9001")  # still being drafted: not public
    data = get("/api/drafts").json()
    assert [d["number"] for d in data["results"]] == ["ID-2026-0142"]
    assert get("/api/drafts/41").status_code == 200
    hidden = make_draft(number="ID-2026-9002")
    response = get(f"/api/drafts/{hidden.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_drafts_filter_by_status_kind_agency_and_updated_since(golden_round):
    def numbers(query: str) -> list[str]:
        return [d["number"] for d in get(f"/api/drafts?{query}").json()["results"]]

    assert numbers("status=rejected&kind=law&agency=minjust") == ["ID-2026-0142"]
    assert numbers("status=approved") == []
    assert numbers("agency=minfin") == []
    assert numbers("updated_since=2000-01-01") == ["ID-2026-0142"]
    assert numbers("updated_since=2999-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    "query",
    [
        "updated_since=9999-12-31T23:59:59-14:00",
        "updated_since=0001-01-01T00:00:00%2B14:00",
        "updated_since=2026-02-30",
        "status=nonsense",
        "kind=1",
        "agency=a%20b",
        "updated_since=yesterday",
        "limit=0",
        "limit=101",
        "limit=-1",
        "cursor=abc",
        "cursor=eyJhZnRlciI6MX0:forged",
    ],
)
def test_a_bad_filter_or_cursor_is_a_400_with_a_clear_message(golden_round, query):
    response = get(f"/api/drafts?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_cursor_pagination_walks_every_row_once_in_id_order(make_draft, golden_round):
    for n in range(5):
        make_draft(number=f"ID-2026-8{n:03d}", discussion=True)
    seen, url = [], "/api/drafts?limit=2"
    while url:
        data = get(url).json()
        seen += [d["id"] for d in data["results"]]
        url = data["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 6


def test_a_version_carries_its_structure_and_its_akn_bill_validates(golden_round):
    data = get("/api/drafts/41/versions/2").json()
    assert data["structure"]["body"][0]["type"] == "chapter"
    assert [v["number"] for v in get("/api/drafts/41/versions").json()["results"]] == [1, 2]
    response = get("/api/drafts/41/versions/2/akn.xml")
    assert response.status_code == 200
    assert akn.validate(response.content) == []


def test_comments_leave_out_hidden_and_deleted_ones(golden_round):
    data = get("/api/comments?draft=41").json()
    assert [c["id"] for c in data["results"]] == [501, 502, 505]
    texts = " ".join(c["text"] for c in data["results"])
    assert "Hidden by a moderator" not in texts and "Deleted" not in texts
    assert "author" not in data["results"][0]  # who wrote it is not public, only the kind


def test_dispositions_list_the_agency_answers(golden_round):
    data = get("/api/dispositions?draft=41").json()
    assert [(d["comment"], d["outcome"]) for d in data["results"]] == [(501, "accepted")]


def test_an_open_round_shows_no_choices_a_closed_one_shows_each_vote(
    golden_round, make_draft, other_agency, other_voter, secretariat
):
    from datetime import timedelta

    from django.utils import timezone

    from voting import services as voting

    draft = make_draft(number="ID-2026-7000", discussion_over=True)
    rnd = voting.round_open(
        draft=draft,
        actor=secretariat,
        agencies=[other_agency],
        deadline=timezone.now() + timedelta(days=2),
        rule="two_thirds_quorum_simple_majority",
        override_reason="Test",
    )
    voting.vote_cast(
        voting_round=rnd,
        agency=other_agency,
        actor=other_voter,
        choice="object",
        remarks="Secret until the close.",
    )
    open_data = get(f"/api/rounds/{rnd.pk}").json()
    assert open_data["result"] is None
    assert "Secret until the close" not in json.dumps(open_data)
    assert "Secret until the close" not in get("/api/rounds").content.decode()
    closed = get("/api/rounds/17").json()
    assert closed["result"]["outcome"] == "rejected"
    assert {v["agency"]: v["choice"] for v in closed["result"]["votes"]} == {
        "minjust": "approve_remarks",
        "minfin": "object",
    }
    assert [r["id"] for r in get("/api/rounds?status=open").json()["results"]] == [rnd.pk]


def test_exports_serve_the_frozen_bundle_and_its_documents(exported):
    listing = get("/api/exports?draft=41").json()["results"]
    assert len(listing) == 1
    bundle = get(listing[0]["bundle_url"])
    assert bundle.json()["round"]["id"] == 17
    for url in listing[0]["documents"].values():
        assert akn.validate(get(url).content) == []
    assert get(f"/api/exports/{listing[0]['id']}/nothing.xml").status_code == 404


def test_list_pages_use_a_fixed_number_of_queries(
    make_draft, golden_round, django_assert_max_num_queries
):
    for n in range(6):
        make_draft(number=f"ID-2026-6{n:03d}", discussion=True)
    for path in [
        "/api/drafts",
        "/api/comments",
        "/api/dispositions",
        "/api/rounds",
        "/api/exports",
        "/api/drafts/41/versions",
    ]:
        with django_assert_max_num_queries(4):
            assert get(path).status_code == 200


def test_a_token_is_stored_only_as_its_hash_and_authenticates(golden_round, secretariat):
    token, clear = api_token_create(name="Oliy Majlis", actor=secretariat)
    assert clear not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.token_hash == token_hash(clear)
    ok = get("/api/drafts", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert ok.status_code == 200
    api_token_revoke(token=token, actor=secretariat)
    refused = get("/api/drafts", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "bad_token"


def test_the_command_prints_a_working_token(golden_round, capsys):
    call_command("api_token_create", name="e-parliament")
    clear = capsys.readouterr().out.strip()
    assert get("/api/drafts", HTTP_AUTHORIZATION=f"Bearer {clear}").status_code == 200


def test_anonymous_clients_are_throttled_sooner_than_token_clients(golden_round, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anon": "3/60", "api": "6/60"}
    _token, clear = api_token_create(name="client", actor=None)
    statuses = [get("/api/drafts").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = get("/api/drafts")
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) >= 1
    with_token = [
        get("/api/drafts", HTTP_AUTHORIZATION=f"Bearer {clear}").status_code for _ in range(6)
    ]
    assert with_token == [200] * 6
    cache.clear()


def test_the_api_is_read_only(golden_round):
    response = Client().post("/api/drafts", {})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def _sqli_payloads() -> list[str]:
    lines = []
    for name in ["Generic_Fuzz.txt", "SQLi_Polyglots.txt", "Auth_Bypass.txt", "NoSQL.txt"]:
        path = CORPORA / "sqli" / name
        lines += [line for line in path.read_text(errors="replace").splitlines() if line][:80]
    return lines


def test_hostile_query_strings_never_cause_a_500(golden_round):
    from urllib.parse import urlencode

    client = Client()
    params = ["status", "kind", "agency", "updated_since", "cursor", "limit", "draft"]
    for payload in _sqli_payloads():
        for name in params:
            for path in ["/api/drafts", "/api/comments", "/api/rounds"]:
                response = client.get(f"{path}?{urlencode({name: payload})}")
                assert response.status_code in (200, 400), (path, name, payload)


def test_the_open_data_zip_holds_csv_and_json_of_everything_public(exported, make_draft):
    from discussions.models import Comment

    Comment.objects.filter(pk=502).update(body='=HYPERLINK("http://evil")')
    make_draft(number="ID-2026-5000", text=SAMPLE_TEXT)  # not public
    response = get("/api/open-data.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    for table in ["drafts", "versions", "comments", "dispositions", "rounds", "votes"]:
        assert {f"{table}.csv", f"{table}.json"} <= names
    drafts = json.loads(archive.read("drafts.json"))
    assert [d["number"] for d in drafts] == ["ID-2026-0142"]
    comments_csv = archive.read("comments.csv").decode()
    assert "Hidden by a moderator" not in comments_csv
    assert "'=HYPERLINK" in comments_csv
    comments_json = json.loads(archive.read("comments.json"))
    assert any(c["text"].startswith("=HYPERLINK") for c in comments_json)
    assert len(json.loads(archive.read("votes.json"))) == 2


@pytest.mark.parametrize(
    ("language", "fragment"), [("ru", "курсор"), ("uz", "kursor"), ("en", "cursor")]
)
def test_error_messages_are_translated(golden_round, language, fragment):
    response = get("/api/drafts?cursor=forged", HTTP_ACCEPT_LANGUAGE=language)
    assert fragment in response.json()["error"]["message"]


def test_an_unknown_api_path_is_a_json_404(db):
    response = get("/api/nothing/here?x=1")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_every_admin_page_of_the_api_and_the_export_opens(golden_round, make_endpoint, secret):
    from sovaz.accounts.models import User
    from tests.conftest import client_for

    admin = User.objects.create_superuser(email="root@sovaz.uz", password="x", full_name="Root")
    make_endpoint("http://127.0.0.1:9/", secret)
    services.export_round_closed(round=golden_round)
    client = client_for(admin)
    for path in [
        "eparliament/endpoint",
        "eparliament/export",
        "eparliament/delivery",
        "eparliament/alert",
        "api/apitoken",
    ]:
        assert client.get(f"/admin/{path}/").status_code == 200, path
    assert client.get("/admin/eparliament/endpoint/add/").status_code == 200
    response = client.post("/admin/api/apitoken/add/", {"name": "Oliy Majlis"}, follow=True)
    assert "copy it now" in response.content.decode()
    token = ApiToken.objects.get()
    assert token.created_by == admin


def test_naughty_strings_in_filters_never_cause_a_500(golden_round):
    from urllib.parse import urlencode

    client = Client()
    strings = json.loads((CORPORA / "naughty-strings/blns.json").read_text())
    for payload in strings:
        for name in ["status", "agency", "updated_since", "cursor", "limit"]:
            response = client.get(f"/api/drafts?{urlencode({name: payload})}")
            assert response.status_code in (200, 400), (name, payload)
