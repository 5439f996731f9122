"""Parse the text of a draft (pasted or uploaded) into a structure.

The structure is a plain JSON-serialisable dict that the rest of SOVAZ relies on::

    structure = {"preamble": str, "body": [node, ...]}
    node = {"type": "chapter" | "article" | "paragraph", "num": str, "heading": str,
            "text": str, "eId": str, "wId": str, "children": [node, ...]}

``body`` holds chapters (which hold articles) or, for acts without chapters, articles.
Every article holds at least one paragraph; paragraphs have no children. eIds follow the
AKN naming convention (``chp_2``, ``art_7``, ``art_7__para_1``); articles are numbered
through the whole act, so they are not prefixed by their chapter. A fresh parse has
``wId == eId``; ``drafts.identity.assign_wids`` carries wIds over from the previous version.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext

Node = dict[str, Any]
Structure = dict[str, Any]

MAX_CHARS = 5_000_000
MAX_ARTICLES = 20_000
FORMATS = ("text", "markdown")

# A strict roman numeral, so that words such as "civil" or "mix" are never taken for one.
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUM = rf"(?P<num>\d+|{_ROMAN})"
# After the label comes an optional "." or ":" and the heading. Requiring that punctuation (or
# the end of the line) keeps "Article 5 of this Law applies ..." a sentence, not a heading.
_TAIL = r"(?:[.:]\s*(?P<heading>.*)|\s*)$"
_DASH = r"(?:\s*[-‐‑–]\s*|\s+)"
_FLAGS = re.IGNORECASE | re.UNICODE

_CHAPTER_RES = (
    re.compile(rf"^(?:chapter|глава)\s+{_NUM}{_TAIL}", _FLAGS),
    re.compile(rf"^{_NUM}{_DASH}(?:bob|боб){_TAIL}", _FLAGS),
)
_ARTICLE_RES = (
    re.compile(rf"^(?:article|статья)\s+{_NUM}{_TAIL}", _FLAGS),
    re.compile(rf"^{_NUM}{_DASH}(?:modda|модда){_TAIL}", _FLAGS),
)
_PARAGRAPH_RE = re.compile(r"^(?:(?P<a>\d+)[.)]|\((?P<b>\d+)\))\s+(?P<text>\S.*)$")
_MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,2})\s+(?P<text>.*)$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LABEL_RE = re.compile(r"[^a-z0-9]")


class ParseError(ValueError):
    """The text cannot become a structure; `message` is a translated sentence for the author."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_text(text: str, fmt: str = "text") -> Structure:
    """Return the structure of `text` ("text" or "markdown"), with fresh wIds (== eIds).

    Raises ParseError for text that cannot be a legal act (see the module docstring).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {FORMATS}.")
    lines = _normalise(text)
    builder = _Builder(markdown=fmt == "markdown")
    for lineno, line in enumerate(lines, start=1):
        builder.feed(lineno, line)
    return builder.finish()


def _normalise(text: str) -> list[str]:
    if len(text) > MAX_CHARS:
        raise ParseError(
            gettext("The text is longer than %(limit)s characters.") % {"limit": f"{MAX_CHARS:,}"}
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(gettext("The text is empty."))
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ParseError(
            gettext("Line %(line)d contains a control character (U+%(code)04X); remove it.")
            % {"line": line, "code": ord(bad.group())},
            line,
        )
    # NFC only composes letters with their accents; the Uzbek apostrophes (U+0027, U+2018,
    # U+2019, U+02BB, U+02BC) are distinct code points it leaves alone, as we must.
    text = unicodedata.normalize("NFC", text)
    # split("\n") rather than splitlines(): U+2028 and friends must not shift line numbers.
    return [line.rstrip() for line in text.split("\n")]


def _node(kind: str, num: str = "", heading: str = "", text: str = "") -> Node:
    return {
        "type": kind,
        "num": num,
        "heading": heading,
        "text": text,
        "eId": "",
        "wId": "",
        "children": [],
    }


def _match_heading(line: str, patterns: tuple[re.Pattern[str], ...]) -> tuple[str, str] | None:
    for pattern in patterns:
        found = pattern.match(line)
        if found:
            return found.group("num"), (found.group("heading") or "").strip()
    return None


def _classify(line: str, markdown: bool) -> tuple[str, str, str]:
    """Return (kind, num, heading) where kind is chapter, article, blank or text."""
    stripped = line.strip()
    if not stripped:
        return "blank", "", ""
    if markdown:
        found = _MD_HEADING_RE.match(stripped)
        if found:
            kind = "chapter" if found.group("hashes") == "#" else "article"
            title = found.group("text").strip()
            patterns = _CHAPTER_RES if kind == "chapter" else _ARTICLE_RES
            num, heading = _match_heading(title, patterns) or ("", title)
            return kind, num, heading
    for kind, patterns in (("chapter", _CHAPTER_RES), ("article", _ARTICLE_RES)):
        matched = _match_heading(stripped, patterns)
        if matched:
            return kind, matched[0], matched[1]
    return "text", "", ""


def _label(num: str) -> str:
    return _LABEL_RE.sub("_", num.lower())


class _Builder:
    """Feeds lines one by one into a structure; keeps the source line of every heading."""

    def __init__(self, *, markdown: bool) -> None:
        self.markdown = markdown
        self.preamble: list[str] = []
        self.body: list[Node] = []
        self.chapter: Node | None = None
        self.article: Node | None = None
        self.paragraph: Node | None = None
        self.article_line = 0
        self.article_lines: dict[str, int] = {}  # label -> line, to report duplicates
        self.chapter_labels: set[str] = set()
        self.articles = 0

    def feed(self, lineno: int, line: str) -> None:
        kind, num, heading = _classify(line, self.markdown)
        if kind == "chapter":
            self._start_chapter(lineno, num, heading)
        elif kind == "article":
            self._start_article(lineno, num, heading)
        elif kind == "blank":
            self.paragraph = None
            if self.chapter is None and self.article is None:
                self.preamble.append("")
        elif self.article is not None:
            self._add_text(line.strip())
        elif self.chapter is not None:
            # "CHAPTER I" with its title on the next line is a common layout.
            self.chapter["heading"] = f"{self.chapter['heading']} {line.strip()}".strip()
        else:
            self.preamble.append(line)

    def finish(self) -> Structure:
        self._close_article()
        if not self.articles:
            raise ParseError(
                gettext(
                    "No article found. Start each article with a line such as "
                    "“Article 1.”, “1-modda.” or “Статья 1.”."
                )
            )
        structure = {"preamble": "\n".join(self.preamble).strip("\n"), "body": self.body}
        _assign_eids(structure)
        return structure

    def _start_chapter(self, lineno: int, num: str, heading: str) -> None:
        self._close_article()
        if self.body and self.body[0]["type"] == "article":
            raise ParseError(
                gettext(
                    "Line %(line)d: this chapter follows articles that are in no chapter; "
                    "put every article in a chapter."
                )
                % {"line": lineno},
                lineno,
            )
        if num and _label(num) in self.chapter_labels:
            raise ParseError(
                gettext("Line %(line)d: chapter %(num)s appears twice.")
                % {"line": lineno, "num": num},
                lineno,
            )
        self.chapter_labels.add(_label(num))
        self.chapter = _node("chapter", num, heading)
        self.body.append(self.chapter)

    def _start_article(self, lineno: int, num: str, heading: str) -> None:
        self._close_article()
        self.articles += 1
        if self.articles > MAX_ARTICLES:
            raise ParseError(
                gettext("Line %(line)d: the text has more than %(limit)s articles.")
                % {"line": lineno, "limit": f"{MAX_ARTICLES:,}"},
                lineno,
            )
        if num:
            first = self.article_lines.setdefault(_label(num), lineno)
            if first != lineno:
                raise ParseError(
                    gettext(
                        "Line %(line)d: article %(num)s appears twice (first on line %(first)d)."
                    )
                    % {"line": lineno, "num": num, "first": first},
                    lineno,
                )
        self.article = _node("article", num, heading)
        self.article_line = lineno
        (self.chapter["children"] if self.chapter else self.body).append(self.article)

    def _close_article(self) -> None:
        article, self.article, self.paragraph = self.article, None, None
        if article is not None and not article["children"]:
            raise ParseError(
                gettext("Line %(line)d: article %(num)s has no text.")
                % {"line": self.article_line, "num": article["num"] or self.articles},
                self.article_line,
            )

    def _add_text(self, text: str) -> None:
        assert self.article is not None
        numbered = _PARAGRAPH_RE.match(text)
        if numbered:
            num = numbered.group("a") or numbered.group("b")
            self.paragraph = _node("paragraph", num, text=numbered.group("text"))
        elif self.markdown and self.paragraph is not None:
            # Markdown soft line break: the line continues the paragraph above it.
            self.paragraph["text"] += " " + text
            return
        else:
            self.paragraph = _node("paragraph", text=text)
        self.article["children"].append(self.paragraph)


def _assign_eids(structure: Structure) -> None:
    chapters = [n for n in structure["body"] if n["type"] == "chapter"]
    articles = [n for n in iter_nodes(structure) if n["type"] == "article"]
    _name_siblings(chapters, "chp_")
    _name_siblings(articles, "art_")
    for article in articles:
        _name_siblings(article["children"], article["eId"] + "__para_")


def _name_siblings(nodes: list[Node], prefix: str) -> None:
    """Give each node `prefix + label`; unnumbered ones use their 1-based position.

    Numbered nodes claim their labels first. A clash (a repeated paragraph number, or a
    position that another node carries as its number) gets a `_2`, `_3`... suffix, which a
    real label never has because labels are digits or roman numerals only.
    """
    taken: set[str] = set()
    ordered = [n for n in nodes if n["num"]] + [n for n in nodes if not n["num"]]
    positions = {id(n): i for i, n in enumerate(nodes, start=1)}
    for node in ordered:
        base = prefix + (_label(node["num"]) if node["num"] else str(positions[id(node)]))
        eid, k = base, 2
        while eid in taken:
            eid, k = f"{base}_{k}", k + 1
        taken.add(eid)
        node["eId"] = node["wId"] = eid


def iter_nodes(structure: Structure) -> Iterator[Node]:
    """Yield every chapter, article and paragraph in document order."""
    stack = list(reversed(structure["body"]))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node["children"]))


def find_node(structure: Structure, wid: str) -> Node | None:
    return next((n for n in iter_nodes(structure) if n["wId"] == wid), None)


def article_count(structure: Structure) -> int:
    return sum(1 for n in iter_nodes(structure) if n["type"] == "article")


def canonical_text(structure: Structure) -> str:
    """Render the structure as plain text, one heading or paragraph per line.

    Deterministic and independent of eIds/wIds, so equal wording gives an equal hash.
    A numbered structure parses back (with parse_text) to the same nodes.
    """
    lines = [structure["preamble"], ""] if structure["preamble"] else []
    for node in iter_nodes(structure):
        kind, num, heading = node["type"], node["num"], node["heading"]
        if kind == "paragraph":
            lines.append(f"{num}. {node['text']}" if num else node["text"])
            continue
        title = f"{'Chapter' if kind == 'chapter' else 'Article'} {num}".rstrip() + "."
        lines.append(f"{title} {heading}".rstrip())
    return "\n".join(lines) + "\n"


def structure_hash(structure: Structure) -> str:
    return hashlib.sha256(canonical_text(structure).encode("utf-8")).hexdigest()
