"""The report of a big draft is aggregated in the database: a fixed number of queries."""

from datetime import UTC, datetime

import pytest

from bench.bench_report import build_large_draft
from tests.conftest import client_for

MAX_QUERIES = 30


@pytest.mark.django_db
def test_report_of_10000_comments_and_100_votes_makes_as_many_queries_as_a_small_one(
    django_assert_max_num_queries,
):
    small, legislator = build_large_draft(comments=20, votes=2, prefix="small")
    big, _same_role = build_large_draft(comments=10_000, votes=100, prefix="big")
    client = client_for(legislator)
    counts = []
    for draft in (small, big):
        client.get(f"/reports/drafts/{draft.pk}/")  # warm the per-process caches
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(f"/reports/drafts/{draft.pk}/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert ">10,000</span> comments and replies" in html
    assert "The first 100 of 4,000 unanswered comments are listed" in html
    assert html.count("Remark of agency") == 75  # 100 votes, a quarter plain approvals
    assert "The ledger was verified" in html


def test_comments_are_counted_on_their_local_day(story, legislator, monkeypatch):
    from discussions.models import Comment
    from reports.selectors import comment_stats

    # 20:30 UTC is 01:30 the next morning in Tashkent (UTC+5).
    Comment.objects.filter(draft=story).update(created_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    stats = comment_stats(story, story.versions.latest())
    assert [(day.isoformat(), n) for day, n in stats.per_day] == [("2026-03-02", 5)]
