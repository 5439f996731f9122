"""Who may see and change impact assessments. They follow the draft they assess."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from drafts.models import Draft
from drafts.permissions import can_view_draft
from sovaz.accounts.permissions import AnyUser, is_editor_of


def can_view_assessment(user: AnyUser, draft: Draft) -> bool:
    """Whoever may read the draft may read its assessment: the public once it is public."""
    return can_view_draft(user, draft)


def can_edit_assessment(user: AnyUser, draft: Draft) -> bool:
    """Editors of the developing agency, while the draft is drafted or discussed."""
    return is_editor_of(user, draft.agency_id) and draft.status in (
        Draft.Status.DRAFTING,
        Draft.Status.DISCUSSION,
    )


def discussion_opened(draft: Draft) -> bool:
    """Whether the draft has left the drafting stage: its assessment is then public record."""
    return draft.status != Draft.Status.DRAFTING


def get_assessed_draft_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Draft:
    """The draft whose assessment is asked for: 404 if it may not be seen, 403 if read-only."""
    try:
        draft = Draft.objects.select_related("agency").get(pk=pk)
    except Draft.DoesNotExist:
        raise Http404(_("No such draft.")) from None
    if not can_view_assessment(user, draft):
        raise Http404(_("No such draft."))
    if write and not can_edit_assessment(user, draft):
        raise PermissionDenied(
            _("Only editors of the developing agency may change this assessment.")
        )
    return draft
