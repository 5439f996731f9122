from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import MAX_BODY_LENGTH, Comment, Disposition
from discussions.selectors import anchor_labels
from drafts.models import Version

BODY_HELP = _(
    "Up to 5,000 characters. *Emphasis*, **bold**, lists, > quotes and [links](https://…) work."
)


def body_field() -> forms.CharField:
    # No max_length here: the service gives the one precise message about the limit.
    return forms.CharField(
        label=_("Your comment"),
        strip=False,
        help_text=BODY_HELP,
        widget=forms.Textarea(
            attrs={"rows": 5, "maxlength": MAX_BODY_LENGTH, "class": "comment-input"}
        ),
    )


class CommentForm(forms.Form):
    """A top-level comment: what it is about and its text, on the version being read."""

    anchor = forms.ChoiceField(label=_("Comment on"))
    anchor_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    body = body_field()

    def __init__(self, *args: Any, version: Version, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version.number
        labels = anchor_labels(version.structure)
        self.fields["anchor"].choices = [
            ("draft", Comment.Anchor.DRAFT.label),
            ("assessment", Comment.Anchor.ASSESSMENT.label),
            (_("Articles"), [(f"wid:{wid}", label) for wid, label in labels.items()]),
        ]

    def anchor_args(self) -> dict[str, str]:
        """The service's anchor arguments from the chosen option."""
        value = self.cleaned_data["anchor"]
        if value.startswith("wid:"):
            return {"anchor_kind": Comment.Anchor.PROVISION, "anchor_wid": value[4:]}
        return {"anchor_kind": value, "anchor_key": self.cleaned_data.get("anchor_key", "")}


class ReplyForm(forms.Form):
    body = body_field()


class EditForm(forms.Form):
    body = body_field()


class ReasonForm(forms.Form):
    """Why a moderator hides or restores a comment, or dismisses its reports."""

    reason = forms.CharField(
        label=_("Reason for the decision on this comment"),
        help_text=_("Why you hide or restore it, or dismiss its reports; kept in the action log."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BlockForm(forms.Form):
    """Why a moderator blocks the comment's author, or unblocks an author who is blocked."""

    reason = forms.CharField(
        label=_("Reason for blocking the author"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, blocked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if blocked:
            self.fields["reason"].label = _("Reason for unblocking the author")


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why? (optional)"), max_length=1000, required=False)


class DispositionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Disposition.Outcome.choices)
    reasoning = forms.CharField(
        label=_("Reasoning"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown to everyone with the comment."),
    )
    changed_in_version = forms.TypedChoiceField(
        label=_("Changed in version"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, versions: list[Version], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["changed_in_version"].choices = [("", _("— no change to the text —"))] + [
            (v.number, _("Version %(n)s") % {"n": v.number}) for v in versions
        ]


class DispositionFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any")), *Disposition.Outcome.choices, ("none", _("Not answered"))],
    )
    article = forms.ChoiceField(label=_("Article"), required=False)
    answered = forms.ChoiceField(
        label=_("Answered"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Answered")), ("no", _("Not answered"))],
    )

    def __init__(self, *args: Any, version: Version, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [
            ("", _("Any")),
            *anchor_labels(version.structure).items(),
        ]
