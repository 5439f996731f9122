"""The legislators' dashboard: who may open it, filters, counts and deadlines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from discussions import services
from tests.conftest import client_for


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("legislator", 200), ("secretariat", 200), ("moderator", 200), ("agency_editor", 200),
     ("agency_voter", 200), ("citizen", 403), ("business", 403)],
)  # fmt: skip
def test_the_dashboard_is_for_legislators_and_officials(request, persona, expected):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/reports/").status_code == expected


def test_anonymous_visitors_are_asked_to_sign_in(db):
    response = client_for(None).get("/reports/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def drafts(make_draft, other_agency):
    return {
        "drafting": make_draft(title="Still drafting"),
        "discussion": make_draft(title="Under discussion", discussion=True, kind="decree"),
        "other": make_draft(title="Another discussion", discussion=True),
    }


def test_officials_of_another_agency_see_only_public_drafts(drafts, other_editor, legislator):
    html = client_for(other_editor).get("/reports/").content.decode()
    assert "Under discussion" in html and "Still drafting" not in html
    assert "Still drafting" in client_for(legislator).get("/reports/").content.decode()


def test_filters_by_status_kind_and_agency(drafts, legislator, agency):
    client = client_for(legislator)
    html = client.get("/reports/?status=discussion&kind=decree").content.decode()
    assert "Under discussion" in html and "Another discussion" not in html
    assert "1 draft<" in html
    html = client.get(f"/reports/?agency={agency.pk}&status=drafting").content.decode()
    assert "Still drafting" in html and "Under discussion" not in html


def test_filters_by_period(drafts, legislator):
    client = client_for(legislator)
    today = timezone.localdate()
    html = client.get(f"/reports/?since={today - timedelta(days=1)}&until={today}").content
    assert b"Still drafting" in html
    html = client.get(f"/reports/?until={today - timedelta(days=3)}").content
    assert b"Still drafting" not in html


@pytest.mark.parametrize(
    "query", ["status=nope", "kind=%3Cscript%3E", "agency=999999", "since=yesterday",
              "since=2026-05-02&until=2026-05-01", "agency=1%27%20OR%201%3D1--"],
)  # fmt: skip
def test_bad_filters_are_a_400_not_a_500(drafts, legislator, query):
    response = client_for(legislator).get(f"/reports/?{query}")
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()


def test_counts_per_status(drafts, legislator):
    html = client_for(legislator).get("/reports/").content.decode()
    discussion = '<span class="badge status-discussion">Public discussion</span> <strong>2</strong>'
    assert discussion in html
    assert '<span class="badge status-drafting">Drafting</span> <strong>1</strong>' in html


def test_upcoming_deadlines_list_discussions_and_votes_soonest_first(
    drafts, legislator, secretariat, other_agency
):
    from tests.conftest import end_discussion
    from voting.services import round_open

    end_discussion(drafts["other"])  # a round opens only after the discussion
    round_open(draft=drafts["other"], actor=secretariat, agencies=[other_agency],
               deadline=timezone.now() + timedelta(days=2),
               rule="two_thirds_quorum_simple_majority")  # fmt: skip
    html = client_for(legislator).get("/reports/").content.decode()
    deadlines = html[html.index("Upcoming deadlines") : html.index("</aside>")]
    assert "Voting deadline" in deadlines and "Discussion closes" in deadlines
    assert deadlines.index("Voting deadline") < deadlines.index("Discussion closes")


def test_the_dashboard_makes_a_bounded_number_of_queries(
    make_draft, legislator, django_assert_max_num_queries
):
    for n in range(30):
        make_draft(title=f"Draft {n}", discussion=n % 2 == 0)
    client = client_for(legislator)
    with django_assert_max_num_queries(12):
        assert client.get("/reports/").status_code == 200


def test_comment_counts_leave_out_deleted_comments_as_the_report_does(drafts, legislator, citizen):
    draft = drafts["discussion"]
    services.comment_create(draft=draft, author=citizen, body="Kept")
    gone = services.comment_create(draft=draft, author=citizen, body="Withdrawn")
    services.comment_delete(comment=gone, author=citizen)
    client = client_for(legislator)
    html = client.get("/reports/?status=discussion&kind=decree").content.decode()
    assert '<td class="num">1</td>' in html
    report = client.get(f"/reports/drafts/{draft.pk}/")
    assert report.context["report"].comments.total == 1
