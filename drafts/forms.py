from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.docx import docx_to_text
from drafts.models import Draft, Version
from drafts.validators import validate_draft_number
from sovaz.accounts.models import Agency

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_FORMATS = {
    ".txt": Version.Format.TEXT,
    ".md": Version.Format.MARKDOWN,
    ".docx": Version.Format.DOCX,
}


# A browser's date picker shows and sends only ISO dates, whatever the page language; Django's
# localized parsers always accept ISO input too, so posting the picker's value works in ru/uz.
ISO_DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices) -> list[tuple[str, str]]:
    return [("", _("Any")), *choices]


class DraftFilterForm(forms.Form):
    """The filters of the draft list; every field is optional and invalid ones are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])
    kind = forms.ChoiceField(label=_("Kind of act"), required=False, choices=[])
    agency = forms.ModelChoiceField(
        label=_("Developing agency"), required=False, queryset=Agency.objects.none()
    )
    open = forms.BooleanField(label=_("Open for comment now"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["status"].choices = _blank(Draft.Status.choices)
        self.fields["kind"].choices = _blank(Draft.Kind.choices)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["agency"].empty_label = _("Any")
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or summary")
        self.fields["q"].widget.input_type = "search"

    def value(self, name: str):
        """The cleaned value of a filter, or None when it is empty or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class TextSourceForm(forms.Form):
    """The text of a version: pasted into the box or uploaded as .txt, .md or .docx."""

    source_format = forms.ChoiceField(
        label=_("Format of the pasted text"),
        choices=[
            (Version.Format.TEXT, Version.Format.TEXT.label),
            (Version.Format.MARKDOWN, Version.Format.MARKDOWN.label),
        ],
        initial=Version.Format.TEXT,
        help_text=_("An uploaded file's format follows its name (.txt, .md or .docx)."),
    )
    text = forms.CharField(
        label=_("Text of the act"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"class": "source", "spellcheck": "false"}),
        help_text=_(
            "Start each article on its own line, e.g. “1-modda. Maqsad”, “Статья 1.” or "
            "“Article 1.”; chapters likewise (“1-bob.”, “Глава 1.”)."
        ),
    )
    upload = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_("Plain text (.txt), Markdown (.md) or Word (.docx), at most 5 MB."),
    )

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("upload")
        if upload:
            data["text"], data["source_format"] = self._read_upload(upload)
        elif not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the text of the act or upload a file."), code="no_text")
        return data

    def _read_upload(self, upload) -> tuple[str, str]:
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        fmt = UPLOAD_FORMATS.get(suffix)
        if fmt is None:
            raise ValidationError(_("Upload a .txt, .md or .docx file."), code="bad_upload_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="upload_too_large")
        data = upload.read()
        if fmt == Version.Format.DOCX:
            return docx_to_text(data), fmt
        try:
            return data.decode("utf-8-sig"), fmt
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text; save it as UTF-8 and upload it again."),
                code="bad_encoding",
            ) from None


class DraftCreateForm(TextSourceForm):
    agency = forms.ModelChoiceField(label=_("Developing agency"), queryset=Agency.objects.none())
    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        validators=[validate_draft_number],
        help_text=_("Registration number, e.g. ID-2026-0142."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of act"), choices=Draft.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    impact_level = forms.ChoiceField(
        label=_("Impact level"),
        choices=Draft.ImpactLevel.choices,
        initial=Draft.ImpactLevel.MEDIUM,
        help_text=_("Sets the minimum length of the public discussion."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=Draft.Language.choices)

    field_order = ["agency", "number", "title", "kind", "summary", "impact_level", "language"]

    def __init__(self, *args, agency_ids: set[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.fields["agency"]
        agencies.queryset = Agency.objects.filter(pk__in=agency_ids)
        # Django's own "- Select an option -" has no Uzbek or Russian translation.
        agencies.empty_label = _("— Choose the agency —")
        if len(agency_ids) == 1:
            agencies.initial = next(iter(agency_ids))


class VersionPublishForm(TextSourceForm):
    change_reason = forms.CharField(
        label=_("What changed and why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the version history, e.g. “Article 5 revised after comments”."),
    )


class DraftEditForm(forms.Form):
    """The metadata of a draft; a plain form so that the draft changes only in the service."""

    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of act"), choices=Draft.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    impact_level = forms.ChoiceField(label=_("Impact level"), choices=Draft.ImpactLevel.choices)
    language = forms.ChoiceField(label=_("Language of the text"), choices=Draft.Language.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("Kept in the draft's history with your name."),
    )

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


class OpenDiscussionForm(forms.Form):
    """The public discussion runs from the start of the first day to the end of the last day."""

    starts_on = forms.DateField(label=_("Discussion opens on"), widget=ISO_DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day of the discussion"), widget=ISO_DATE_INPUT)

    # Which field a refusal of drafts.services.draft_open_discussion is about.
    FIELD_FOR_CODE = {
        "period_starts_in_past": "starts_on",
        "period_reversed": "ends_on",
        "period_in_past": "ends_on",
        "period_too_short": "ends_on",
    }

    def clean_starts_on(self) -> date:
        starts = self.cleaned_data["starts_on"]
        if starts < timezone.localdate():
            raise ValidationError(
                _("The discussion cannot open in the past; choose today or a later day."),
                code="period_starts_in_past",
            )
        return starts

    def add_service_error(self, exc: ValidationError) -> None:
        """Show the service's refusal on the field it is about, or above the form."""
        field = self.FIELD_FOR_CODE.get(getattr(exc, "code", None) or "")
        self.add_error(field, exc)

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if ends and ends.year > 2999:
            raise ValidationError(_("Choose a date in this century."), code="period_far")
        if starts and ends and (ends - starts).days > 366:
            raise ValidationError(
                _("A public discussion lasts at most a year."), code="period_too_long"
            )
        return data

    @staticmethod
    def initial_for(draft: Draft) -> dict[str, date]:
        today = timezone.localdate()
        days = settings.DISCUSSION_MIN_DAYS[draft.impact_level]
        return {"starts_on": today, "ends_on": today + timedelta(days=days)}

    def period(self) -> tuple[datetime, datetime]:
        """The aware [start, end) of the period, in Tashkent time."""
        zone = ZoneInfo(settings.TIME_ZONE)
        starts = datetime.combine(self.cleaned_data["starts_on"], time.min, tzinfo=zone)
        ends_day = self.cleaned_data["ends_on"] + timedelta(days=1)
        return starts, datetime.combine(ends_day, time.min, tzinfo=zone)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
