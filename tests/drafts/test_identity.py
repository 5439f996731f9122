import random

from drafts.identity import assign_wids
from drafts.textparse import iter_nodes, parse_text

Article = tuple[str, list[str]]

BASE: list[Article] = [
    ("Purpose", ["This Law governs electronic public services."]),
    ("Definitions", ["Service means a public service.", "User means a person."]),
    ("Scope", ["This Law applies to every state body."]),
    ("Registration", ["A user registers on the portal.", "Registration is free."]),
    ("Entry into force", ["This Law enters into force three months after publication."]),
]


def render(articles: list[Article], chapters: dict[int, str] | None = None) -> str:
    """Number articles through the act, as a drafter would after every edit."""
    lines = []
    for n, (heading, paragraphs) in enumerate(articles, start=1):
        if chapters and n in chapters:
            lines.append(f"Chapter {len([k for k in chapters if k <= n])}. {chapters[n]}")
        lines.append(f"Article {n}. {heading}")
        lines.extend(f"{k}. {p}" if len(paragraphs) > 1 else p for k, p in enumerate(paragraphs, 1))
        lines.append("")
    return "\n".join(lines)


def version(
    articles: list[Article],
    previous: dict | None = None,
    *,
    chapters: dict[int, str] | None = None,
    retired: frozenset[str] = frozenset(),
) -> dict:
    return assign_wids(parse_text(render(articles, chapters)), previous, retired=retired)


def wid_of(structure: dict, heading: str) -> str:
    return next(n["wId"] for n in iter_nodes(structure) if n["heading"] == heading)


def wids(structure: dict) -> list[str]:
    return [n["wId"] for n in iter_nodes(structure)]


def article_wids(structure: dict) -> list[str]:
    return [n["wId"] for n in iter_nodes(structure) if n["type"] == "article"]


def test_first_version_wids_equal_eids() -> None:
    v1 = version(BASE)
    assert all(n["wId"] == n["eId"] for n in iter_nodes(v1))


def test_article_inserted_in_the_middle_gets_a_fresh_wid_and_the_rest_keep_theirs() -> None:
    v1 = version(BASE)
    v2 = version([*BASE[:2], ("Principles", ["Services are open to all."]), *BASE[2:]], v1)
    assert [n["eId"] for n in iter_nodes(v2) if n["type"] == "article"][2] == "art_3"
    assert article_wids(v2) == ["art_1", "art_2", "art_6", "art_3", "art_4", "art_5"]
    assert wid_of(v2, "Scope") == "art_3"


def test_renumbered_article_keeps_its_paragraph_wids() -> None:
    v1 = version(BASE)
    v2 = version([("Principles", ["Open."]), *BASE], v1)
    registration = next(n for n in iter_nodes(v2) if n["heading"] == "Registration")
    assert registration["eId"] == "art_5"
    assert [p["wId"] for p in registration["children"]] == ["art_4__para_1", "art_4__para_2"]
    assert [p["eId"] for p in registration["children"]] == ["art_5__para_1", "art_5__para_2"]


def test_deleted_article_leaves_the_others_untouched() -> None:
    v2 = version([a for a in BASE if a[0] != "Scope"], version(BASE))
    assert article_wids(v2) == ["art_1", "art_2", "art_4", "art_5"]


def test_moved_article_keeps_its_wid() -> None:
    moved = [BASE[4], *BASE[:4]]
    v2 = version(moved, version(BASE))
    assert article_wids(v2) == ["art_5", "art_1", "art_2", "art_3", "art_4"]


def test_renamed_heading_keeps_the_wid_through_identical_text() -> None:
    renamed = [*BASE[:2], ("Field of application", BASE[2][1]), *BASE[3:]]
    v2 = version(renamed, version(BASE))
    assert wid_of(v2, "Field of application") == "art_3"


def test_changed_text_keeps_the_wid_through_the_heading() -> None:
    changed = [*BASE[:4], ("Entry into force", ["This Law enters into force on 1 January."])]
    v2 = version(changed, version(BASE))
    assert wid_of(v2, "Entry into force") == "art_5"


def test_reworded_and_renamed_article_keeps_its_wid_when_similar_enough() -> None:
    text = "This Law enters into force six months after its official publication."
    v2 = version([*BASE[:4], ("Commencement", [text])], version(BASE))
    assert wid_of(v2, "Commencement") == "art_5"


def test_unrelated_replacement_article_gets_a_fresh_wid() -> None:
    v2 = version([*BASE[:4], ("Fees", ["Agencies charge no fee for a copy."])], version(BASE))
    assert wid_of(v2, "Fees") == "art_6"


def test_wids_continue_across_three_versions() -> None:
    v1 = version(BASE)
    # v2: insert in the middle, delete "Scope", change the text of "Entry into force".
    v2_articles = [*BASE[:2], ("Principles", ["Services are open to all."]), BASE[3]]
    v2_articles.append(("Entry into force", ["This Law enters into force on publication."]))
    v2 = version(v2_articles, v1)
    # v3: move "Entry into force" to the front, rename "Definitions", add a new article.
    v3_articles = [v2_articles[4], v2_articles[0], ("Terms", BASE[1][1]), *v2_articles[2:4]]
    v3_articles.append(("Liability", ["Violations are punished by law."]))
    v3 = version(v3_articles, v2)
    assert article_wids(v2) == ["art_1", "art_2", "art_6", "art_4", "art_5"]
    assert article_wids(v3) == ["art_5", "art_1", "art_2", "art_6", "art_4", "art_7"]
    assert wid_of(v3, "Principles") == wid_of(v2, "Principles") == "art_6"


