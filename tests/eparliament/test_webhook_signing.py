"""The Standard Webhooks signer against the known-answer vector and the reference package."""

import json
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from eparliament import signing
from tests.conftest import CORPORA

KAT = json.loads((CORPORA / "webhooks/standard-webhooks-kat.json").read_text())["known_answer"]


def test_the_signer_matches_the_known_answer_vector():
    signature = signing.sign(
        secret=KAT["secret"],
        msg_id=KAT["webhook-id"],
        timestamp=int(KAT["webhook-timestamp"]),
        body=KAT["body"].encode(),
    )
    assert signature == KAT["webhook-signature"]


def test_the_reference_package_verifies_our_headers():
    secret = signing.secret_generate()
    body = '{"a": "ўзбек"}'.encode()
    now = int(datetime.now(UTC).timestamp())
    headers = signing.headers(secrets=[secret], msg_id="msg_1", timestamp=now, body=body)
    assert Webhook(secret).verify(body, headers) == {"a": "ўзбек"}


def test_a_changed_body_fails_verification():
    secret = signing.secret_generate()
    now = int(datetime.now(UTC).timestamp())
    headers = signing.headers(secrets=[secret], msg_id="msg_1", timestamp=now, body=b'{"a":1}')
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a": 1}', headers)


def test_during_rotation_two_signatures_are_sent_and_either_secret_verifies():
    old, new = signing.secret_generate(), signing.secret_generate()
    now = int(datetime.now(UTC).timestamp())
    headers = signing.headers(secrets=[new, old], msg_id="msg_2", timestamp=now, body=b"{}")
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(b"{}", headers) == {}
    assert Webhook(new).verify(b"{}", headers) == {}
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.secret_generate()).verify(b"{}", headers)


@pytest.mark.parametrize("bad", ["whsec_", "whsec_***", "not base64!"])
def test_a_malformed_secret_is_refused(bad):
    with pytest.raises(signing.InvalidSecret):
        signing.sign(secret=bad, msg_id="m", timestamp=1, body=b"")
