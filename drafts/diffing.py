"""Article-aware comparison of two versions of a draft.

Both structures must carry wIds from drafts.identity.assign_wids: articles and paragraphs
are paired by wId, so renumbering alone is not a change. Only changed paragraphs and
headings are compared word by word, which keeps a 2,000-article diff fast.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from drafts.textparse import Node, Structure, iter_nodes

ParagraphStatus = Literal["added", "removed", "changed", "unchanged"]
ArticleStatus = Literal["added", "removed", "changed", "moved", "unchanged"]
ARTICLE_STATUSES: tuple[ArticleStatus, ...] = ("added", "removed", "changed", "moved", "unchanged")

# A word may hold Uzbek apostrophes (o\u2018zbek, ma'lumot); whitespace runs and every other
# character are tokens of their own, so joining the tokens gives back the exact text.
_TOKEN_RE = re.compile(r"\w+(?:['\u2018\u2019\u02bb\u02bc`]\w+)*|\s+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class WordOp:
    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphDiff:
    status: ParagraphStatus
    old: Node | None
    new: Node | None
    ops: tuple[WordOp, ...]


@dataclass(frozen=True, slots=True)
class ArticleDiff:
    """One article; `moved` is also set on a "changed" article that moved."""

    status: ArticleStatus
    wid: str
    old: Node | None
    new: Node | None
    heading_ops: tuple[WordOp, ...]
    paragraphs: tuple[ParagraphDiff, ...]
    moved: bool


@dataclass(frozen=True, slots=True)
class DraftDiff:
    articles: tuple[ArticleDiff, ...]
    counts: dict[str, int]

    @property
    def changed_only(self) -> tuple[ArticleDiff, ...]:
        return tuple(a for a in self.articles if a.status != "unchanged")


def word_ops(a: str, b: str) -> tuple[WordOp, ...]:
    """Word-level edit from `a` to `b`.

    Joining the equal+delete texts gives `a` back exactly, and equal+insert gives `b`.
    """
    if a == b:
        return (WordOp("equal", a),) if a else ()
    old, new = _TOKEN_RE.findall(a), _TOKEN_RE.findall(b)
    ops: list[WordOp] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(ops, "equal", old[i1:i2])
            continue
        _push(ops, "delete", old[i1:i2])
        _push(ops, "insert", new[j1:j2])
    return tuple(ops)


def _push(ops: list[WordOp], op: Literal["equal", "insert", "delete"], tokens: list[str]) -> None:
    if not tokens:
        return
    text = "".join(tokens)
    if ops and ops[-1].op == op:  # a replace next to a delete/insert: keep one op per run
        ops[-1] = WordOp(op, ops[-1].text + text)
    else:
        ops.append(WordOp(op, text))


def diff_structures(old: Structure, new: Structure) -> DraftDiff:
    """Compare two versions article by article, in the new order.

    Removed articles appear right after the surviving, unmoved article that preceded them.
    An article is "moved" when its place among the surviving articles changed (it is not in
    the longest run of survivors that kept their relative order).
    """
    old_arts = [n for n in iter_nodes(old) if n["type"] == "article"]
    new_arts = [n for n in iter_nodes(new) if n["type"] == "article"]
    old_pos = {a["wId"]: i for i, a in enumerate(old_arts)}
    survivors = [a["wId"] for a in new_arts if a["wId"] in old_pos]
    in_order = _longest_increasing([old_pos[w] for w in survivors])
    moved = {w for w in survivors if old_pos[w] not in in_order}
    removed_after = _removed_after(old_arts, {a["wId"] for a in new_arts}, moved)
    result: list[ArticleDiff] = [_removed_article(a) for a in removed_after.get(None, [])]
    for article in new_arts:
        wid = article["wId"]
        if wid in old_pos:
            result.append(_article_diff(old_arts[old_pos[wid]], article, wid in moved))
        else:
            result.append(_added_article(article))
        result.extend(_removed_article(a) for a in removed_after.get(wid, []))
    counts = dict.fromkeys(ARTICLE_STATUSES, 0)
    for item in result:
        counts[item.status] += 1
    return DraftDiff(tuple(result), counts)


def _longest_increasing(values: list[int]) -> set[int]:
    """The values of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # tails[k] = smallest tail value of an increasing run of length k+1
    tail_at: list[int] = []  # index in `values` of that tail
    parent: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        parent[i] = tail_at[k - 1] if k else -1
    chosen: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i != -1:
        chosen.add(values[i])
        i = parent[i]
    return chosen


