from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sovaz.accounts.models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    kind = forms.ChoiceField(
        label=_("I take part as"),
        choices=[
            (User.Kind.CITIZEN, _("a citizen")),
            (User.Kind.BUSINESS, _("a business")),
        ],
        initial=User.Kind.CITIZEN,
    )
    organisation = forms.CharField(
        label=_("Organisation (for businesses)"), max_length=200, required=False
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."), code="duplicate_email"
            )
        return email

    def clean(self):
        data = super().clean()
        if data.get("kind") == User.Kind.BUSINESS and not data.get("organisation", "").strip():
            self.add_error(
                "organisation",
                forms.ValidationError(
                    _("Name the business you speak for."), code="organisation_required"
                ),
            )
        if data.get("password"):
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
