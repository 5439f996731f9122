"""Render an act's text, its table of contents and diffs as HTML.

These are small string builders rather than nested template includes: a code of 2,000
articles renders in a few milliseconds this way, and every piece of text goes through
`escape`, so nothing from a draft is ever marked safe unescaped.
"""

import math
from collections.abc import Iterable
from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from drafts import reasons
from drafts.diffing import ArticleDiff, DraftDiff, WordOp
from drafts.textparse import Node, Structure

register = template.Library()

# Headings follow the language of the act, not the language of the page.
LABELS = {
    "uz": {"chapter": "{}-bob", "article": "{}-modda"},
    "ru": {"chapter": "Глава {}", "article": "Статья {}"},
    "en": {"chapter": "Chapter {}", "article": "Article {}"},
}


def node_label(node: Node, language: str) -> str:
    if not node["num"]:
        return ""
    return LABELS.get(language, LABELS["en"])[node["type"]].format(node["num"])


def _title(node: Node, language: str) -> str:
    label, heading = node_label(node, language), node["heading"]
    return f"{label}. {heading}" if label and heading else label or heading


@register.filter
def reason(text: str) -> str:
    """A history or version reason in the reader's language, if SOVAZ wrote it (drafts.reasons)."""
    return reasons.shown(text) if text else text


@register.filter
def days_left(moment: datetime | None) -> int | None:
    """Whole days (rounded up) until `moment`; 0 once it passed."""
    if moment is None:
        return None
    seconds = (moment - timezone.now()).total_seconds()
    return max(0, math.ceil(seconds / 86400))


@register.filter
def discussion_until(draft) -> str:
    """ "until 27 November 2026 inclusive": the last day people may comment, not the
    exclusive end instant (midnight after it) that is stored."""
    last_day = draft.discussion_last_day
    if last_day is None:
        return ""
    return _("until %(date)s inclusive") % {"date": formats.date_format(last_day, "j E Y")}


@register.filter
def discussion_period(draft) -> str:
    """ "20 November 2026 – 27 November 2026 inclusive": the days of the public discussion."""
    if draft.discussion_starts_at is None or draft.discussion_ends_at is None:
        return ""
    first = timezone.localtime(draft.discussion_starts_at).date()
    return _("%(first)s – %(last)s inclusive") % {
        "first": formats.date_format(first, "j E Y"),
        "last": formats.date_format(draft.discussion_last_day, "j E Y"),
    }