def _removed_after(
    old_arts: list[Node], surviving: set[str], moved: set[str]
) -> dict[str | None, list[Node]]:
    """Group removed articles under the unmoved survivor just before them (None: the start)."""
    groups: dict[str | None, list[Node]] = {}
    anchor: str | None = None
    for article in old_arts:
        wid = article["wId"]
        if wid not in surviving:
            groups.setdefault(anchor, []).append(article)
        elif wid not in moved:
            anchor = wid
    return groups


def _added_article(article: Node) -> ArticleDiff:
    heading = _whole("insert", article["heading"])
    paragraphs = tuple(
        ParagraphDiff("added", None, p, _whole("insert", p["text"])) for p in article["children"]
    )
    return ArticleDiff("added", article["wId"], None, article, heading, paragraphs, False)


def _removed_article(article: Node) -> ArticleDiff:
    heading = _whole("delete", article["heading"])
    paragraphs = tuple(
        ParagraphDiff("removed", p, None, _whole("delete", p["text"])) for p in article["children"]
    )
    return ArticleDiff("removed", article["wId"], article, None, heading, paragraphs, False)


def _whole(op: Literal["equal", "insert", "delete"], text: str) -> tuple[WordOp, ...]:
    return (WordOp(op, text),) if text else ()


def _article_diff(old: Node, new: Node, moved: bool) -> ArticleDiff:
    heading_ops = word_ops(old["heading"], new["heading"])
    paragraphs = _paragraph_diffs(old["children"], new["children"])
    old_order = [p["wId"] for p in old["children"]]
    new_order = [p["wId"] for p in new["children"]]
    changed = (
        old["heading"] != new["heading"]
        or any(p.status != "unchanged" for p in paragraphs)
        or old_order != new_order  # paragraphs swapped inside the article
    )
    status: ArticleStatus = "changed" if changed else "moved" if moved else "unchanged"
    return ArticleDiff(status, new["wId"], old, new, heading_ops, paragraphs, moved)


def _paragraph_diffs(old: list[Node], new: list[Node]) -> tuple[ParagraphDiff, ...]:
    old_by_wid = {p["wId"]: p for p in old}
    new_wids = {p["wId"] for p in new}
    removed_after: dict[str | None, list[Node]] = {}
    anchor: str | None = None
    for paragraph in old:
        if paragraph["wId"] in new_wids:
            anchor = paragraph["wId"]
        else:
            removed_after.setdefault(anchor, []).append(paragraph)
    result = [_removed_paragraph(p) for p in removed_after.get(None, [])]
    for paragraph in new:
        before = old_by_wid.get(paragraph["wId"])
        result.append(_paragraph_diff(before, paragraph))
        result.extend(_removed_paragraph(p) for p in removed_after.get(paragraph["wId"], []))
    return tuple(result)


def _paragraph_diff(old: Node | None, new: Node) -> ParagraphDiff:
    if old is None:
        return ParagraphDiff("added", None, new, _whole("insert", new["text"]))
    if old["text"] == new["text"]:
        return ParagraphDiff("unchanged", old, new, _whole("equal", new["text"]))
    return ParagraphDiff("changed", old, new, word_ops(old["text"], new["text"]))


def _removed_paragraph(paragraph: Node) -> ParagraphDiff:
    return ParagraphDiff("removed", paragraph, None, _whole("delete", paragraph["text"]))
