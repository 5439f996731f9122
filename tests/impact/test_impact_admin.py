"""Every impact model is in the admin, read-only: revisions are written only by the services."""

import pytest

from impact import services
from impact.models import Assessment, AssessmentRevision, Obligation
from tests.conftest import client_for, make_user


@pytest.mark.parametrize("model", [Assessment, AssessmentRevision, Obligation])
def test_admin_lists_and_shows_each_model(make_draft, agency_editor, obligation, model):
    draft = make_draft()
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    admin = make_user("root@sovaz.uz", is_staff=True, is_superuser=True)
    client = client_for(admin)
    name = f"/admin/impact/{model._meta.model_name}/"
    assert client.get(name).status_code == 200
    assert client.get(f"{name}{model.objects.get().pk}/change/").status_code == 200


def test_revisions_cannot_be_changed_in_the_admin(make_draft, agency_editor):
    draft = make_draft()
    revision = services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    admin = make_user("root@sovaz.uz", is_staff=True, is_superuser=True)
    url = f"/admin/impact/assessmentrevision/{revision.pk}/change/"
    client_for(admin).post(url, {"problem": "Rewritten", "reason": "x"})
    revision.refresh_from_db()
    assert revision.problem == "Queues"
