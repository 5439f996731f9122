"""Who may read reports.

Decision: the report of a draft is readable by whoever may read the draft — the public once it
is public, before that its agency and the site-wide roles — because every fact in it is already
public on the pages it summarises (how each agency voted follows voting's own rule: hidden
until the round closes, except to that agency's voters and the secretariat). The dashboard,
which lists drafts across agencies with their deadlines, is a working tool for legislators, the
secretariat, moderators and agency members.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from drafts.models import Draft
from drafts.permissions import can_view_draft
from sovaz.accounts.permissions import AnyUser, is_official, is_secretariat


def can_view_report(user: AnyUser, draft: Draft) -> bool:
    return can_view_draft(user, draft)


def can_see_delivery_details(user: AnyUser) -> bool:
    """The technical text of a failed e-parliament delivery (host names, addresses) is for the
    secretariat and the administrators; everyone else reads why in words."""
    return is_secretariat(user) or bool(user.is_authenticated and user.is_active and user.is_staff)


def can_view_dashboard(user: AnyUser) -> bool:
    """Legislators, the secretariat, moderators and members of any agency."""
    return is_official(user)


def get_report_draft_for_user(user: AnyUser, pk: int) -> Draft:
    """The draft whose report is asked for, or 404 to those who may not read it."""
    try:
        draft = Draft.objects.select_related("agency", "created_by").get(pk=pk)
    except Draft.DoesNotExist:
        raise Http404(_("No such draft.")) from None
    if not can_view_report(user, draft):
        raise Http404(_("No such draft."))
    return draft
