# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""The one sanitiser: the Markdown subset in, allowlisted HTML out."""

import pytest

from sovaz.sanitize import clean_html, markdown_to_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("*a* **b**", "<p><em>a</em> <strong>b</strong></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("line\nbreak", "<p>line<br>\nbreak</p>"),
        ("`x < y`", "<p><code>x &lt; y</code></p>"),
    ],
)
def test_the_markdown_subset_renders(text, html):
    assert markdown_to_html(text) == html


def test_links_get_nofollow_ugc_noopener():
    assert markdown_to_html("[lex](https://lex.uz/docs/1)") == (
        '<p><a href="https://lex.uz/docs/1" rel="nofollow ugc noopener">lex</a></p>'
    )


@pytest.mark.parametrize("url", ["https://lex.uz", "http://lex.uz", "mailto:info@lex.uz"])
def test_allowed_schemes_keep_their_href(url):
    assert f'href="{url}"' in markdown_to_html(f"[x]({url})")


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](ftp://example.com)",
        "[x](file:///etc/passwd)",
    ],
)
def test_other_schemes_lose_their_link(text):
    assert "href" not in markdown_to_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
        "<b onmouseover=alert(1)>x</b>",
    ],
)
def test_raw_html_is_shown_as_text(text):
    html = markdown_to_html(text)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;" in html


def test_clean_html_drops_what_is_not_allowlisted():
    dirty = '<p onclick="x()" style="color:red">a<script>alert(1)</script><img src=x></p>'
    assert clean_html(dirty) == "<p>a</p>"


def test_clean_html_repairs_broken_markup():
    assert clean_html("<em><strong>a</em>") == "<em><strong>a</strong></em>"


def test_uzbek_apostrophes_and_cyrillic_pass_unchanged():
    text = "O'zbek g‘alla oʻrim gʻisht — Ўзбекистон, Россия"
    assert markdown_to_html(text) == f"<p>{text}</p>"
