from django import forms
from django.utils.translation import gettext_lazy as _

from impact import calculator
from impact.models import CHECKLIST_FIELDS, AssessmentRevision, Obligation


class AssessmentForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        required=False,
        help_text=_("Kept in the revision history."),
    )

    class Meta:
        model = AssessmentRevision
        fields = [*CHECKLIST_FIELDS, "discount_rate", "years"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in CHECKLIST_FIELDS}


class ObligationForm(forms.ModelForm):
    class Meta:
        model = Obligation
        fields = ["name", "group", "group_label", "tariff", "time", "population", "frequency",
                  "external"]  # fmt: skip

    def to_input(self) -> calculator.ObligationInput:
        data = self.cleaned_data
        return calculator.ObligationInput(
            name=data["name"],
            group=data["group"],
            group_label=data["group_label"],
            tariff=data["tariff"],
            time=data["time"],
            population=data["population"],
            frequency=data["frequency"],
            external=data["external"],
        )


class DiscountingForm(forms.Form):
    """The calculator's what-if: another rate or horizon, without saving anything."""

    # <input type="number"> reads and sends only machine numbers ("12.00", never "12,00"), so
    # these fields are never localised, whatever the language; the labels still are translated.
    rate = forms.DecimalField(
        label=_("Discount rate (%)"),
        min_value=0,
        max_value=calculator.MAX_RATE,
        max_digits=5,
        decimal_places=2,
        localize=False,
    )
    years = forms.IntegerField(
        label=_("Years"), min_value=1, max_value=calculator.MAX_YEARS, localize=False
    )

    @classmethod
    def for_request(cls, data, summary: calculator.Summary | None) -> "DiscountingForm":
        """Bound to ?rate=&years= when given, else showing the saved rate and horizon."""
        if data is not None and "rate" in data:
            return cls(data)
        initial = {"rate": summary.rate, "years": summary.years} if summary else {}
        return cls(initial=initial)
