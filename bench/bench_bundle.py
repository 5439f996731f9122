"""Benchmark: build and validate the e-parliament bundle of a large closed round.

A generated 2,000-article draft, 100 agencies' votes and 10,000 public comments (each with a
disposition) go through every stage the export runs at close: cleaning, canonical JSON, the
four Akoma Ntoso documents, XSD validation and the delivery body. The serializers take plain
data, so no database is needed.

Run from the repository root: `python bench/bench_bundle.py [--seed N] [--repeats N]`.
Each figure is the best of a few repeats and is also given as a ratio against baselines
measured in the same run (plain `json.dumps` of the same data; lxml parse + serialise of the
XML produced), so the numbers compare across machines. Target: the whole bundle under 2 s.
"""

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovaz.settings")

import django

django.setup()

from lxml import etree

from eparliament import akn, bundle_json

WORDS = [
    "davlat",
    "organi",
    "qonun",
    "hujjat",
    "fuqaro",
    "huquq",
    "majburiyat",
    "tartib",
    "ariza",
    "ro'yxat",
    "vazirlik",
    "qaror",
    "muddat",
    "kun",
    "xabar",
    "shaxs",
    "sud",
    "javobgarlik",
    "jarima",
    "elektron",
    "xizmat",
    "portal",
    "ma'lumot",
    "himoya",
    "rozilik",
    "manfaat",
    "shakl",
    "hujjatlar",
    "taqdim",
    "etish",
    "belgilangan",
    "hollarda",
]
CHOICES = ["approve", "approve_remarks", "object", "abstain"]
OUTCOMES = ["accepted", "partly", "rejected", "noted", "unanswered"]


def sentence(rng: random.Random, low: int = 8, high: int = 30) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def structure(rng: random.Random, articles: int) -> dict:
    body, n = [], 0
    for c in range(1, articles // 20 + 1):
        chapter = {
            "type": "chapter",
            "num": str(c),
            "heading": sentence(rng, 2, 5),
            "text": "",
            "eId": f"chp_{c}",
            "wId": f"chp_{c}",
            "children": [],
        }
        for _ in range(20):
            n += 1
            article = {
                "type": "article",
                "num": str(n),
                "heading": sentence(rng, 2, 6),
                "text": "",
                "eId": f"art_{n}",
                "wId": f"art_{n}",
                "children": [],
            }
            for p in range(1, rng.randint(1, 4) + 1):
                eid = f"art_{n}__para_{p}"
                article["children"].append(
                    {
                        "type": "paragraph",
                        "num": str(p),
                        "heading": "",
                        "text": sentence(rng),
                        "eId": eid,
                        "wId": eid,
                        "children": [],
                    }
                )
            chapter["children"].append(article)
        body.append(chapter)
    return {"preamble": sentence(rng), "body": body}


def agency(i: int) -> dict:
    return {
        "code": f"ag{i:03d}",
        "name_uz": f"Vazirlik {i}",
        "name_ru": f"Министерство {i}",
        "name_en": f"Ministry {i}",
    }


def bundle(seed: int, articles: int = 2000, agencies: int = 100, comments: int = 10_000):
    rng = random.Random(seed)
    at = "2026-03-01T09:00:00Z"
    votes = [
        {
            "agency": agency(i),
            "choice": rng.choice(CHOICES),
            "remarks": sentence(rng),
            "article_wids": [f"art_{rng.randint(1, articles)}"],
            "cast_at": at,
        }
        for i in range(1, agencies + 1)
    ]
    counts = {c: sum(v["choice"] == c for v in votes) for c in CHOICES}
    return {
        "schema_version": 1,
        "generated_at": at,
        "country": "uz",
        "draft": {
            "id": 1,
            "number": "ID-2026-9999",
            "title": sentence(rng),
            "kind": "law",
            "language": "uz",
            "summary": sentence(rng),
            "status": "approved",
            "impact_level": "high",
            "agency": agency(0),
            "submitted_on": "2026-01-05",
        },
        "version": {
            "number": 3,
            "date": "2026-02-20",
            "created_at": at,
            "change_reason": "x",
            "text_hash": "ab" * 32,
            "structure": structure(rng, articles),
        },
        "workflow": [
            {"event": e, "at": at, "by": "portal"}
            for e in [
                "submitted",
                "discussion_opened",
                "discussion_closed",
                "voting_opened",
                "voting_closed",
            ]
        ],
        "round": {
            "id": 1,
            "rule": "two_thirds_quorum_simple_majority",
            "opened_at": at,
            "deadline": at,
            "closed_at": at,
            "close_reason": "deadline",
            "eligible": agencies,
            "turnout": agencies,
            "quorum_met": True,
            "outcome": "approved",
            "result_hash": "cd" * 32,
            "counts": counts,
            "votes": votes,
        },
        "comments": {"public_count": comments},
        "dispositions": [
            {
                "comment_id": i,
                "anchor_kind": "provision",
                "anchor_wid": f"art_{rng.randint(1, articles)}",
                "author_kind": rng.choice(["citizen", "business"]),
                "text": sentence(rng, 10, 60),
                "created_at": at,
                "outcome": rng.choice(OUTCOMES),
                "reasoning": sentence(rng),
                "decided_at": at,
                "changed_in_version": None,
            }
            for i in range(1, comments + 1)
        ],
        "impact": None,
    }


def best(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    raw = bundle(args.seed)

    compile_s, _schema = best(lambda: (akn.schema.cache_clear(), akn.schema()), 1)
    rows: list[tuple[str, float]] = []
    t, data = best(lambda: bundle_json.clean(raw), args.repeats)
    rows.append(("clean text (control characters)", t))
    t, canonical = best(lambda: bundle_json.dumps(data), args.repeats)
    rows.append(("canonical JSON", t))
    t, docs = best(lambda: akn.documents(data), args.repeats)
    rows.append((f"render {len(docs)} AKN documents", t))
    t, problems = best(lambda: [p for x in docs.values() for p in akn.validate(x)], args.repeats)
    rows.append(("validate (XSD + references)", t))
    assert not problems, problems[:5]
    texts = {name: xml.decode() for name, xml in docs.items()}
    t, body = best(
        lambda: bundle_json.envelope(kind="round.closed", bundle=data, documents=texts),
        args.repeats,
    )
    rows.append(("delivery body (envelope)", t))
    total = sum(t for _name, t in rows)

    json_base, _ = best(lambda: json.dumps(raw), args.repeats)
    xml_base, _ = best(
        lambda: [etree.tostring(etree.fromstring(x)) for x in docs.values()], args.repeats
    )
    sizes = ", ".join(f"{name} {len(x) / 1e6:.1f} MB" for name, x in docs.items())
    print(
        f"bundle: 2,000 articles, 100 votes, 10,000 comments; JSON {len(canonical) / 1e6:.1f} MB,"
        f" body {len(body) / 1e6:.1f} MB; {sizes}"
    )
    print(f"{'stage':36} {'seconds':>8} {'x json.dumps':>13} {'x lxml parse+ser':>17}")
    for name, t in [*rows, ("TOTAL (per export)", total)]:
        print(f"{name:36} {t:8.3f} {t / json_base:13.1f} {t / xml_base:17.1f}")
    print(f"{'baseline: json.dumps':36} {json_base:8.3f}")
    print(f"{'baseline: lxml parse + serialise':36} {xml_base:8.3f}")
    print(f"{'XSD compile (once per process)':36} {compile_s:8.3f}")
    print(f"target < 2 s: {'met' if total < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
