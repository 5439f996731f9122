import contextlib

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from impact import calculator
from impact.models import CHECKLIST_FIELDS, AssessmentRevision, Obligation

_LIMIT_MESSAGES = {
    "max_value": _("Ensure this value is less than or equal to %(limit)s."),
    "min_value": _("Ensure this value is greater than or equal to %(limit)s."),
}


def _group_limits(form: forms.BaseForm) -> None:
    """Say the range limits as people read numbers ("10,000,000", "10 000 000"), not "10000000".

    Django's range messages print the raw limit. A field's `error_messages` replace a model or
    form validator's message by code, so each gets the tightest limit of that code, formatted in
    the active language when the form is built (one form per request).
    """
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        validators = list(field.validators)
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                validators += model._meta.get_field(name).validators
        limits: dict[str, list] = {"max_value": [], "min_value": []}
        for validator in validators:
            if isinstance(validator, MaxValueValidator | MinValueValidator):
                limits[validator.code].append(validator.limit_value)
        for code, values in limits.items():
            if values:
                limit = min(values) if code == "max_value" else max(values)
                message = _LIMIT_MESSAGES[code] % {
                    "limit": number_format(limit, force_grouping=True)
                }
                # The validator's params are still applied to the message: keep "%" literal.
                field.error_messages[code] = message.replace("%", "%%")


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

    def __init__(self, *args, reason_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _group_limits(self)
        if reason_required:
            # Once the public discussion has opened, impact.services refuses a change without one.
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _(
                "Required once the public discussion has opened. Kept in the revision history."
            )


class ObligationForm(forms.ModelForm):
    class Meta:
        model = Obligation
        fields = ["name", "group", "group_label", "tariff", "time", "population", "frequency",
                  "external"]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _group_limits(self)
        # Django's own blank choice ("- Select an option -") has no Uzbek or Russian translation.
        self.fields["group"].choices = [
            ("", _("Choose the affected group")),
            *Obligation.Group.choices,
        ]

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _group_limits(self)

    @classmethod
    def for_request(cls, data, summary: calculator.Summary | None) -> "DiscountingForm":
        """Bound to ?rate=&years= when given, else showing the saved rate and horizon."""
        if data is not None and "rate" in data:
            return cls(data)
        initial = {"rate": summary.rate, "years": summary.years} if summary else {}
        return cls(initial=initial)