@register.simple_tag
def act_toc(structure: Structure, language: str) -> SafeString:
    out = ['<ol class="toc-list">']
    for node in structure["body"]:
        out.append(_toc_item(node, language))
        if node["type"] == "chapter":
            out.append("<ol>")
            out.extend(_toc_item(child, language) + "</li>" for child in node["children"])
            out.append("</ol>")
        out.append("</li>")
    out.append("</ol>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _toc_item(node: Node, language: str) -> str:
    return (
        f'<li class="toc-{node["type"]}"><a href="#{escape(node["eId"])}">'
        f"{escape(_title(node, language))}</a>"
    )


@register.simple_tag
def act_text(structure: Structure, language: str) -> SafeString:
    out: list[str] = []
    if structure.get("preamble"):
        paragraphs = [p for p in structure["preamble"].split("\n") if p.strip()]
        out.append('<div class="preamble">')
        out.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
        out.append("</div>")
    for node in structure["body"]:
        if node["type"] == "chapter":
            out.append(
                f'<section class="chapter" id="{escape(node["eId"])}" '
                f'data-wid="{escape(node["wId"])}"><h2>{escape(_title(node, language))}</h2>'
            )
            out.extend(_article(child, language) for child in node["children"])
            out.append("</section>")
        else:
            out.append(_article(node, language))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _article(node: Node, language: str) -> str:
    eid = escape(node["eId"])
    link_title = escape(_("Link to this article"))
    parts = [
        f'<section class="article" id="{eid}" data-wid="{escape(node["wId"])}">'
        f"<h3>{escape(_title(node, language))}"
        f'<a class="anchor" href="#{eid}" title="{link_title}">¶</a></h3>'
    ]
    for paragraph in node["children"]:
        num = f'<span class="pnum">{escape(paragraph["num"])}.</span>' if paragraph["num"] else ""
        parts.append(
            f'<p class="paragraph" id="{escape(paragraph["eId"])}" '
            f'data-wid="{escape(paragraph["wId"])}">{num}{escape(paragraph["text"])}</p>'
        )
    parts.append("</section>")
    return "".join(parts)


# Diffs -------------------------------------------------------------------------------------


def _ops(ops: Iterable[WordOp], keep: tuple[str, ...] = ("equal", "insert", "delete")) -> str:
    out = []
    for op in ops:
        if op.op not in keep:
            continue
        text = escape(op.text)
        out.append(
            f"<ins>{text}</ins>"
            if op.op == "insert"
            else f"<del>{text}</del>"
            if op.op == "delete"
            else text
        )
    return "".join(out)


def _status_labels() -> dict[str, str]:
    return {
        "added": _("Added"),
        "removed": _("Removed"),
        "changed": _("Changed"),
        "moved": _("Moved"),
        "unchanged": _("Unchanged"),
    }


@register.simple_tag
def diff_html(diff: DraftDiff, mode: str, show_all: bool, language: str) -> SafeString:
    labels = _status_labels()
    articles = diff.articles if show_all else diff.changed_only
    out = [_diff_article(item, mode, labels, language) for item in articles]
    if not out:
        same = escape(_("The two versions have the same text."))
        out.append(f'<p class="card">{same}</p>')
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _diff_article(item: ArticleDiff, mode: str, labels: dict[str, str], language: str) -> str:
    node = item.new or item.old
    assert node is not None
    label = escape(node_label(node, language))
    if item.old and item.new and item.old["num"] != item.new["num"]:
        was = escape(_("was %(label)s") % {"label": node_label(item.old, language)})
        label = f'{label} <span class="meta">({was})</span>'
    badges = f'<span class="badge diff-{item.status}">{escape(labels[item.status])}</span>'
    if item.moved and item.status == "changed":
        badges += f' <span class="badge diff-moved">{escape(labels["moved"])}</span>'
    anchor = escape((item.new or item.old or {}).get("eId", ""))
    head = (
        f'<article class="diff-article {item.status}" data-wid="{escape(item.wid)}" '
        f'id="d-{anchor}"><header>{badges} <strong>{label}</strong>'
    )
    if mode == "side":
        old = _side_column(item, "old")
        new = _side_column(item, "new")
        columns = f'<div class="diff-side"><div>{old}</div><div>{new}</div></div>'
        return f"{head}</header>{columns}</article>"
    heading = _ops(item.heading_ops)
    body = "".join(
        f'<p class="paragraph {p.status}">{_pnum(p.new or p.old)}{_ops(p.ops)}</p>'
        for p in item.paragraphs
    )
    heading = f'<span class="diff-heading">{heading}</span>'
    return f'{head} {heading}</header><div class="body">{body}</div></article>'


def _side_column(item: ArticleDiff, side: str) -> str:
    keep = ("equal", "delete") if side == "old" else ("equal", "insert")
    if (item.old if side == "old" else item.new) is None:
        return ""
    parts = [f'<p class="diff-heading"><strong>{_ops(item.heading_ops, keep)}</strong></p>']
    for p in item.paragraphs:
        node = p.old if side == "old" else p.new
        if node is None:
            parts.append('<p class="paragraph gap"></p>')
            continue
        parts.append(f'<p class="paragraph {p.status}">{_pnum(node)}{_ops(p.ops, keep)}</p>')
    return "".join(parts)


def _pnum(node: Node | None) -> str:
    if node is None or not node["num"]:
        return ""
    return f'<span class="pnum">{escape(node["num"])}.</span>'
