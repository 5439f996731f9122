"""The one HTML sanitiser: a small Markdown subset to safe HTML, with one allowlist.

Call `markdown_to_html` when user text is written and store the result; templates mark only that
stored output safe. Raw HTML in the input is never interpreted (markdown-it runs with
``html=False``), and nh3 cleans what markdown-it produced as a second, independent line of defence.
"""

import nh3
from markdown_it import MarkdownIt

# The Markdown subset: emphasis, lists, quotes, links, inline code and line breaks. No images,
# headings, tables or raw HTML: a comment is prose, and each extra construct is attack surface.
_MARKDOWN = MarkdownIt("zero", {"html": False, "breaks": True, "maxNesting": 12}).enable(
    ["emphasis", "list", "blockquote", "link", "autolink", "newline", "escape", "backticks"]
)

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "code"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def clean_html(html: str) -> str:
    """Keep only the allowlisted tags, attributes and link schemes; give every link LINK_REL."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def markdown_to_html(text: str) -> str:
    """Render the Markdown subset and sanitise it. Safe to mark safe in a template."""
    return clean_html(_MARKDOWN.render(text)).strip()
