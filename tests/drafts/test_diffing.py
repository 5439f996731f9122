import dataclasses
import itertools
import random

import pytest

from drafts.diffing import ArticleDiff, DraftDiff, WordOp, diff_structures, word_ops
from drafts.identity import assign_wids
from drafts.textparse import parse_text

PURPOSE = "Purpose\nThis Law governs electronic public services."
DEFINITIONS = "Definitions\n1. Service means a public service.\n2. User means a person."
SCOPE = "Scope\nThis Law applies to every state body."
REGISTRATION = "Registration\n1. A user registers on the portal.\n2. Registration is free."
FORCE = "Entry into force\nThis Law enters into force three months after publication."


def act(*articles: str) -> str:
    """Number the articles through the act, as a drafter would after every edit."""
    return "\n\n".join(f"Article {n}. {a}" for n, a in enumerate(articles, start=1))


V1 = act(PURPOSE, DEFINITIONS, SCOPE, REGISTRATION, FORCE)


def versions(*texts: str) -> list[dict]:
    result: list[dict] = []
    for text in texts:
        result.append(assign_wids(parse_text(text), result[-1] if result else None))
    return result


def diff(old_text: str, new_text: str) -> DraftDiff:
    old, new = versions(old_text, new_text)
    return diff_structures(old, new)


def by_wid(result: DraftDiff) -> dict[str, ArticleDiff]:
    return {a.wid: a for a in result.articles}


def old_side(ops: tuple[WordOp, ...]) -> str:
    return "".join(op.text for op in ops if op.op != "insert")


def new_side(ops: tuple[WordOp, ...]) -> str:
    return "".join(op.text for op in ops if op.op != "delete")


def test_identical_versions_have_no_changes() -> None:
    result = diff(V1, V1)
    assert result.changed_only == ()
    assert result.counts == {"added": 0, "removed": 0, "changed": 0, "moved": 0, "unchanged": 5}
    assert all(not a.moved for a in result.articles)


def test_renumbering_alone_is_not_a_change() -> None:
    result = diff(V1, act(PURPOSE, DEFINITIONS, REGISTRATION, FORCE))
    assert [(a.wid, a.status) for a in result.articles] == [
        ("art_1", "unchanged"),
        ("art_2", "unchanged"),
        ("art_3", "removed"),
        ("art_4", "unchanged"),
        ("art_5", "unchanged"),
    ]


def test_removed_article_has_delete_ops_and_no_new_side() -> None:
    removed = by_wid(diff(V1, act(PURPOSE, DEFINITIONS, REGISTRATION, FORCE)))["art_3"]
    assert (removed.old["heading"], removed.new) == ("Scope", None)
    assert removed.heading_ops == (WordOp("delete", "Scope"),)
    assert [(p.status, p.ops) for p in removed.paragraphs] == [
        ("removed", (WordOp("delete", "This Law applies to every state body."),))
    ]


def test_added_article_stands_where_it_was_inserted() -> None:
    fees = "Fees\nNo fee is charged."
    result = diff(V1, act(PURPOSE, DEFINITIONS, fees, SCOPE, REGISTRATION, FORCE))
    assert [a.wid for a in result.articles] == [
        "art_1",
        "art_2",
        "art_6",
        "art_3",
        "art_4",
        "art_5",
    ]
    added = by_wid(result)["art_6"]
    assert (added.status, added.old, added.moved) == ("added", None, False)
    assert added.paragraphs[0].ops == (WordOp("insert", "No fee is charged."),)
    assert result.counts["added"] == 1


def test_changed_paragraph_has_word_ops_and_others_stay_unchanged() -> None:
    v2 = V1.replace("Registration is free.", "Registration is free of charge.")
    article = by_wid(diff(V1, v2))["art_4"]
    assert (article.status, article.moved) == ("changed", False)
    first, second = article.paragraphs
    assert first.status == "unchanged"
    assert first.ops == (WordOp("equal", "A user registers on the portal."),)
    assert second.status == "changed"
    assert second.ops == (
        WordOp("equal", "Registration is free"),
        WordOp("insert", " of charge"),
        WordOp("equal", "."),
    )


def test_renamed_heading_marks_the_article_changed_with_heading_ops() -> None:
    article = by_wid(diff(V1, V1.replace("3. Scope", "3. Field of application")))["art_3"]
    assert article.status == "changed"
    assert article.heading_ops == (
        WordOp("delete", "Scope"),
        WordOp("insert", "Field of application"),
    )
    assert [p.status for p in article.paragraphs] == ["unchanged"]


def test_added_and_removed_paragraphs_inside_an_article() -> None:
    v2 = V1.replace(
        "1. A user registers on the portal.\n2. Registration is free.",
        "1. Registration is free.\n2. Fees are set by the Cabinet.",
    )
    article = by_wid(diff(V1, v2))["art_4"]
    assert [(p.status, (p.old or p.new)["wId"]) for p in article.paragraphs] == [
        ("removed", "art_4__para_1"),
        ("unchanged", "art_4__para_2"),
        ("added", "art_4__para_3"),
    ]
    assert article.status == "changed"


def test_pure_move_is_reported_as_moved() -> None:
    result = diff(V1, act(FORCE, PURPOSE, DEFINITIONS, SCOPE, REGISTRATION))
    assert [a.wid for a in result.articles] == ["art_5", "art_1", "art_2", "art_3", "art_4"]
    moved = by_wid(result)["art_5"]
    assert (moved.status, moved.moved) == ("moved", True)
    assert result.counts == {"added": 0, "removed": 0, "changed": 0, "moved": 1, "unchanged": 4}


