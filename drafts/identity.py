"""Stable work identifiers (wIds) across the versions of a draft.

Comments and remarks are anchored to a wId, so an article must keep its wId when it is
renumbered, moved, retitled or reworded, and a new article must never take over the wId of
another one. See `assign_wids` for the contract.
"""

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from drafts.textparse import Node, Structure, iter_nodes

SIMILARITY = 0.5
# At most about this many (old, new) similarity comparisons per call (~35 us each for an
# article). Past it, only articles near their expected position are compared, in a window
# that shrinks as the leftovers grow, so even a fully rewritten 2,000-article code stays
# under a second.
PAIR_BUDGET = 20_000
MAX_WINDOW = 40
MIN_WINDOW = 3

_TRAILING_INT_RE = re.compile(r"^(.*?)(\d+)$")


def assign_wids(
    new: Structure, previous: Structure | None, *, retired: Iterable[str] = ()
) -> Structure:
    """Return a copy of `new` whose wIds continue those of `previous`.

    Contract:
    - `new` is fresh from parse_text; `previous` already carries wIds (or is None for the
      first version, in which case every wId equals its eId). eIds are never changed.
    - Articles are matched across the whole act (so across chapters) by identical wording
      (heading + paragraphs, whitespace-normalised), then by identical non-empty heading,
      then by word similarity >= 0.5. A matched article keeps its old wId; its paragraphs are
      matched the same way (wording, then similarity) and keep theirs. Chapters are matched by
      heading, then by where most of their articles came from, then by position.
    - Anything unmatched gets a fresh wId: its eId if that was never used, else the next
      integer above the highest one used with the same prefix (`art_`, `chp_`,
      `{article wId}__para_`). "Used" means present in `previous`, in `retired` (pass the
      wIds of older versions so that deleted ones are never reused), or already given out.
    - No two nodes of the result share a wId.
    """
    result = _copy(new)
    if previous is None:
        for node in iter_nodes(result):
            node["wId"] = node["eId"]
        return result
    pool = _WidPool([n["wId"] for n in iter_nodes(previous)] + list(retired))
    old_arts, new_arts = _articles(previous), _articles(result)
    art_pairs = _match(old_arts, new_arts, _article_key, _article_heading)
    chp_pairs = _match_chapters(previous, result, old_arts, new_arts, art_pairs)
    inherited = _inherit(result, previous, old_arts, new_arts, art_pairs, chp_pairs, pool)
    _give_fresh(result, inherited, pool)
    return result


def _copy(structure: Structure) -> Structure:
    # A targeted copy is several times faster than copy.deepcopy on thousands of nodes.
    def copy_node(node: Node) -> Node:
        return {**node, "children": [copy_node(c) for c in node["children"]]}

    return {**structure, "body": [copy_node(n) for n in structure["body"]]}


def _articles(structure: Structure) -> list[Node]:
    return [n for n in iter_nodes(structure) if n["type"] == "article"]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _article_key(article: Node) -> str:
    return "\n".join([_norm(article["heading"])] + [_norm(p["text"]) for p in article["children"]])


def _article_heading(article: Node) -> str:
    return _norm(article["heading"])


def _paragraph_key(paragraph: Node) -> str:
    return _norm(paragraph["text"])


def _match(
    old: list[Node],
    new: list[Node],
    key: Callable[[Node], str],
    second_key: Callable[[Node], str] | None = None,
) -> dict[int, int]:
    """Pair indexes of `new` with indexes of `old`: exact key, then second key, then similarity."""
    pairs: dict[int, int] = {}
    _pair_equal(old, new, key, pairs)
    if second_key is not None:
        _pair_equal(old, new, second_key, pairs)
    _pair_similar(old, new, key, pairs)
    return pairs


def _pair_equal(
    old: list[Node], new: list[Node], key: Callable[[Node], str], pairs: dict[int, int]
) -> None:
    # Equal keys pair up in document order, so repeated boilerplate ("Repealed.") stays put.
    taken = set(pairs.values())
    queues: dict[str, deque[int]] = defaultdict(deque)
    for i, node in enumerate(old):
        if i not in taken and (k := key(node)):
            queues[k].append(i)
    for j, node in enumerate(new):
        if j not in pairs and (queue := queues.get(key(node))):
            pairs[j] = queue.popleft()


def _pair_similar(
    old: list[Node], new: list[Node], key: Callable[[Node], str], pairs: dict[int, int]
) -> None:
    taken = set(pairs.values())
    free_old = [i for i in range(len(old)) if i not in taken]
    free_new = [j for j in range(len(new)) if j not in pairs]
    if not free_old or not free_new:
        return
    words_old = {i: key(old[i]).split() for i in free_old}
    candidates = _candidate_finder(free_old, free_new, pairs, len(new))
    scored: list[tuple[float, int, int, int]] = []
    for j in free_new:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(key(new[j]).split())  # seq2 is the one SequenceMatcher indexes
        for i in candidates(j):
            matcher.set_seq1(words_old[i])
            if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY:
                scored.append((-ratio, abs(i - j), j, i))
    # Greedy on best similarity first, nearer positions breaking ties.
    used: set[int] = set()
    for _, _, j, i in sorted(scored):
        if j not in pairs and i not in used:
            pairs[j] = i
            used.add(i)


