import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from drafts.models import Draft
from eparliament import selectors, services, signing
from eparliament.fake_receiver import serve_in_thread
from eparliament.models import Endpoint

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas log in by password nowhere here; hashing them slowly only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secret() -> str:
    return signing.secret_generate()


@pytest.fixture
def receivers():
    """Start fake e-parliaments (real HTTP servers on 127.0.0.1); all stopped after the test."""
    started = []

    def start(*, secret: str, port: int = 0, responder=None):
        server = serve_in_thread(secret=secret, port=port, responder=responder)
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
    # Every request SOVAZ sent passed the reference verification (tests that forge one say so).
    for server in started:
        if not getattr(server, "expect_rejections", False):
            assert all(a.verified for a in server.inbox.arrivals), "unverified delivery"


def free_port() -> int:
    """A port nothing listens on (yet): a receiver that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_endpoint(db):
    def build(url: str, secret: str, **fields) -> Endpoint:
        fields.setdefault("allow_private", True)
        return services.endpoint_create(actor=None, name=url, url=url, secret=secret, **fields)

    return build


@pytest.fixture
def make_export(make_draft):
    """Queue an export of a fresh draft's version to every active endpoint."""

    def build(**draft_fields):
        draft = make_draft(**draft_fields)
        version = draft.versions.get()
        bundle = selectors.draft_bundle(version)
        return services.export_create(draft=draft, version=version, bundle=bundle, now=T0)

    return build


