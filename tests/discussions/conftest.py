"""Fixtures for the discussion tests: an open draft and a comment on it."""

import pytest

from discussions import services
from tests.conftest import SAMPLE_TEXT_V2


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed per test; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_draft(make_draft):
    """A draft with two versions, open for comment."""
    return make_draft(v2=SAMPLE_TEXT_V2, discussion=True)


@pytest.fixture
def latest(open_draft):
    return open_draft.versions.order_by("-number").first()


@pytest.fixture
def comment(open_draft, citizen):
    return services.comment_create(draft=open_draft, author=citizen, body="Yaxshi loyiha.")


@pytest.fixture
def make_comment(open_draft):
    def build(author, body="Fikr", **kwargs):
        return services.comment_create(draft=open_draft, author=author, body=body, **kwargs)

    return build
