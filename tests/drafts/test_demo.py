import itertools

import pytest
from django.urls import reverse

import sovaz.demo
from drafts import demo
from drafts.diffing import diff_structures
from drafts.models import Draft, Version
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    sovaz.demo.load()
    demo.load()


def test_demo_is_idempotent(loaded):
    counts = (Draft.objects.count(), Version.objects.count(), Draft.history.count())
    demo.load()
    assert (Draft.objects.count(), Version.objects.count(), Draft.history.count()) == counts


def test_demo_has_drafts_in_uzbek_and_russian_with_several_versions(loaded):
    drafts = Draft.objects.all()
    assert drafts.count() >= 3
    assert {d.language for d in drafts} >= {"uz", "ru"}
    assert all(d.versions.count() >= 2 for d in drafts)


def test_demo_has_a_draft_open_now_one_in_drafting_and_one_whose_discussion_ended(loaded):
    assert Draft.objects.open_for_comment().exists()
    assert Draft.objects.filter(status=Draft.Status.DRAFTING).exists()
    ended = Draft.objects.get(number="ID-2026-0117")
    assert ended.status == Draft.Status.DISCUSSION and not ended.is_open_for_comment()


def test_demo_versions_show_added_removed_moved_and_changed_articles(loaded):
    seen = {"added": 0, "removed": 0, "moved": 0, "changed": 0}
    for draft in Draft.objects.all():
        versions = list(draft.versions.order_by("number"))
        for old, new in itertools.pairwise(versions):
            counts = diff_structures(old.structure, new.structure).counts
            for status in seen:
                seen[status] += counts[status]
    assert all(seen.values()), seen


def test_demo_pages_render(loaded):
    client = client_for(None)
    assert client.get(reverse("home")).status_code == 200
    for draft in Draft.objects.public():
        assert client.get(draft.get_absolute_url()).status_code == 200
        last = draft.versions.count()
        url = reverse("drafts:diff", args=[draft.pk])
        assert client.get(url, {"from": 1, "to": last}).status_code == 200
