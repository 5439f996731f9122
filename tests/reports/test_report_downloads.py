"""CSV downloads: comments, answers and votes, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.conf import settings
from django.utils import translation

from sovaz.csvsafe import safe_cell
from tests.conftest import client_for


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+7", "'+7"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"), ("plain", "plain"), (None, ""), (42, "42"),
     ("a=b", "a=b")],
)  # fmt: skip
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


def test_comments_csv_lists_published_comments_safely(story, legislator):
    response = client_for(legislator).get(f"/reports/drafts/{story.pk}/comments.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="comments-ID-2026-0001.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["id", "written", "author"]
    assert len(rows) == 1 + 5
    texts = [row[10] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in texts
    assert "Article one is vague" in texts
    kinds = {row[3] for row in rows[1:]}
    assert kinds == {"Citizen", "Business", "Public official"}
    assessment = next(row for row in rows[1:] if row[10] == "The cost is too high")
    assert assessment[7] == "obl-1"


def test_hidden_and_deleted_comments_are_not_exported(story, legislator, citizen, moderator):
    from discussions.models import Comment
    from discussions.services import comment_hide

    comment = Comment.objects.get(body="Article one is vague")
    comment_hide(comment=comment, moderator=moderator, reason="Off topic")
    rows = _rows(client_for(legislator).get(f"/reports/drafts/{story.pk}/comments.csv"))
    assert "Article one is vague" not in [row[10] for row in rows]


def test_dispositions_csv_has_answered_and_unanswered(story, legislator):
    rows = _rows(client_for(legislator).get(f"/reports/drafts/{story.pk}/dispositions.csv"))
    outcomes = [row[5] for row in rows[1:]]
    assert outcomes.count("Accepted") == 1
    assert outcomes.count("Unanswered") == 3


def test_votes_csv_has_choices_remarks_and_receipts(story, citizen):
    rows = _rows(client_for(citizen).get(f"/reports/drafts/{story.pk}/votes.csv"))
    assert [row[2] for row in rows[1:]] == ["mindigital", "minfin"]
    objection = rows[1]
    assert objection[4] == "Object" and "conflicts" in objection[5]
    receipts = {v.receipt_hash for v in story.voting_rounds.get().votes.all()}
    assert {row[9] for row in rows[1:]} == receipts


def test_a_draft_with_nothing_yet_gives_headers_only(make_draft, legislator):
    draft = make_draft()
    for part in ("comments", "dispositions", "votes"):
        rows = _rows(client_for(legislator).get(f"/reports/drafts/{draft.pk}/{part}.csv"))
        assert len(rows) == 1


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
@pytest.mark.parametrize("part", ["comments", "dispositions", "votes"])
def test_every_column_has_its_own_header_in_each_language(make_draft, legislator, part, language):
    draft = make_draft()
    client = client_for(legislator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        header = _rows(client.get(f"/reports/drafts/{draft.pk}/{part}.csv"))[0]
    assert len(set(header)) == len(header), header


def test_the_votes_csv_names_the_draft_version_and_the_vote_revision_apart(make_draft, legislator):
    draft = make_draft()
    header = _rows(client_for(legislator).get(f"/reports/drafts/{draft.pk}/votes.csv"))[0]
    assert header[1] == "draft version" and header[8] == "vote revision"
