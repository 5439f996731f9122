from datetime import datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft
from sovaz.accounts.models import Agency


class DashboardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Draft.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of act"), required=False, choices=[("", _("Any")), *Draft.Kind.choices]
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.order_by("name_en"),
        empty_label=_("All agencies"),
    )
    since = forms.DateField(
        label=_("Changed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Changed until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The period ends before it starts."), code="bad_period")
        return data

    def filter(self, drafts: QuerySet[Draft]) -> QuerySet[Draft]:
        """The drafts matching the filter; the period is on the last change, whole days."""
        data = self.cleaned_data
        if data.get("status"):
            drafts = drafts.filter(status=data["status"])
        if data.get("kind"):
            drafts = drafts.filter(kind=data["kind"])
        if data.get("agency"):
            drafts = drafts.filter(agency=data["agency"])
        zone = timezone.get_current_timezone()
        if data.get("since"):
            drafts = drafts.filter(updated_at__gte=datetime.combine(data["since"], time(), zone))
        if data.get("until"):
            end = datetime.combine(data["until"] + timedelta(days=1), time(), zone)
            drafts = drafts.filter(updated_at__lt=end)
        return drafts