def test_fresh_wid_skips_wids_retired_in_older_versions() -> None:
    v1 = version(BASE)
    v2 = version(BASE[:4], v1)  # art_5 is deleted and absent from v2
    v3 = version(
        [*BASE[:4], ("Fees", ["Agencies charge no fee."])], v2, retired=frozenset({"art_5"})
    )
    assert wid_of(v3, "Fees") == "art_6"


def test_fresh_wid_uses_the_eid_when_it_was_never_used() -> None:
    v2 = version([*BASE, ("Liability", ["Violations are punished."])], version(BASE))
    assert wid_of(v2, "Liability") == "art_6"
    v2_front = version([("Liability", ["Violations are punished."]), *BASE], version(BASE))
    assert wid_of(v2_front, "Liability") == "art_6"


def test_inserted_paragraph_gets_a_fresh_wid_under_its_article() -> None:
    v1 = version(BASE)
    paragraphs = ["A citizen or business may register.", *BASE[3][1]]
    v2 = version([*BASE[:3], ("Registration", paragraphs), BASE[4]], v1)
    registration = next(n for n in iter_nodes(v2) if n["heading"] == "Registration")
    assert [p["wId"] for p in registration["children"]] == [
        "art_4__para_3",
        "art_4__para_1",
        "art_4__para_2",
    ]


def test_changed_paragraph_keeps_its_wid() -> None:
    paragraphs = ["A user registers on the portal or in a service centre.", "Registration is free."]
    v2 = version([*BASE[:3], ("Registration", paragraphs), BASE[4]], version(BASE))
    registration = next(n for n in iter_nodes(v2) if n["heading"] == "Registration")
    assert [p["wId"] for p in registration["children"]] == ["art_4__para_1", "art_4__para_2"]


def test_inserted_article_paragraphs_live_under_its_fresh_wid() -> None:
    v2 = version([("Principles", ["Open.", "Free."]), *BASE], version(BASE))
    principles = next(n for n in iter_nodes(v2) if n["heading"] == "Principles")
    assert principles["wId"] == "art_6"
    assert [p["wId"] for p in principles["children"]] == ["art_6__para_1", "art_6__para_2"]


def test_renamed_chapter_keeps_its_wid_and_inserted_chapter_gets_a_fresh_one() -> None:
    v1 = version(BASE, chapters={1: "General", 4: "Final"})
    v2_articles = [("Principles", ["Services are open to all."]), *BASE]
    v2 = version(v2_articles, v1, chapters={1: "Principles", 2: "General rules", 5: "Final"})
    assert [c["wId"] for c in v2["body"]] == ["chp_3", "chp_1", "chp_2"]
    assert [c["eId"] for c in v2["body"]] == ["chp_1", "chp_2", "chp_3"]


def test_chapter_with_a_new_heading_and_new_articles_falls_back_to_its_position() -> None:
    v1 = version(BASE[:1], chapters={1: "General"})
    v2 = version([("Fees", ["No fee is charged."])], v1, chapters={1: "Money"})
    assert [c["wId"] for c in v2["body"]] == ["chp_1"]


def test_assign_wids_leaves_its_inputs_alone() -> None:
    v1 = version(BASE)
    fresh = parse_text(render([("Principles", ["Open."]), *BASE]))
    before = repr(fresh), repr(v1)
    assign_wids(fresh, v1)
    assert (repr(fresh), repr(v1)) == before


def test_identical_boilerplate_articles_keep_their_order() -> None:
    repealed = [("", ["Repealed."]), ("", ["Repealed."]), BASE[0]]
    v2 = version([BASE[0], *repealed[:2]], version(repealed))
    assert article_wids(v2) == ["art_3", "art_1", "art_2"]


def make_code(rng: random.Random, size: int) -> list[Article]:
    words = ["state", "body", "shall", "law", "right", "duty", "order", "court", "fine", "data"]

    def sentence() -> str:
        return " ".join(rng.choices(words, k=rng.randint(8, 20))).capitalize() + "."

    return [
        (" ".join(rng.choices(words, k=4)).title(), [sentence() for _ in range(rng.randint(1, 4))])
        for _ in range(size)
    ]


def test_large_code_with_many_edits_keeps_wids_unique() -> None:
    rng = random.Random(7)
    old = make_code(rng, 2000)
    new = list(old)
    for k in rng.sample(range(2000), 100):
        heading, paragraphs = new[k]
        new[k] = (heading, [*paragraphs[:-1], paragraphs[-1] + " Amended."])
    for k in rng.sample(range(len(new)), 20):
        new.insert(k, make_code(rng, 1)[0])
    v1 = version(old)
    fresh = parse_text(render(new))
    v2 = assign_wids(fresh, v1)
    assert len(set(wids(v2))) == len(wids(v2))
    assert len(set(article_wids(v2)) - set(article_wids(v1))) == 20


def test_completely_rewritten_code_gets_unique_wids() -> None:
    # Its speed is measured in bench/bench_diff.py, not here.
    rng = random.Random(8)
    v1 = version(make_code(rng, 2000))
    fresh = parse_text(render(make_code(rng, 2000)))
    v2 = assign_wids(fresh, v1)
    assert len(set(wids(v2))) == len(wids(v2))
