from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sovaz.accounts.models import User
from sovaz.audit.services import action_log


def user_register(
    *, email: str, full_name: str, password: str, kind: str, organisation: str = ""
) -> User:
    """Self-registration for citizens and businesses; never grants an official role."""
    if kind not in (User.Kind.CITIZEN, User.Kind.BUSINESS):
        raise ValidationError(_("Choose citizen or business."), code="bad_kind")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                full_name=full_name.strip(),
                password=password,
                kind=kind,
                organisation=organisation.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            _("An account with this e-mail address already exists."), code="duplicate_email"
        ) from None


def user_block(*, user: User, moderator: User, reason: str, blocked: bool = True) -> User:
    """Block (or unblock) a user from posting; moderators only (checked by the caller)."""
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_blocked = blocked
        user.save(update_fields=["is_blocked"])
        action_log(
            actor=moderator,
            code="accounts.user.blocked" if blocked else "accounts.user.unblocked",
            target=user,
            data={"reason": reason.strip()},
        )
    return user
