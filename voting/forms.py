from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft, Version
from sovaz.accounts.models import Agency
from voting.models import Choice
from voting.rules import DEFAULT_RULE, RULE_CHOICES


class RoundOpenForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Version voted on"), queryset=Version.objects.none(), empty_label=None
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Invited agencies"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Frozen when the round opens. The developing agency does not vote."),
        error_messages={"required": _("Choose at least one agency to invite.")},
    )
    deadline = forms.DateTimeField(
        label=_("Deadline (Tashkent time)"),
        # The picker shows and sends only ISO values, whatever the page language; Django's
        # localized parsers always accept ISO input as well.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": _(
                "Enter the deadline as a date and a time, such as 2026-12-01T18:00 (Tashkent time)."
            )
        },
    )
    rule = forms.ChoiceField(label=_("Quorum and decision rule"), choices=RULE_CHOICES)
    override_reason = forms.CharField(
        label=_("Reason to proceed with unanswered comments"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when some comments have not been answered by the agency."),
    )

    # Which field a refusal of voting.services.round_open is about.
    FIELD_FOR_CODE = {"deadline_too_soon": "deadline"}

    def __init__(self, *args, draft: Draft, **kwargs) -> None:
        # A round opens only after the announced discussion, so its deadline is counted from
        # whichever comes later: now or the discussion's end.
        now = timezone.now()
        start = max(now, draft.discussion_ends_at or now)
        kwargs.setdefault(
            "initial",
            {
                "rule": DEFAULT_RULE,
                "deadline": timezone.localtime(start + timedelta(days=5)).replace(
                    hour=18, minute=0, second=0, microsecond=0
                ),
            },
        )
        super().__init__(*args, **kwargs)
        versions = draft.versions.order_by("-number")
        self.fields["version"].queryset = versions
        self.fields["version"].initial = versions.first()
        self.fields["version"].label_from_instance = lambda v: f"v{v.number} — {v.text_hash[:12]}"
        eligible = (
            Agency.objects.filter(is_active=True).exclude(pk=draft.agency_id).order_by("name_en")
        )
        self.fields["agencies"].queryset = eligible
        # Usually every other agency is asked; the secretariat unticks the exceptions.
        self.fields["agencies"].initial = list(eligible.values_list("pk", flat=True))

    def add_service_error(self, exc: ValidationError) -> None:
        """Show the service's refusal on the field it is about, or above the form."""
        self.add_error(self.FIELD_FOR_CODE.get(getattr(exc, "code", None) or ""), exc)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("The agency's vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required for every choice but a plain approval."),
    )
    article_wids = forms.MultipleChoiceField(
        label=_("Articles the remarks refer to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, articles: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article_wids"].choices = articles
