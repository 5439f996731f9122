from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here or by `manage.py api_token_create`; the clear text is shown once."""

    form = ApiTokenForm
    list_display = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        token, clear = api_token_create(name=obj.name, actor=request.user)
        obj.pk, obj.token_hash, obj.prefix = token.pk, token.token_hash, token.prefix
        obj._state.adding = False
        messages.warning(
            request,
            _("The token is %(token)s — copy it now; it is not stored and cannot be shown again.")
            % {"token": clear},
        )

    @admin.action(description=gettext_lazy("Revoke"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at=None):
            api_token_revoke(token=token, actor=request.user)
