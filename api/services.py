"""Writes of the API app: issuing and revoking machine-client tokens."""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, token_hash
from sovaz.accounts.models import User
from sovaz.audit.services import action_log

TOKEN_PREFIX = "sovaz_"  # noqa: S105 (a label, not a secret)


def api_token_create(*, name: str, actor: User | None) -> tuple[ApiToken, str]:
    """Issue a token; returns it with the clear text, which is shown once and never stored."""
    if not name.strip():
        raise ValidationError(_("Name the client that will use the token."), code="name_required")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip(), token_hash=token_hash(clear), prefix=clear[:12], created_by=actor
        )
        action_log(actor=actor, code="api.token.created", target=token, data={"name": token.name})
    return token, clear


def api_token_revoke(*, token: ApiToken, actor: User | None, now: datetime | None = None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
            revoked_at=now or timezone.now()
        )
        action_log(actor=actor, code="api.token.revoked", target=token)


def api_token_authenticate(clear: str) -> ApiToken | None:
    """The active token with this clear text, or None. Marks it used (at most once a minute)."""
    token = ApiToken.objects.filter(token_hash=token_hash(clear), revoked_at=None).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
