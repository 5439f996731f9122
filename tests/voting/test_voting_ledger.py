"""The hash-chained ledger, signed receipts and `manage.py verify_ledger` against tampering."""

import base64
import hashlib
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import client_for
from voting import services, signing
from voting.ledger import GENESIS, canonical_json, verify_ledger
from voting.models import LedgerEntry, Vote


@pytest.fixture
def busy_ledger(open_round, other_agency, other_voter, third_agency, third_voter, secretariat):
    """open (#1), four votes (#2-#5), close (#6)."""
    voting_round = open_round()
    cast = services.vote_cast
    cast(voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve")
    cast(
        voting_round=voting_round,
        agency=third_agency,
        actor=third_voter,
        choice="object",
        remarks="Статья 3 противоречит — o‘zbekcha ham ✓",
    )
    cast(
        voting_round=voting_round,
        agency=other_agency,
        actor=other_voter,
        choice="approve_remarks",
        remarks="Minor wording",
    )
    cast(
        voting_round=voting_round,
        agency=third_agency,
        actor=third_voter,
        choice="abstain",
        remarks="No position",
    )
    services.round_close(voting_round=voting_round, actor=secretariat)
    return voting_round


def verify_fails_at(seq: int, kind: str) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("verify_ledger")
    assert exc.value.returncode == 1
    assert f"entry #{seq}: {kind}" in str(exc.value)


def test_an_intact_ledger_verifies(busy_ledger, capsys):
    call_command("verify_ledger")
    assert "ledger intact: 6 entries" in capsys.readouterr().out


def test_each_entry_hash_is_sha256_of_its_canonical_json_and_links_to_the_previous(busy_ledger):
    from voting.ledger import payload_of

    entries = list(LedgerEntry.objects.select_related("agency").order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].prev_hash == GENESIS
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.entry_hash
    text = json.dumps(
        payload_of(entries[2]), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert text == canonical_json(payload_of(entries[2]))
    assert "o‘zbekcha" in text
    assert hashlib.sha256(text.encode()).hexdigest() == entries[2].entry_hash


def test_altering_an_entry_is_reported_at_that_entry(busy_ledger):
    entry = LedgerEntry.objects.get(seq=3)
    LedgerEntry.objects.filter(seq=3).update(data={**entry.data, "choice": "approve"})
    verify_fails_at(3, "altered")


def test_altering_an_entry_and_its_hash_is_reported_at_that_entry(busy_ledger):
    LedgerEntry.objects.filter(seq=4).update(entry_hash="f" * 64)
    verify_fails_at(4, "altered")


def test_removing_an_entry_is_reported_where_it_is_missing(busy_ledger):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE seq = 4")  # noqa: S608
    verify_fails_at(4, "removed")


def test_removing_the_last_entry_is_reported(busy_ledger):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE seq = 6")  # noqa: S608
    verify_fails_at(6, "removed")


def test_reordering_two_entries_is_reported_at_the_first_moved(busy_ledger):
    LedgerEntry.objects.filter(seq=3).update(seq=1000)
    LedgerEntry.objects.filter(seq=2).update(seq=3)
    LedgerEntry.objects.filter(seq=1000).update(seq=2)
    verify_fails_at(2, "reordered")


def test_changing_a_current_vote_behind_the_ledger_is_reported(busy_ledger):
    vote = Vote.objects.get(agency__code="minfin")
    Vote.objects.filter(pk=vote.pk).update(choice="object")
    entry = LedgerEntry.objects.get(entry_hash=vote.receipt_hash)
    verify_fails_at(entry.seq, "altered")


def test_changing_a_result_behind_the_ledger_is_reported(busy_ledger):
    from voting.models import Round

    Round.objects.filter(pk=busy_ledger.pk).update(approve_remarks_count=0, approve_count=1)
    assert verify_ledger().problem.kind == "altered"


def test_a_receipt_is_the_entry_hash_signed_with_the_published_key(
    busy_ledger, other_agency, other_voter
):
    response = client_for(other_voter).get(
        f"/voting/{busy_ledger.pk}/receipt/{other_agency.pk}.json"
    )
    receipt = response.json()
    text = json.dumps(receipt["entry"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == receipt["entry_hash"]
    public_b64 = client_for(None).get("/voting/public-key/").context["b64"]
    assert signing.verify(receipt["entry_hash"], receipt["signature"], public_b64)
    assert not signing.verify("0" * 64, receipt["signature"], public_b64)


def test_the_public_key_is_published_as_pem(db):
    response = client_for(None).get("/voting/public-key.pem")
    assert response.status_code == 200
    assert response.content.decode().startswith("-----BEGIN PUBLIC KEY-----")


def test_the_signing_key_comes_from_the_settings(signing_key):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    expected = Ed25519PrivateKey.from_private_bytes(signing_key).public_key()
    raw = expected.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert signing.public_key_b64() == base64.b64encode(raw).decode()


def test_without_the_environment_a_key_file_is_made_once_with_mode_0600(settings, tmp_path):
    settings.VOTING_SIGNING_KEY = ""
    settings.BASE_DIR = tmp_path
    signing.private_key.cache_clear()
    first = signing.public_key_b64()
    path = tmp_path / "var" / "voting_ed25519.key"
    assert path.stat().st_mode & 0o777 == 0o600
    signing.private_key.cache_clear()
    assert signing.public_key_b64() == first


def test_a_malformed_key_in_the_environment_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.VOTING_SIGNING_KEY = base64.b64encode(b"short").decode()
    signing.private_key.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        signing.public_key_b64()
