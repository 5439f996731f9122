"""Benchmark: parse, wId assignment, diff and HTML rendering of a 2,000-article code.

Run from the repository root: `python bench/bench_diff.py [--seed N] [--repeats N]`.
Every figure is the best of a few repeats and is also given as a ratio against a plain
`difflib.unified_diff` over the lines of the two canonical texts, measured in the same run,
so the numbers compare across machines.
"""

import argparse
import difflib
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovaz.settings")
django.setup()  # the diff page's HTML builder translates its labels

from drafts.diffing import diff_structures
from drafts.identity import assign_wids
from drafts.templatetags.drafts_tags import diff_html
from drafts.textparse import article_count, canonical_text, parse_text

_VOCABULARY = (
    "the state body shall ensure compliance with requirements established by law "
    "citizens legal entities right obligation procedure application registration agency "
    "authorised regulation decision within days of receipt notification provided that "
    "unless otherwise stipulated person concerned appeal court responsibility violation "
    "fine administrative measure information public access personal data processing "
    "consent protection interests order manner submission document electronic form "
    "government portal ministry justice"
)
WORDS = _VOCABULARY.split()
CHAPTERS = 100
ARTICLES_PER_CHAPTER = (18, 23)  # averages ~20.5, so >= 2,000 articles

Code = list[list[list[str]]]  # chapters -> articles -> [heading, paragraph, ...]


def sentence(rng: random.Random, low: int = 8, high: int = 30) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def make_code(rng: random.Random) -> Code:
    code: Code = []
    for _ in range(CHAPTERS):
        articles = rng.randint(*ARTICLES_PER_CHAPTER)
        code.append([make_article(rng) for _ in range(articles)])
    return code


def make_article(rng: random.Random) -> list[str]:
    heading = sentence(rng, 2, 6).rstrip(".")
    return [heading] + [sentence(rng) for _ in range(rng.randint(1, 4))]


def render(code: Code) -> str:
    """Render with articles numbered through the act, as a drafter's word processor would."""
    lines = ["The Law of the Republic on benchmarking", ""]
    number = 0
    for c, articles in enumerate(code, start=1):
        lines.append(f"Chapter {c}. {sentence(random.Random(c), 2, 4).rstrip('.')}")
        for heading, *paragraphs in articles:
            number += 1
            lines.append(f"Article {number}. {heading}")
            if len(paragraphs) == 1:
                lines.append(paragraphs[0])
            else:
                lines.extend(f"{k}. {p}" for k, p in enumerate(paragraphs, start=1))
            lines.append("")
    return "\n".join(lines)


def edit_words(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(words))
        action = rng.choice(("replace", "insert", "delete"))
        if action == "replace":
            words[k] = rng.choice(WORDS)
        elif action == "insert":
            words.insert(k, rng.choice(WORDS))
        elif len(words) > 3:
            del words[k]
    return " ".join(words)


def make_version_2(rng: random.Random, code: Code) -> tuple[Code, dict[str, int]]:
    new = [[list(article) for article in chapter] for chapter in code]
    slots = [
        (c, a, p)
        for c, ch in enumerate(new)
        for a, art in enumerate(ch)
        for p in range(1, len(art))
    ]
    changed = rng.sample(slots, len(slots) // 20)  # ~5 % of paragraphs
    for c, a, p in changed:
        new[c][a][p] = edit_words(rng, new[c][a][p])
    for _ in range(20):  # delete
        chapter = rng.choice([ch for ch in new if len(ch) > 1])
        chapter.pop(rng.randrange(len(chapter)))
    moved = 0
    while moved < 10:  # move to another chapter, far away
        source, target = rng.sample(new, 2)
        if len(source) > 1:
            target.insert(rng.randrange(len(target) + 1), source.pop(rng.randrange(len(source))))
            moved += 1
    for _ in range(20):  # insert
        chapter = rng.choice(new)
        chapter.insert(rng.randrange(len(chapter) + 1), make_article(rng))
    return new, {"paragraphs changed": len(changed), "deleted": 20, "moved": 10, "inserted": 20}


def best_of(repeats: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    code_1 = make_code(rng)
    code_2, edits = make_version_2(rng, code_1)
    text_1, text_2 = render(code_1), render(code_2)

    v1 = assign_wids(parse_text(text_1), None)
    fresh_2 = parse_text(text_2)
    v2 = assign_wids(fresh_2, v1)
    lines_1 = canonical_text(v1).splitlines()
    lines_2 = canonical_text(v2).splitlines()
    diff = diff_structures(v1, v2)

    print(f"v1: {article_count(v1)} articles in {CHAPTERS} chapters, {len(text_1):,} chars")
    print(f"v2 edits: {edits}")
    print(f"diff counts: {diff.counts}, moved flag: {sum(a.moved for a in diff.articles)}")
    baseline = best_of(args.repeats, lambda: list(difflib.unified_diff(lines_1, lines_2)))
    figures = {
        "parse v1": best_of(args.repeats, lambda: parse_text(text_1)),
        "parse v2": best_of(args.repeats, lambda: parse_text(text_2)),
        "assign_wids": best_of(args.repeats, lambda: assign_wids(fresh_2, v1)),
        "diff": best_of(args.repeats, lambda: diff_structures(v1, v2)),
        "HTML inline, changed only": best_of(
            args.repeats, lambda: diff_html(diff, "inline", False, "uz")
        ),
        "HTML side by side, whole text": best_of(
            args.repeats, lambda: diff_html(diff, "side", True, "uz")
        ),
    }
    # What the diff page of two stored versions costs: parse and wIds were paid at publishing.
    figures["diff page work (diff + side by side whole)"] = (
        figures["diff"] + figures["HTML side by side, whole text"]
    )
    print(f"baseline (difflib.unified_diff over canonical lines): {baseline:.3f} s")
    for name, seconds in figures.items():
        print(f"{name}: {seconds:.3f} s = {seconds / baseline:.1f}x plain difflib line diff")


if __name__ == "__main__":
    main()
