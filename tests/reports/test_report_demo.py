"""The reports of the demo drafts show real data in every section.

The demo spreads its story over two drafts: the comments are on ID-2026-0142 (open for comment)
and the closed vote is on ID-2026-0117 (its discussion is over), so each section is checked on
the draft that has its data.
"""

import importlib

import pytest

from drafts.models import Draft
from tests.conftest import client_for

DEMO = ["sovaz.demo", "drafts.demo", "impact.demo", "discussions.demo", "voting.demo"]


@pytest.fixture
def demo(db):
    for name in DEMO:
        importlib.import_module(name).load()


def _sections(html: str) -> dict[str, str]:
    parts = html.split('<section id="')[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def test_demo_reports_show_every_section_with_real_data(demo):
    from sovaz.accounts.models import User

    client = client_for(User.objects.get(email="deputy@parliament.uz"))  # the demo legislator
    discussed = Draft.objects.get(number="ID-2026-0142")
    voted = Draft.objects.get(number="ID-2026-0117")
    first = _sections(client.get(f"/reports/drafts/{discussed.pk}/").content.decode())
    second = _sections(client.get(f"/reports/drafts/{voted.pk}/").content.decode())
    for name in ("status", "versions", "comments", "dispositions", "assessment"):
        assert "No data yet." not in first[name] and "No comments yet." not in first[name], name
    for name in ("status", "versions", "assessment", "votes", "integrity"):
        assert "No data yet." not in second[name], name
    assert "heat heat-5" in first["comments"]
    assert "Net present value" in first["assessment"]
    assert "The ledger was verified" in second["integrity"]
    assert "Voting round closed" in second["status"]
