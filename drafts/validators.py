from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NUMBER_PUNCTUATION = frozenset("-/.")


def validate_draft_number(number: str) -> None:
    """A registration number is letters and digits of any script, joined by - / and . only."""
    if not number or not any(ch.isalnum() for ch in number):
        raise ValidationError(
            _("Give the registration number, e.g. ID-2026-0142."), code="bad_number"
        )
    if not all(ch.isalnum() or ch in NUMBER_PUNCTUATION for ch in number):
        raise ValidationError(
            _(
                "A registration number may contain only letters, digits and the characters "
                "- / and . (e.g. ID-2026-0142)."
            ),
            code="bad_number",
        )