def _candidate_finder(
    free_old: list[int], free_new: list[int], pairs: dict[int, int], n_new: int
) -> Callable[[int], list[int]]:
    """Return j -> the old indexes worth comparing with new index j."""
    if len(free_old) * len(free_new) <= PAIR_BUDGET:
        return lambda j: free_old
    window = max(MIN_WINDOW, min(MAX_WINDOW, PAIR_BUDGET // (2 * len(free_new))))
    # Expected old position of j: follow the nearest matched item before it.
    expected: list[int] = []
    anchor: int | None = None
    for j in range(n_new):
        if j in pairs:
            anchor = j
        expected.append(j if anchor is None else pairs[anchor] + (j - anchor))

    def near(j: int) -> list[int]:
        lo = bisect_left(free_old, expected[j] - window)
        hi = bisect_right(free_old, expected[j] + window)
        return free_old[lo:hi]

    return near


def _match_chapters(
    previous: Structure,
    new: Structure,
    old_arts: list[Node],
    new_arts: list[Node],
    art_pairs: dict[int, int],
) -> dict[int, int]:
    old_chps = [n for n in previous["body"] if n["type"] == "chapter"]
    new_chps = [n for n in new["body"] if n["type"] == "chapter"]
    pairs: dict[int, int] = {}
    _pair_equal(old_chps, new_chps, lambda c: _norm(c["heading"]), pairs)
    _pair_by_articles(old_chps, new_chps, old_arts, new_arts, art_pairs, pairs)
    taken = set(pairs.values())
    for j in range(min(len(old_chps), len(new_chps))):
        if j not in pairs and j not in taken:
            pairs[j] = j
            taken.add(j)
    return pairs


def _pair_by_articles(
    old_chps: list[Node],
    new_chps: list[Node],
    old_arts: list[Node],
    new_arts: list[Node],
    art_pairs: dict[int, int],
    pairs: dict[int, int],
) -> None:
    """Pair a retitled chapter with the old chapter most of its articles came from."""
    chapter_of = {id(a): i for i, c in enumerate(old_chps) for a in c["children"]}
    new_index = {id(a): j for j, a in enumerate(new_arts)}
    taken = set(pairs.values())
    for j, chapter in enumerate(new_chps):
        if j in pairs:
            continue
        votes: dict[int, int] = defaultdict(int)
        for article in chapter["children"]:
            old_i = art_pairs.get(new_index[id(article)])
            if old_i is not None:
                votes[chapter_of[id(old_arts[old_i])]] += 1
        best = max(votes, key=lambda i: (votes[i], -i), default=None)
        if best is not None and best not in taken and votes[best] * 2 > len(chapter["children"]):
            pairs[j] = best
            taken.add(best)


def _inherit(
    result: Structure,
    previous: Structure,
    old_arts: list[Node],
    new_arts: list[Node],
    art_pairs: dict[int, int],
    chp_pairs: dict[int, int],
    pool: "_WidPool",
) -> set[int]:
    """Copy old wIds onto matched nodes; return the ids() of the nodes that got one."""
    done: set[int] = set()
    given: set[str] = set()

    def take(node: Node, wid: str) -> None:
        # Guards against a previous structure that (wrongly) repeats a wId.
        if wid and wid not in given:
            node["wId"] = wid
            given.add(wid)
            pool.claim(wid)
            done.add(id(node))

    old_chps = [n for n in previous["body"] if n["type"] == "chapter"]
    new_chps = [n for n in result["body"] if n["type"] == "chapter"]
    for j, i in chp_pairs.items():
        take(new_chps[j], old_chps[i]["wId"])
    for j, i in art_pairs.items():
        old_art, new_art = old_arts[i], new_arts[j]
        take(new_art, old_art["wId"])
        para_pairs = _match(old_art["children"], new_art["children"], _paragraph_key)
        for pj, pi in para_pairs.items():
            take(new_art["children"][pj], old_art["children"][pi]["wId"])
    return done


def _give_fresh(result: Structure, inherited: set[int], pool: "_WidPool") -> None:
    for node in result["body"]:
        if node["type"] == "chapter":
            _fresh_if_needed(node, "chp_", inherited, pool)
            articles = node["children"]
        else:
            articles = [node]
        for article in articles:
            _fresh_if_needed(article, "art_", inherited, pool)
            for paragraph in article["children"]:
                prefix = article["wId"] + "__para_"
                _fresh_if_needed(paragraph, prefix, inherited, pool)


def _fresh_if_needed(node: Node, prefix: str, inherited: set[int], pool: "_WidPool") -> None:
    if id(node) in inherited:
        return
    preferred = node["eId"]
    if node["type"] == "paragraph":
        # Keep the paragraph's own label, under its article's (possibly inherited) wId.
        preferred = prefix + preferred.split("__para_")[-1]
    node["wId"] = pool.fresh(preferred, prefix)


class _WidPool:
    """The set of wIds in use, with the highest trailing integer per prefix for fresh ones."""

    def __init__(self, used: Iterable[str]) -> None:
        self.used: set[str] = set()
        self.highest: dict[str, int] = defaultdict(int)
        for wid in used:
            self.claim(wid)

    def claim(self, wid: str) -> bool:
        if not wid or wid in self.used:
            return False
        self.used.add(wid)
        found = _TRAILING_INT_RE.match(wid)
        if found:
            prefix, n = found.group(1), int(found.group(2))
            self.highest[prefix] = max(self.highest[prefix], n)
        return True

    def fresh(self, preferred: str, prefix: str) -> str:
        if self.claim(preferred):
            return preferred
        n = self.highest[prefix] + 1
        while not self.claim(f"{prefix}{n}"):
            n += 1
        return f"{prefix}{n}"
