"""Hostile input through the comment form: a clear 4xx or harmless stored text, never a 500."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from discussions.models import Comment
from tests.conftest import CORPORA, client_for


def _lines(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


BLNS = _lines(CORPORA / "naughty-strings" / "blns.txt")
SSTI = _lines(CORPORA / "ssti" / "ssti.fuzz.txt")
HANDWRITTEN = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    "<b><i>broken <u>markup",
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<<<>>>" * 100,
    "> " * 2000,
    "a\x00b",
    "x" * 5001,
]


def _dangerous(fragment: str) -> list[str]:
    """Executable things in rendered comment HTML."""
    problems = []
    tree = lxml_html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("script", "iframe", "object", "embed", "svg", "img", "style", "form"):
            problems.append(el.tag)
        for name, value in el.attrib.items():
            if name.startswith("on") or name == "style":
                problems.append(f"{el.tag}@{name}")
            if name == "href" and not re.match(
                r"^(https?:|mailto:|/|#|[^:]*$)", value.strip(), re.I
            ):
                problems.append(f"href={value}")
    return problems


@pytest.mark.parametrize("payload", BLNS + SSTI + HANDWRITTEN)
def test_hostile_comment_is_refused_clearly_or_stored_harmlessly(open_draft, citizen, payload):
    client = client_for(citizen)
    response = client.post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": payload}
    )
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert 'role="alert"' in response.text
        assert not Comment.objects.exists()
        return
    comment = Comment.objects.get()
    assert comment.body == payload.replace("\r\n", "\n").replace("\r", "\n")
    assert _dangerous(comment.body_html) == []
    page = client.get(reverse("discussions:draft", args=[open_draft.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("payload", ["{{7*7}}", "{% debug %}", "${7*7}"])
def test_template_syntax_renders_literally(open_draft, citizen, payload):
    client = client_for(citizen)
    client.post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": "draft", "body": payload}
    )
    page = client.get(reverse("discussions:draft", args=[open_draft.pk])).text
    assert payload in page and "49" not in Comment.objects.get().body_html


@pytest.mark.parametrize("anchor", ["wid:../../etc", "wid:", "wid:art_999", "provision", "x" * 300])
def test_bad_anchors_are_400(open_draft, citizen, anchor):
    response = client_for(citizen).post(
        reverse("discussions:create", args=[open_draft.pk]), {"anchor": anchor, "body": "x"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("version", ["99", "0", "-1", "abc", "1 OR 1=1"])
def test_bad_versions_are_4xx(open_draft, citizen, version):
    response = client_for(citizen).post(
        reverse("discussions:create", args=[open_draft.pk]),
        {"anchor": "draft", "body": "x", "version": version},
    )
    assert response.status_code in (400, 404)