def test_moved_and_changed_article_is_changed_with_the_moved_flag() -> None:
    reworded = FORCE.replace("three months after publication", "on publication")
    article = by_wid(diff(V1, act(reworded, PURPOSE, DEFINITIONS, SCOPE, REGISTRATION)))["art_5"]
    assert (article.status, article.moved) == ("changed", True)
    assert article.paragraphs[0].status == "changed"


def test_neighbours_of_a_moved_article_are_not_moved() -> None:
    result = diff(V1, act(PURPOSE, SCOPE, DEFINITIONS, REGISTRATION, FORCE))
    assert sum(a.moved for a in result.articles) == 1


def test_removed_article_follows_the_unmoved_article_before_it() -> None:
    result = diff(V1, act(FORCE, PURPOSE, DEFINITIONS, REGISTRATION))
    assert [(a.wid, a.status) for a in result.articles] == [
        ("art_5", "moved"),
        ("art_1", "unchanged"),
        ("art_2", "unchanged"),
        ("art_3", "removed"),
        ("art_4", "unchanged"),
    ]


def test_removed_first_article_comes_first() -> None:
    result = diff(V1, act(DEFINITIONS, SCOPE, REGISTRATION, FORCE))
    assert (result.articles[0].wid, result.articles[0].status) == ("art_1", "removed")


def test_swapped_paragraphs_change_the_article() -> None:
    v2 = V1.replace(
        "1. A user registers on the portal.\n2. Registration is free.",
        "1. Registration is free.\n2. A user registers on the portal.",
    )
    article = by_wid(diff(V1, v2))["art_4"]
    assert article.status == "changed"


def test_changed_only_lists_articles_that_are_not_unchanged() -> None:
    v2 = V1.replace("Registration is free.", "Registration costs nothing.")
    result = diff(V1, v2)
    assert [a.wid for a in result.changed_only] == ["art_4"]


def test_diff_objects_are_frozen() -> None:
    result = diff(V1, V1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.articles[0].status = "changed"  # type: ignore[misc]


def test_word_ops_of_equal_texts_is_one_equal_op() -> None:
    assert word_ops("Same text.", "Same text.") == (WordOp("equal", "Same text."),)
    assert word_ops("", "") == ()


def test_word_ops_keep_uzbek_words_with_apostrophes_whole() -> None:
    ops = word_ops("O‘zbekiston qonuni", "Oʻzbekiston qonuni")
    assert ops == (
        WordOp("delete", "O‘zbekiston"),
        WordOp("insert", "Oʻzbekiston"),
        WordOp("equal", " qonuni"),
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("", "New text."),
        ("Old text.", ""),
        ("The body shall, within 10 days, decide.", "The body shall decide within 15 days!"),
        ("  double  spaces\tand tabs ", " single space"),
        ("Ma'lumotlar — g‘oya, o'zbek.", "Ma’lumotlar: gʻoya; o'zbek tili."),
        ("Статья 5 настоящего Закона.", "Статья 6 настоящего Кодекса."),
    ],
)
def test_word_ops_reproduce_both_texts_exactly(a: str, b: str) -> None:
    ops = word_ops(a, b)
    assert (old_side(ops), new_side(ops)) == (a, b)
    assert all(op.text for op in ops)
    assert all(x.op != y.op for x, y in itertools.pairwise(ops))


def test_word_ops_reproduce_random_texts_exactly() -> None:
    rng = random.Random(3)
    alphabet = ["law", "o‘z", "ma'no", " ", "  ", ",", ".", "\t", "5", "—", "body"]
    for _ in range(300):
        a = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        b = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        ops = word_ops(a, b)
        assert (old_side(ops), new_side(ops)) == (a, b)


def make_text(rng: random.Random, articles: list[list[str]]) -> str:
    lines = []
    for n, (heading, *paragraphs) in enumerate(articles, start=1):
        lines.append(f"Article {n}. {heading}")
        lines.extend(f"{k}. {p}" for k, p in enumerate(paragraphs, start=1))
    return "\n".join(lines)


def test_large_diff_finds_every_edit_quickly() -> None:
    rng = random.Random(11)
    words = ["state", "body", "shall", "law", "right", "duty", "order", "court", "fine", "data"]

    def sentence() -> str:
        return " ".join(rng.choices(words, k=rng.randint(8, 25))) + "."

    old = [[f"Heading {n}", *(sentence() for _ in range(rng.randint(1, 4)))] for n in range(2000)]
    new = [list(a) for a in old]
    edited = rng.sample(range(2000), 100)
    for k in edited:
        new[k][-1] = new[k][-1].replace(".", " amended.")
    new.insert(10, new.pop(1500))  # one move
    del new[700]  # "Heading 699" after the move shifted the list by one
    new.insert(300, ["Brand new", sentence()])
    v1, v2 = versions(make_text(rng, old), make_text(rng, new))
    result = diff_structures(v1, v2)
    assert result.counts["added"] == 1
    assert result.counts["removed"] == 1
    assert result.counts["moved"] + result.counts["changed"] >= 100
    assert sum(a.moved for a in result.articles) == 1
    assert by_wid(result)["art_1501"].moved
