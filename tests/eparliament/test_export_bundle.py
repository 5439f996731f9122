"""The bundle of a closed round: golden files, the XSD, the JSON Schema and hostile text."""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from eparliament import akn, bundle_json, selectors, services
from eparliament.models import Alert, Delivery, Export
from tests.conftest import CORPORA

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "eparliament/schemas/bundle-v1.json").read_text()
)


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 to write it"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def _pretty(bundle: dict) -> bytes:
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n"


def test_the_bundle_json_matches_its_golden_file_and_the_published_schema(golden_round):
    bundle = selectors.round_bundle(golden_round)
    jsonschema.validate(bundle, SCHEMA)
    _golden("eparliament_bundle.json", _pretty(bundle))


@pytest.mark.parametrize("name", ["bill", "votingResult", "dispositionTable", "impactAssessment"])
def test_each_akn_document_matches_its_golden_file_and_the_xsd(golden_round, name):
    xml = akn.documents(selectors.round_bundle(golden_round))[name]
    assert akn.validate(xml) == []
    _golden(f"eparliament_{name}.xml", xml)


def test_the_bundle_carries_only_public_comments_and_the_closed_result(golden_round):
    bundle = selectors.round_bundle(golden_round)
    assert [row["comment_id"] for row in bundle["dispositions"]] == [501, 502]
    assert bundle["comments"]["public_count"] == 3  # 501, 502 and the reply 505
    assert bundle["dispositions"][0]["outcome"] == "accepted"
    assert bundle["round"]["counts"] == {
        "approve": 0,
        "approve_remarks": 1,
        "object": 1,
        "abstain": 0,
    }
    events = [step["event"] for step in bundle["workflow"]]
    assert events == [
        "submitted",
        "discussion_opened",
        "discussion_closed",
        "voting_opened",
        "voting_closed",
    ]


def test_control_characters_are_replaced_never_emitted(golden_round):
    bundle = selectors.round_bundle(golden_round)
    text = bundle["dispositions"][1]["text"]
    assert text == "Control\ufffdchars\ufffd and \ufffd stay out of XML."
    xml = akn.documents(bundle)["dispositionTable"]
    assert b"\x01" not in xml and b"\x1f" not in xml
    assert akn.validate(xml) == []


def test_export_round_closed_freezes_the_bundle_and_queues_one_delivery_per_active_endpoint(
    golden_round, make_endpoint, secret
):
    make_endpoint("http://127.0.0.1:9/a", secret)
    inactive = make_endpoint("http://127.0.0.1:9/c", secret)
    inactive.active = False
    inactive.save()

    services.export_round_closed(round=golden_round)
    services.export_round_closed(round=golden_round)  # a second call does nothing

    export = Export.objects.get()
    assert export.is_valid and export.round == golden_round
    assert bytes(export.bundle) == bundle_json.dumps(selectors.round_bundle(golden_round))
    payload = json.loads(bytes(export.body))
    assert payload["bundle"] == json.loads(bytes(export.bundle))
    assert set(payload["akn"]) == {"bill", "votingResult", "dispositionTable", "impactAssessment"}
    assert Delivery.objects.filter(export=export).count() == 1


def test_an_invalid_document_is_never_queued_and_raises_an_alert(
    golden_round, make_endpoint, secret, monkeypatch
):
    make_endpoint("http://127.0.0.1:9/a", secret)
    monkeypatch.setattr(akn, "validate", lambda xml: ["line 1: broken on purpose"])

    services.export_round_closed(round=golden_round)

    export = Export.objects.get()
    assert not export.is_valid and "broken on purpose" in export.errors
    assert Delivery.objects.count() == 0
    assert Alert.objects.filter(kind=Alert.Kind.INVALID_DOCUMENT, export=export).exists()


def test_a_failing_export_never_blocks_closing_the_round(golden_round, monkeypatch):
    def explode(rnd):
        raise RuntimeError("bug in the serializer")

    monkeypatch.setattr(selectors, "round_bundle", explode)
    services.export_round_closed(round=golden_round)
    assert Export.objects.count() == 0
    assert Alert.objects.filter(message__contains="bug in the serializer").exists()


def test_a_closed_round_through_the_voting_services_exports_in_the_same_transaction(
    make_draft,
    agency,
    other_agency,
    agency_voter,
    other_voter,
    secretariat,
    make_endpoint,
    secret,
):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from voting import services as voting

    make_endpoint("http://127.0.0.1:9/", secret)
    draft = make_draft(discussion_over=True)
    rnd = voting.round_open(
        draft=draft,
        actor=secretariat,
        agencies=[other_agency],
        deadline=timezone.now() + timedelta(days=3),
        rule="two_thirds_quorum_simple_majority",
        override_reason="Test",
    )
    voting.vote_cast(
        voting_round=rnd, agency=other_agency, actor=other_voter, choice="object", remarks="No."
    )
    with transaction.atomic():
        closed = voting.round_close(voting_round=rnd, actor=secretariat)
        services.export_round_closed(round=closed)  # what the lead wires into round_close
    export = Export.objects.get(round=rnd)
    bundle = json.loads(bytes(export.bundle))
    jsonschema.validate(bundle, SCHEMA)
    assert bundle["round"]["outcome"] == closed.outcome
    assert [v["choice"] for v in bundle["round"]["votes"]] == ["object"]
    assert all(akn.validate(x.encode()) == [] for x in export.documents.values())


def _naughty() -> list[str]:
    return json.loads((CORPORA / "naughty-strings/blns.json").read_text())


def test_every_naughty_string_gives_valid_xml_and_valid_json():
    base = json.loads((GOLDEN / "eparliament_bundle.json").read_text())
    strings = [*_naughty(), "\ud800 lone", "\x0b\x0c\x7f", "\uffff\ufffe"]
    for s in strings:
        bundle = json.loads(json.dumps(base))
        bundle["draft"]["title"] = s
        bundle["version"]["structure"]["body"][0]["heading"] = s
        bundle["dispositions"][0]["text"] = s
        bundle["round"]["votes"][0]["remarks"] = s
        bundle = bundle_json.clean(bundle)
        for name, xml in akn.documents(bundle).items():
            assert akn.validate(xml) == [], (name, s)
        json.loads(bundle_json.dumps(bundle))


@pytest.mark.parametrize("path", sorted((CORPORA / "xxe").glob("*.xml")), ids=lambda p: p.name)
def test_xml_attacks_are_parsed_without_resolving_entities(path):
    data = path.read_bytes()
    try:
        doc = etree.fromstring(data, parser=akn.safe_parser())
    except etree.XMLSyntaxError:
        return  # refused outright: fine
    text = etree.tostring(doc)
    assert b"root:" not in text  # /etc/passwd never read
    assert len(text) < 100_000  # no billion laughs
    assert akn.validate(data) != []  # and never taken for a valid document


def test_a_round_whose_export_was_invalid_can_be_exported_again(
    golden_round, make_endpoint, secret, monkeypatch
):
    from django.core.management import call_command

    make_endpoint("http://127.0.0.1:9/a", secret)
    with monkeypatch.context() as m:
        m.setattr(akn, "validate", lambda xml: ["broken"])
        services.export_round_closed(round=golden_round)
    call_command("export_round", str(golden_round.pk))
    assert list(Export.objects.order_by("id").values_list("is_valid", flat=True)) == [False, True]
    assert Delivery.objects.count() == 1
