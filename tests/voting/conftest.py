"""Voting fixtures: invited agencies with their voters, and a round builder."""

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from sovaz.accounts.models import Agency
from tests.voting.voting_helpers import make_agency, make_voter
from voting import services, signing


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The personas' password hashing dominates these tests; its strength is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def signing_key(settings):
    """A fresh server key per test, from the settings (the environment) as in production."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.VOTING_SIGNING_KEY = base64.b64encode(raw).decode()
    signing.private_key.cache_clear()
    yield raw
    signing.private_key.cache_clear()


@pytest.fixture
def third_agency(db) -> Agency:
    return make_agency("mindigital")


@pytest.fixture
def third_voter(third_agency):
    return make_voter(third_agency)


@pytest.fixture
def voting_draft(make_draft):
    """A draft of `agency` (minjust) with two versions, its public discussion over."""
    from tests.conftest import SAMPLE_TEXT, SAMPLE_TEXT_V2

    return make_draft(text=SAMPLE_TEXT, v2=SAMPLE_TEXT_V2, discussion_over=True)


@pytest.fixture
def open_round(voting_draft, secretariat, other_agency, third_agency):
    """Build an open round on `voting_draft` (minfin and mindigital invited by default)."""

    def build(
        *, agencies=None, rule="two_thirds_quorum_simple_majority", draft=None, deadline=None
    ):
        return services.round_open(
            draft=draft or voting_draft,
            actor=secretariat,
            agencies=agencies if agencies is not None else [other_agency, third_agency],
            deadline=deadline or timezone.now() + timedelta(days=3),
            rule=rule,
            override_reason="Test round",
        )

    return build


@pytest.fixture
def many_agencies(db):
    """Build `n` extra agencies, each with one voter: [(agency, voter), ...]."""

    def build(n: int, prefix: str = "ag"):
        pairs = []
        for i in range(n):
            agency = make_agency(f"{prefix}{i:02d}")
            pairs.append((agency, make_voter(agency)))
        return pairs

    return build
