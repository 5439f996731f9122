"""Benchmark: the report page of a draft with 10,000 comments and 100 agency votes.

Run from the repository root: `python bench/bench_report.py [--comments N] [--votes N]
[--repeats N]`. It builds the draft in a fresh test database (SQLite in memory unless
DATABASE_URL is set), then times whole requests through Django's test client, signed in as a
legislator: the report page, and as baselines measured in the same run the site's home page (a
bare page through the same middleware) and the draft's impact assessment page. Figures are the
median and best of the repeats; the query count is the report's, which must not grow with the
number of comments.

`build_large_draft` is also used by tests/reports/test_report_queries.py.
"""

import argparse
import base64
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovaz.settings")

TARGET_MS = 300
KINDS = ("citizen", "business", "official")


def act_text(articles: int) -> str:
    lines = ["Ushbu qonun elektron xizmatlar to'g'risida.", ""]
    for n in range(1, articles + 1):
        lines += [f"{n}-modda. Modda {n} sarlavhasi",
                  f"1. Birinchi qism {n}: davlat organi elektron xizmat ko'rsatadi.",
                  f"2. Ikkinchi qism {n}: foydalanuvchi ariza beradi.", ""]  # fmt: skip
    return "\n".join(lines)


def build_large_draft(
    *, comments: int = 10_000, votes: int = 100, articles: int = 40, prefix: str = "bench"
):
    """A draft in a closed voting round with `comments` comments (60 % answered) and `votes`
    agencies' votes, built through the services except the comments (bulk-inserted for speed).
    Returns (draft, legislator)."""
    from discussions.models import Comment, Disposition
    from drafts import services as drafts
    from drafts.models import Draft
    from drafts.textparse import iter_nodes
    from impact import services as impact
    from impact.calculator import ObligationInput
    from sovaz.accounts.models import Agency, Membership, User
    from voting.services import round_close, round_open, vote_cast

    def person(email: str, **fields) -> User:
        user = User(email=email, full_name=email.split("@")[0].title(), **fields)
        user.set_unusable_password()
        user.save()
        return user

    agency = Agency.objects.create(code=f"{prefix}just", name_uz="Adliya", name_ru="Юстиция",
                                   name_en="Bench Justice")  # fmt: skip
    editor = person(f"editor@{prefix}.uz", kind="official")
    Membership.objects.create(user=editor, agency=agency, role=Membership.Role.EDITOR)
    secretariat = person(f"secretariat@{prefix}.uz", kind="official", is_secretariat=True)
    legislator = person(f"deputy@{prefix}.uz", kind="official", is_legislator=True)
    draft = drafts.draft_create(author=editor, agency=agency, title="Bench law", kind="law",
                                number=f"{prefix.upper()}-0001", text=act_text(articles - 1),
                                impact_level="medium")  # fmt: skip
    drafts.version_publish(draft=draft, author=editor, text=act_text(articles),
                           change_reason="One more article")  # fmt: skip
    answers = dict.fromkeys(("problem", "objectives", "legal_basis", "options",
                             "costs_benefits", "affected"), "Answered.")  # fmt: skip
    impact.assessment_revise(draft=draft, actor=editor, **answers)
    for group in ("business", "citizen", "public"):
        impact.obligation_add(draft=draft, actor=editor, obligation=ObligationInput(
            name=f"Report ({group})", group=group, tariff=Decimal("40000"), time=Decimal("1.5"),
            population=5000, frequency=Decimal("2"), external=Decimal("2000")))  # fmt: skip
    now = timezone_now()
    drafts.draft_open_discussion(draft=draft, actor=editor, starts_at=now,
                                 ends_at=now + timedelta(days=21))  # fmt: skip
    # The comments below span the last 20 days, and a round opens only after the discussion.
    Draft.objects.filter(pk=draft.pk).update(
        discussion_starts_at=now - timedelta(days=20), discussion_ends_at=now - timedelta(minutes=1)
    )
    version = draft.versions.get(number=2)
    wids = [n["wId"] for n in iter_nodes(version.structure) if n["type"] == "article"]
    authors = [person(f"{kind}{i}@{prefix}.uz", kind=kind) for i in range(30) for kind in KINDS]
    Comment.objects.bulk_create(
        (
            Comment(draft=draft, version=version, author=authors[i % len(authors)],
                    anchor_kind="provision" if i % 5 else "draft",
                    anchor_wid=wids[(i * i) % len(wids)] if i % 5 else "",
                    body=f"Comment {i}", body_html=f"<p>Comment {i}</p>",
                    created_at=now - timedelta(days=20) + timedelta(minutes=(i * 17) % 28_000))
            for i in range(comments)
        ),
        batch_size=2000,
    )  # fmt: skip
    answered = Comment.objects.filter(draft=draft).order_by("id")[: comments * 6 // 10]
    outcomes = ("accepted", "partly", "rejected", "noted")
    Disposition.objects.bulk_create(
        (Disposition(comment=c, outcome=outcomes[c.pk % 4], reasoning="Considered",
                     decided_by=editor, decided_at=now) for c in answered),
        batch_size=2000,
    )  # fmt: skip
    voters = []
    for i in range(votes):
        other = Agency.objects.create(code=f"{prefix}{i:03d}", name_uz=f"A{i}", name_ru=f"A{i}",
                                      name_en=f"Agency {i:03d}")  # fmt: skip
        voter = person(f"voter{i}@{prefix}.uz", kind="official")
        Membership.objects.create(user=voter, agency=other, role=Membership.Role.VOTER)
        voters.append((other, voter))
    voting_round = round_open(
        draft=draft, actor=secretariat, agencies=[a for a, _v in voters],
        deadline=timezone_now() + timedelta(days=3), rule="two_thirds_quorum_simple_majority",
        override_reason="Benchmark",
    )  # fmt: skip
    for i, (other, voter) in enumerate(voters):
        choice = ("approve", "approve_remarks", "object", "abstain")[i % 4]
        remarks = "" if choice == "approve" else f"Remark of agency {i} on article 3"
        vote_cast(voting_round=voting_round, agency=other, actor=voter, choice=choice,
                  remarks=remarks)  # fmt: skip
    round_close(voting_round=voting_round, actor=secretariat)
    draft.refresh_from_db()
    return draft, legislator


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def timed(client, url: str, repeats: int) -> tuple[float, float]:
    """(median, best) milliseconds of `repeats` GETs of `url`, after one warm-up."""
    assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("VOTING_SIGNING_KEY", base64.b64encode(os.urandom(32)).decode())
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("RATE_LIMITS_ENABLED", "false")

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    translation.activate("en")
    started = time.perf_counter()
    draft, legislator = build_large_draft(comments=args.comments, votes=args.votes)
    if connection.vendor == "postgresql":
        # A production database has its statistics (autovacuum); a fresh one must be told.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"built: {args.comments:,} comments, {args.votes} votes in "
          f"{time.perf_counter() - started:.1f} s ({connection.vendor})")  # fmt: skip
    client = Client()
    client.force_login(legislator)
    report_url = f"/reports/drafts/{draft.pk}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(report_url).status_code == 200
    query_count = len(queries)  # now: the captured list is a view of a log later requests reset
    figures = {
        "home page (baseline)": timed(client, "/", args.repeats),
        "impact assessment page (baseline)": timed(client, f"/impact/{draft.pk}/", args.repeats),
        "report page": timed(client, report_url, args.repeats),
    }
    home = figures["home page (baseline)"][0]
    print(f"{'page':36} {'median ms':>10} {'best ms':>9} {'x home':>8}")
    for name, (median, best) in figures.items():
        print(f"{name:36} {median:10.1f} {best:9.1f} {median / home:8.1f}")
    report_ms = figures["report page"][0]
    print(f"report queries: {query_count}")
    print(f"target < {TARGET_MS} ms: {'met' if report_ms < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
