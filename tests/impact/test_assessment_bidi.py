"""User text on the assessment pages is isolated, so a stray direction override cannot leak.

An obligation named with an unclosed U+202E RIGHT-TO-LEFT OVERRIDE reversed what followed it:
"(obl-4)" read "(4-lbo)" on the calculator and assessment pages.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from drafts.services import draft_open_discussion
from impact import services
from tests.conftest import client_for

RLO = "\u202e"
NAME = f"Report {RLO}to the tax office"
GROUP_LABEL = f"small {RLO}retailers"
REASON = f"Clarified {RLO}the problem"


@pytest.fixture
def hostile(make_draft, agency_editor, answers, obligation):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    services.obligation_add(
        draft=draft,
        actor=agency_editor,
        obligation=obligation(name=NAME, group_label=GROUP_LABEL),
    )
    now = timezone.now()
    draft = draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=30)
    )
    services.assessment_revise(
        draft=draft, actor=agency_editor, problem=f"Queues {RLO}grow", reason=REASON
    )
    return draft


@pytest.mark.parametrize("page", ["", "calculator/"])
def test_obligation_names_and_groups_are_isolated(hostile, citizen, page):
    html = client_for(citizen).get(f"/impact/{hostile.pk}/{page}").content.decode()
    assert f"<bdi>{NAME}</bdi>" in html
    assert f"<bdi>{GROUP_LABEL}</bdi>" in html
    assert "(<bdi>obl-1</bdi>)" in html


def test_the_draft_title_and_agency_are_isolated_in_the_header(hostile, citizen):
    html = client_for(citizen).get(f"/impact/{hostile.pk}/calculator/").content.decode()
    assert f"<bdi>{hostile.title}</bdi>" in html
    assert f"<bdi>{hostile.agency.name}</bdi>" in html


def test_answers_and_the_reviser_are_isolated_on_the_assessment(hostile, citizen):
    html = client_for(citizen).get(f"/impact/{hostile.pk}/").content.decode()
    assert '<div class="answer" dir="auto">' in html
    assert "by <bdi>Editor</bdi>," in html


def test_reasons_and_authors_are_isolated_in_the_history(hostile, citizen):
    html = client_for(citizen).get(f"/impact/{hostile.pk}/history/").content.decode()
    assert f"<td><bdi>{REASON}</bdi></td>" in html
    assert f"<bdi>Obligation added: {NAME}</bdi>" in html
    assert "<td><bdi>Editor</bdi></td>" in html


def test_the_comment_anchor_choice_isolates_the_name_inside_the_option(hostile, citizen):
    html = client_for(citizen).get(f"/impact/{hostile.pk}/").content.decode()
    # An <option> holds text only: the isolate is the FSI … PDI pair.
    assert f"obl-1: &#x2068;{NAME}&#x2069;</option>" in html
