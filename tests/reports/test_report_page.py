"""The report of a draft: every section with real data, and who may read it."""

import pytest

from tests.conftest import client_for

SECTIONS = [
    "Status and timeline",
    "Versions and what changed",
    "Comments",
    "Answers to comments",
    "Impact assessment",
    "Agency votes",
    "Integrity of the voting record",
]


def test_the_report_shows_every_section_with_real_data(story, legislator):
    response = client_for(legislator).get(f"/reports/drafts/{story.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in SECTIONS:
        assert f">{heading}</h2>" in html
    assert "No data yet." not in html
    # timeline
    assert "Draft created" in html and "Voting round opened" in html
    assert "Voting round closed" in html
    # versions: v2 added an article and changed another
    assert "v2" in html
    # comments: totals, charts, heat map
    assert "comments and replies" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "heat heat-5" in html
    assert '3 comments<span class="heat-kinds"> (Citizen: 3)</span>' in html
    # answers
    assert "Unanswered comments" in html and "The cost is too high" in html
    # assessment
    assert "440,000,000.00" in html
    # votes with remarks, escaped
    assert "Object" in html and "&lt;script&gt;conflicts&lt;/script&gt;" in html
    assert "<script>conflicts" not in html
    # integrity
    assert "The ledger was verified" in html
    assert story.voting_rounds.get().votes.first().receipt_hash in html


def test_the_title_is_escaped(story, legislator):
    html = client_for(legislator).get(f"/reports/drafts/{story.pk}/").content.decode()
    assert "E-services &lt;b&gt;law&lt;/b&gt;" in html


def test_a_new_draft_says_no_data_yet_instead_of_failing(make_draft, legislator):
    draft = make_draft()
    response = client_for(legislator).get(f"/reports/drafts/{draft.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "E-parliament bundle (JSON)" not in html
    assert html.count("No data yet.") >= 4
    assert "No comments yet." in html


# (persona, drafting draft, public draft)
REPORT_MATRIX = [
    (None, 404, 200),
    ("citizen", 404, 200),
    ("business", 404, 200),
    ("other_editor", 404, 200),
    ("agency_editor", 200, 200),
    ("agency_voter", 200, 200),
    ("legislator", 200, 200),
    ("secretariat", 200, 200),
    ("moderator", 200, 200),
]


@pytest.mark.parametrize(("persona", "drafting", "public"), REPORT_MATRIX)
def test_the_report_is_readable_by_whoever_may_read_the_draft(
    request, make_draft, agency_editor, persona, drafting, public
):
    from datetime import timedelta

    from django.utils import timezone

    from drafts.services import draft_open_discussion

    user = request.getfixturevalue(persona) if persona else None
    draft = make_draft()
    urls = [f"/reports/drafts/{draft.pk}/{part}" for part in
            ("", "comments.csv", "dispositions.csv", "votes.csv")]  # fmt: skip
    for url in urls:
        assert client_for(user).get(url).status_code == drafting, url
    now = timezone.now()
    draft_open_discussion(draft=draft, actor=agency_editor, starts_at=now,
                          ends_at=now + timedelta(days=20))  # fmt: skip
    for url in urls:
        assert client_for(user).get(url).status_code == public, url


def test_an_unknown_draft_is_404(legislator):
    assert client_for(legislator).get("/reports/drafts/999999/").status_code == 404


def test_votes_of_an_open_round_are_hidden_from_the_public(
    make_draft, agency_editor, secretariat, other_agency, other_voter, citizen
):
    from datetime import timedelta

    from django.utils import timezone

    from voting.services import round_open, vote_cast

    draft = make_draft(discussion_over=True)
    voting_round = round_open(
        draft=draft, actor=secretariat, agencies=[other_agency],
        deadline=timezone.now() + timedelta(days=3), rule="two_thirds_quorum_simple_majority",
    )  # fmt: skip
    vote = vote_cast(voting_round=voting_round, agency=other_agency, actor=other_voter,
                     choice="object", remarks="Secret until closing")  # fmt: skip
    public = client_for(citizen).get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert "Secret until closing" not in public and vote.receipt_hash not in public
    assert "Voted; shown when the round closes." in public
    own = client_for(other_voter).get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert "Secret until closing" in own
    csv_public = b"".join(client_for(citizen).get(f"/reports/drafts/{draft.pk}/votes.csv"))
    assert b"Secret until closing" not in csv_public


def test_the_report_links_the_e_parliament_bundle_once_exported(story, legislator):
    from eparliament.models import Export

    html = client_for(legislator).get(f"/reports/drafts/{story.pk}/").content.decode()
    export = Export.objects.get(draft=story, is_valid=True)  # made when the round closed
    assert f'href="/api/exports/{export.pk}"' in html
    response = client_for(None).get(f"/api/exports/{export.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


def test_the_timeline_names_a_closed_round_s_outcome_in_the_reader_s_language(story, legislator):
    from reports.selectors import timeline
    from sovaz.audit.models import ActionLog
    from voting.models import Round

    closed = [e for e in timeline(story, [story.voting_rounds.get().pk]) if "closed" in e.code]
    assert closed, "the story's round is closed"
    raw = ActionLog.objects.get(code="voting.round.closed").data["outcome"]
    label = str(dict(Round.Outcome.choices)[raw])
    assert [entry.detail for entry in closed] == [label] and label != raw
    page = client_for(legislator).get(
        f"/reports/drafts/{story.pk}/", headers={"accept-language": "ru"}
    )
    assert f">{raw}<" not in page.content.decode()
