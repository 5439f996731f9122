"""Who may see and do what with drafts: one test per persona x page/action cell."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts import permissions
from drafts.models import Draft
from tests.conftest import SAMPLE_TEXT_V2, client_for

pytestmark = pytest.mark.django_db

PERSONAS = [
    "outsider",
    "citizen",
    "business",
    "agency_editor",
    "agency_voter",
    "other_editor",
    "other_voter",
    "moderator",
    "secretariat",
    "legislator",
]


def _expect(**overrides: str) -> dict[str, str]:
    """Expected outcome per persona; `default` fills the personas not named."""
    default = overrides.pop("default")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


# Outcomes: "ok" 200, "done" 302 to the draft, "login" 302 to the login page, "403", "404".
STAFF_SEE = {"moderator": "ok", "secretariat": "ok", "legislator": "ok"}
MATRIX = {
    # Reading a draft still in drafting: its agency and the staff only.
    ("read_drafting", "detail"): _expect(
        default="404", agency_editor="ok", agency_voter="ok", **STAFF_SEE
    ),
    ("read_drafting", "history"): _expect(
        default="404", agency_editor="ok", agency_voter="ok", **STAFF_SEE
    ),
    ("read_drafting", "diff"): _expect(
        default="404", agency_editor="ok", agency_voter="ok", **STAFF_SEE
    ),
    ("read_drafting", "version"): _expect(
        default="404", agency_editor="ok", agency_voter="ok", **STAFF_SEE
    ),
    # Reading a draft in public discussion: everyone.
    ("read_public", "detail"): _expect(default="ok"),
    ("read_public", "history"): _expect(default="ok"),
    ("read_public", "diff"): _expect(default="ok"),
    ("read_public", "version"): _expect(default="ok"),
    # Editor pages: the developing agency's editors; others who see the draft get 403.
    ("write_drafting", "publish"): _expect(
        default="404",
        outsider="login",
        agency_editor="ok",
        agency_voter="403",
        moderator="403",
        secretariat="403",
        legislator="403",
    ),
    ("write_drafting", "edit"): _expect(
        default="404",
        outsider="login",
        agency_editor="ok",
        agency_voter="403",
        moderator="403",
        secretariat="403",
        legislator="403",
    ),
    ("write_public", "publish"): _expect(default="403", outsider="login", agency_editor="ok"),
    ("write_public", "edit"): _expect(default="403", outsider="login", agency_editor="ok"),
    ("create", "create"): _expect(
        default="403", outsider="login", agency_editor="ok", other_editor="ok"
    ),
    # Status actions.
    ("status_drafting", "open_discussion"): _expect(
        default="404",
        outsider="login",
        agency_editor="done",
        agency_voter="403",
        moderator="403",
        secretariat="403",
        legislator="403",
    ),
    ("status_public", "withdraw"): _expect(
        default="403", outsider="login", agency_editor="done", secretariat="done"
    ),
}
CELLS = [
    (state, action, persona, expected)
    for (state, action), row in MATRIX.items()
    for persona, expected in row.items()
]


@pytest.fixture
def user_of(request):
    def get(persona: str):
        return None if persona == "outsider" else request.getfixturevalue(persona)

    return get


def _request(client, state: str, action: str, draft: Draft):
    pk = draft.pk
    if action == "detail":
        return client.get(reverse("drafts:detail", args=[pk]))
    if action == "history":
        return client.get(reverse("drafts:history", args=[pk]))
    if action == "version":
        return client.get(reverse("drafts:version", args=[pk, 1]))
    if action == "diff":
        return client.get(reverse("drafts:diff", args=[pk]), {"from": 1, "to": 2})
    if action in ("publish", "edit"):
        return client.get(reverse(f"drafts:{action}", args=[pk]))
    if action == "create":
        return client.get(reverse("drafts:create"))
    today = timezone.localdate()
    payload = {
        "open_discussion": {
            "action": "open_discussion",
            "starts_on": today,
            "ends_on": today + timedelta(days=30),
        },
        "withdraw": {"action": "withdraw", "reason": "Kerak emas"},
    }[action]
    return client.post(reverse("drafts:status", args=[pk]), payload)


def _outcome(response, draft: Draft) -> str:
    if response.status_code == 302:
        if response.url.startswith(reverse("accounts:login")):
            return "login"
        assert response.url == draft.get_absolute_url()
        return "done"
    return "ok" if response.status_code == 200 else str(response.status_code)


@pytest.mark.parametrize(("state", "action", "persona", "expected"), CELLS)
def test_access_matrix(make_draft, user_of, state, action, persona, expected):
    public = state.endswith("public")
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=public)
    user = user_of(persona)
    response = _request(client_for(user), state, action, draft)
    assert _outcome(response, draft) == expected


# The named predicates themselves ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "editor_may_edit", "editor_may_withdraw", "secretariat_may_withdraw"),
    [
        ("drafting", True, True, True),
        ("discussion", True, True, True),
        ("voting", False, True, True),
        ("approved", False, False, False),
        ("rejected", False, False, False),
        ("sent", False, False, False),
        ("withdrawn", False, False, False),
    ],
)
def test_edit_and_withdraw_follow_the_status(
    make_draft,
    agency_editor,
    secretariat,
    status,
    editor_may_edit,
    editor_may_withdraw,
    secretariat_may_withdraw,
):
    draft = make_draft()
    draft.status = status
    assert permissions.can_edit_draft(agency_editor, draft) is editor_may_edit
    assert permissions.can_withdraw(agency_editor, draft) is editor_may_withdraw
    assert permissions.can_withdraw(secretariat, draft) is secretariat_may_withdraw
    assert permissions.can_open_discussion(agency_editor, draft) is (status == "drafting")


def test_visible_drafts_matches_can_view_draft_for_every_persona(make_draft, user_of):
    from django.contrib.auth.models import AnonymousUser

    drafts = [make_draft(), make_draft(discussion=True)]
    for persona in PERSONAS:
        user = user_of(persona) or AnonymousUser()
        visible = set(permissions.visible_drafts(user).values_list("pk", flat=True))
        expected = {d.pk for d in drafts if permissions.can_view_draft(user, d)}
        assert visible == expected, persona
