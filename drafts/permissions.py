"""Who may see and do what with drafts. Named predicates, each tested in tests/drafts."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from drafts.models import Draft, DraftQuerySet
from sovaz.accounts.permissions import (
    AnyUser,
    is_editor_of,
    is_legislator,
    is_member_of,
    is_moderator,
    is_secretariat,
)


def can_view_draft(user: AnyUser, draft: Draft) -> bool:
    """The public sees a draft once it left drafting; before that, its agency and the staff."""
    if draft.status != Draft.Status.DRAFTING and draft.published_at is not None:
        return True
    return (
        is_member_of(user, draft.agency_id)
        or is_secretariat(user)
        or is_moderator(user)
        or is_legislator(user)
    )


def can_edit_draft(user: AnyUser, draft: Draft) -> bool:
    """Editors of the developing agency change text and metadata while drafted or discussed."""
    return is_editor_of(user, draft.agency_id) and draft.status in (
        Draft.Status.DRAFTING,
        Draft.Status.DISCUSSION,
    )


def can_create_draft(user: AnyUser) -> bool:
    from sovaz.accounts.permissions import editor_agency_ids

    return bool(editor_agency_ids(user))


def can_open_discussion(user: AnyUser, draft: Draft) -> bool:
    return is_editor_of(user, draft.agency_id) and draft.status == Draft.Status.DRAFTING


def can_withdraw(user: AnyUser, draft: Draft) -> bool:
    return draft.is_open and (is_editor_of(user, draft.agency_id) or is_secretariat(user))


def visible_drafts(user: AnyUser) -> DraftQuerySet:
    """The drafts `user` may see in lists; the same rule as `can_view_draft`, as a query."""
    from sovaz.accounts.permissions import editor_agency_ids, voter_agency_ids

    drafts = Draft.objects.all()
    if is_secretariat(user) or is_moderator(user) or is_legislator(user):
        return drafts
    own = editor_agency_ids(user) | voter_agency_ids(user)
    public = Q(published_at__isnull=False) & ~Q(status=Draft.Status.DRAFTING)
    return drafts.filter(public | Q(agency_id__in=own)) if own else drafts.public()


def get_draft_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Draft:
    """Load a draft for this user: 404 to those who may not see it, 403 to read-only viewers."""
    try:
        draft = Draft.objects.select_related("agency").get(pk=pk)
    except Draft.DoesNotExist:
        raise Http404(_("No such draft.")) from None
    if not can_view_draft(user, draft):
        raise Http404(_("No such draft."))
    if write and not can_edit_draft(user, draft):
        raise PermissionDenied(_("Only editors of the developing agency may change this draft."))
    return draft