FIXED_IMPACT = {
    "revision": 1,
    "version": 2,
    "impact_level": "low",
    "complete": True,
    "obligations": [
        {
            "key": "report",
            "name": "Annual report",
            "group": "admin",
            "population": 1200,
            "annual_cost": "3600000.00",
        },
    ],
    "annual_total": "3600000.00",
    "discount_rate": "0.10",
    "years": 5,
    "npv": "13647064.00",
    "currency": "UZS",
}


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 2, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def golden_round(
    agency,
    other_agency,
    agency_editor,
    agency_voter,
    other_voter,
    citizen,
    business,
    secretariat,
    monkeypatch,
):
    """A closed round with fixed ids and dates, built row by row so exports are repeatable."""
    from django.contrib.contenttypes.models import ContentType

    from discussions.models import Comment, Disposition
    from drafts.identity import assign_wids
    from drafts.models import Draft, Version
    from drafts.textparse import article_count, parse_text, structure_hash
    from sovaz.audit.models import ActionLog
    from tests.conftest import SAMPLE_TEXT, SAMPLE_TEXT_V2
    from voting.models import Round, Vote

    monkeypatch.setattr(selectors, "impact_summary", lambda draft: FIXED_IMPACT)
    draft = Draft.objects.create(
        pk=41,
        title="Elektron davlat xizmatlari to‘g‘risida",
        kind="law",
        number="ID-2026-0142",
        agency=agency,
        summary="Raqamli xizmatlar.",
        language="uz",
        impact_level="low",
        status="rejected",
        discussion_starts_at=_at(2),
        discussion_ends_at=_at(20),
        published_at=_at(2),
        created_by=agency_editor,
    )
    Draft.objects.filter(pk=41).update(created_at=_at(1), updated_at=_at(25))
    s1 = parse_text(SAMPLE_TEXT)
    s2 = assign_wids(parse_text(SAMPLE_TEXT_V2), s1)
    versions = [
        Version.objects.create(
            pk=60 + n,
            draft=draft,
            number=n,
            author=agency_editor,
            created_at=_at(day),
            change_reason=reason,
            source_text=text,
            structure=s,
            text_hash=structure_hash(s),
            article_count=article_count(s),
        )
        for n, day, reason, text, s in [
            (1, 1, "First version", SAMPLE_TEXT, s1),
            (2, 10, "After the discussion", SAMPLE_TEXT_V2, s2),
        ]
    ]
    draft_type = ContentType.objects.get_for_model(Draft)
    for n, (day, code, data) in enumerate(
        [
            (1, "drafts.draft.created", {}),
            (2, "drafts.draft.status_changed", {"from": "drafting", "to": "discussion"}),
            (21, "drafts.draft.status_changed", {"from": "discussion", "to": "voting"}),
        ]
    ):
        entry = ActionLog.objects.create(
            actor=agency_editor,
            code=code,
            target_type=draft_type,
            target_id="41",
            target_repr=str(draft),
            data=data,
        )
        ActionLog.objects.filter(pk=entry.pk).update(created_at=_at(day, 9 + n))
    rnd = Round.objects.create(
        pk=17,
        draft=draft,
        version=versions[1],
        text_hash=versions[1].text_hash,
        rule="two_thirds_quorum_simple_majority",
        eligible_count=2,
        opened_by=secretariat,
        opened_at=_at(21, 12),
        deadline=_at(28),
        status="closed",
        closed_at=_at(25),
        closed_by=secretariat,
        close_reason="early",
        turnout=2,
        quorum_met=True,
        approve_count=0,
        approve_remarks_count=1,
        object_count=1,
        abstain_count=0,
        outcome="rejected",
        result_hash="ab" * 32,
    )
    for voter, ag, choice, remarks, wids in [
        (agency_voter, agency, "approve_remarks", "Add a transition period.", ["art_4"]),
        (
            other_voter,
            other_agency,
            "object",
            "Costs are not covered\nin the budget.",
            ["art_3", "art_4"],
        ),
    ]:
        Vote.objects.create(
            round=rnd,
            agency=ag,
            choice=choice,
            remarks=remarks,
            article_wids=wids,
            cast_by=voter,
            cast_at=_at(23),
            receipt_hash="cd" * 32,
            receipt_signature="sig",
        )
    comments = {}
    for pk, author, kind, wid, body, extra in [
        (501, citizen, "provision", "art_3", "Uch oy juda qisqa muddat.", {}),
        (502, business, "draft", "", "Control\x01chars\x1f and \ufffe stay out of XML.", {}),
        (503, citizen, "draft", "", "Hidden by a moderator.", {"visibility": "hidden"}),
        (504, business, "draft", "", "Deleted by its author.", {"deleted_at": _at(6)}),
    ]:
        comments[pk] = Comment.objects.create(
            pk=pk,
            draft=draft,
            version=versions[0],
            anchor_kind=kind,
            anchor_wid=wid,
            author=author,
            body=body,
            body_html=f"<p>{body}</p>",
            created_at=_at(3 + pk - 501),
            **extra,
        )
    Comment.objects.create(
        pk=505,
        draft=draft,
        version=versions[0],
        parent=comments[501],
        depth=2,
        author=business,
        body="Qo‘shilaman.",
        body_html="<p>Qo‘shilaman.</p>",
        created_at=_at(8),
    )
    Disposition.objects.create(
        comment=comments[501],
        outcome="accepted",
        reasoning="Muddat olti oyga uzaytirildi.",
        changed_in_version=versions[1],
        decided_by=agency_editor,
        decided_at=_at(9),
    )
    return Round.objects.get(pk=17)


@pytest.fixture
def close_round(make_draft, other_agency, other_voter, secretariat):
    """Close a voting round through the voting services on `draft` (else a fresh one); return
    the draft. `choice` decides the outcome: approve → approved, object → rejected, None → no
    quorum (the draft returns to discussion).
    """
    from voting import services as voting
    from voting.models import Round

    def close(choice: str | None = "approve", draft: Draft | None = None) -> Draft:
        draft = draft or make_draft(discussion_over=True)
        rnd = voting.round_open(
            draft=draft,
            actor=secretariat,
            agencies=[other_agency],
            deadline=timezone.now() + timedelta(days=3),
            rule="two_thirds_quorum_simple_majority",
            override_reason="Test",
        )
        if choice is None:
            Round.objects.filter(pk=rnd.pk).update(deadline=timezone.now())
            voting.round_close(voting_round=rnd, actor=None)
        else:
            voting.vote_cast(
                voting_round=rnd,
                agency=other_agency,
                actor=other_voter,
                choice=choice,
                remarks="" if choice == "approve" else "Not ready.",
            )
            voting.round_close(voting_round=rnd, actor=secretariat)
        draft.refresh_from_db()
        return draft

    return close
