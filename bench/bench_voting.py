"""Voting under load: concurrent vote_cast throughput and verify_ledger speed.

Run against a scratch PostgreSQL database (it is created and migrated, then emptied of voting
rows on each run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sovaz_voting_bench \
        .venv/bin/python bench/bench_voting.py --agencies 30 --attempts 10 --threads 30
"""

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovaz.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.IMPACT_ASSESSMENT_REQUIRED = False


def setup(n_agencies: int):
    from drafts import services as drafts
    from drafts.models import Draft
    from sovaz.accounts.models import Agency, Membership, User
    from voting import services

    tag = f"b{int(time.time())}"
    home = Agency.objects.create(code=f"{tag}home", name_uz="h", name_ru="h", name_en="Home")
    editor = User.objects.create_user(email=f"editor@{tag}.uz", password=None, full_name="E")
    Membership.objects.create(user=editor, agency=home, role="editor")
    secretariat = User.objects.create_user(
        email=f"sec@{tag}.uz", password=None, full_name="S", is_secretariat=True
    )
    text = "\n\n".join(f"{i}-modda. Modda {i}\nMatn {i}." for i in range(1, 51))
    draft = drafts.draft_create(
        author=editor,
        agency=home,
        title="Bench",
        kind="law",
        number=f"BENCH-{tag}",
        text=text,
        impact_level="low",
    )
    now = timezone.now()
    drafts.draft_open_discussion(
        draft=draft,
        actor=editor,
        starts_at=now,
        ends_at=now + timedelta(days=30),
    )
    # A round opens only after the public discussion: move the period into the past.
    Draft.objects.filter(pk=draft.pk).update(
        discussion_starts_at=now - timedelta(days=30), discussion_ends_at=now - timedelta(minutes=1)
    )
    pairs = []
    for i in range(n_agencies):
        agency = Agency.objects.create(code=f"{tag}{i}", name_uz="a", name_ru="a", name_en=f"A{i}")
        voter = User.objects.create_user(email=f"v{i}@{tag}.uz", password=None, full_name="V")
        Membership.objects.create(user=voter, agency=agency, role="voter")
        pairs.append((agency, voter))
    voting_round = services.round_open(
        draft=draft,
        actor=secretariat,
        agencies=[a for a, _ in pairs],
        deadline=now + timedelta(days=2),
        rule="two_thirds_quorum_simple_majority",
        override_reason="bench",
    )
    return voting_round, pairs, secretariat


def run(voting_round, pairs, attempts: int, threads: int) -> list[float]:
    from voting import services

    tasks = [(a, v, i) for a, v in pairs for i in range(attempts)]
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work():
        barrier.wait()
        while True:
            with lock:
                if not tasks:
                    break
                agency, voter, i = tasks.pop()
            start = time.perf_counter()
            services.vote_cast(
                voting_round=voting_round,
                agency=agency,
                actor=voter,
                choice=["approve", "object"][i % 2],
                remarks="" if i % 2 == 0 else "Remarks",
            )
            with lock:
                latencies.append(time.perf_counter() - start)
        connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--attempts", type=int, default=10)
    parser.add_argument("--threads", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from voting import services
    from voting.ledger import verify_ledger
    from voting.models import LedgerEntry

    voting_round, pairs, secretariat = setup(args.agencies)
    start = time.perf_counter()
    latencies = run(voting_round, pairs, args.attempts, args.threads)
    wall = time.perf_counter() - start
    start = time.perf_counter()
    services.round_close(voting_round=voting_round, actor=secretariat)
    close = time.perf_counter() - start
    entries = LedgerEntry.objects.count()
    start = time.perf_counter()
    report = verify_ledger()
    verify = time.perf_counter() - start
    latencies.sort()
    print(f"database: {connection.vendor}; {len(latencies)} votes from {args.threads} threads")
    print(f"votes/s               {len(latencies) / wall:8.1f}")
    print(f"latency median (ms)   {statistics.median(latencies) * 1000:8.1f}")
    print(f"latency p95 (ms)      {latencies[int(len(latencies) * 0.95)] * 1000:8.1f}")
    print(f"close (ms)            {close * 1000:8.1f}")
    print(
        f"verify_ledger         {verify:8.2f} s for {entries} entries "
        f"({entries / verify:,.0f} entries/s); intact: {report.problem is None}"
    )


if __name__ == "__main__":
    main()
