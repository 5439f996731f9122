"""A draft with a whole story behind it: versions, assessment, comments, answers and a vote."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from drafts.textparse import iter_nodes
from sovaz.accounts.models import Agency, Membership
from tests.conftest import SAMPLE_TEXT_V2, end_discussion, make_user


@pytest.fixture(autouse=True)
def _fast_and_signed(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    monkeypatch.setenv("VOTING_SIGNING_KEY", base64.b64encode(raw).decode())
    from voting import signing

    signing.private_key.cache_clear()
    yield
    signing.private_key.cache_clear()


@pytest.fixture
def third_agency(db) -> Agency:
    return Agency.objects.create(
        code="mindigital", name_uz="Raqamli", name_ru="Цифровые", name_en="Ministry of Digital"
    )


@pytest.fixture
def third_voter(third_agency):
    user = make_user("voter@mindigital.uz", kind="official")
    Membership.objects.create(user=user, agency=third_agency, role=Membership.Role.VOTER)
    return user


def article_wids(draft) -> list[str]:
    latest = draft.versions.order_by("-number").first()
    return [n["wId"] for n in iter_nodes(latest.structure) if n["type"] == "article"]


@pytest.fixture
def story(make_draft, agency_editor, citizen, business, other_voter, other_agency, third_agency,
          third_voter, secretariat):  # fmt: skip
    """A draft that went through discussion and a closed voting round; returns the draft."""
    from discussions.services import comment_create, disposition_set
    from drafts.services import draft_open_discussion
    from impact import services as impact
    from impact.calculator import ObligationInput
    from voting.services import round_close, round_open, vote_cast

    draft = make_draft(v2=SAMPLE_TEXT_V2, impact_level="low", title="E-services <b>law</b>")
    impact.assessment_revise(
        draft=draft, actor=agency_editor, problem="Queues for paper certificates",
        objectives="All certificates online", legal_basis="Law on e-government",
    )  # fmt: skip
    impact.obligation_add(
        draft=draft, actor=agency_editor,
        obligation=ObligationInput(name="Register on the portal", group="business",
                                   tariff=Decimal("50000"), time=Decimal("2"), population=1000,
                                   frequency=Decimal("4"), external=Decimal("10000")),
    )  # fmt: skip
    now = timezone.now()
    draft = draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now,
        ends_at=now + timedelta(days=20),
    )  # fmt: skip
    wids = article_wids(draft)
    first = comment_create(draft=draft, author=citizen, body="Article one is vague",
                           anchor_kind="provision", anchor_wid=wids[0])  # fmt: skip
    comment_create(draft=draft, author=citizen, body="=HYPERLINK(\"http://evil\")",
                   anchor_kind="provision", anchor_wid=wids[0])  # fmt: skip
    comment_create(draft=draft, author=business, body="The cost is too high",
                   anchor_kind="assessment", anchor_key="obl-1")  # fmt: skip
    comment_create(draft=draft, author=other_voter, body="Please align with the tax code")
    comment_create(draft=draft, author=citizen, body="I agree", parent=first)
    disposition_set(comment=first, actor=agency_editor, outcome="accepted",
                    reasoning="Clarified in version 2")  # fmt: skip
    end_discussion(draft)  # a round opens only after the discussion
    voting_round = round_open(
        draft=draft, actor=secretariat, agencies=[other_agency, third_agency],
        deadline=timezone.now() + timedelta(days=3), rule="two_thirds_quorum_simple_majority",
        override_reason="Deadline of the government programme",
    )  # fmt: skip
    vote_cast(voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve")
    vote_cast(voting_round=voting_round, agency=third_agency, actor=third_voter, choice="object",
              remarks="Article 2 <script>conflicts</script> with our mandate")  # fmt: skip
    round_close(voting_round=voting_round, actor=secretariat)
    draft.refresh_from_db()
    return draft
