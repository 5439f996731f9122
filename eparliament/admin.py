from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eparliament import services, signing
from eparliament.models import Alert, Delivery, Endpoint, Export
from sovaz.audit.services import action_log


class AlertBannerMixin:
    """Shows every unresolved alert at the top of the change list, as an error message."""

    def changelist_view(self, request, extra_context=None):
        for alert in Alert.objects.filter(resolved_at=None)[:10]:
            messages.error(request, f"{alert.get_kind_display()}: {alert.message}")
        return super().changelist_view(request, extra_context)


class EndpointForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to generate one; share it with the receiver."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "secret", "active", "allow_private"]

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"] or signing.secret_generate()
        try:
            signing.secret_key(secret)
        except signing.InvalidSecret as exc:
            raise ValidationError(str(exc), code="bad_secret") from None
        return secret

    def clean(self):
        data = super().clean()
        if data.get("url"):
            allow = data.get("allow_private", self.instance.allow_private)
            try:
                services.endpoint_check_url(url=data["url"], allow_private=allow)
            except ValidationError as exc:
                self.add_error("url", exc)
        return data


@admin.register(Endpoint)
class EndpointAdmin(AlertBannerMixin, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "active", "allow_private", "disabled_reason", "updated_at"]
    list_filter = ["active", "allow_private"]
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        action_log(
            actor=request.user,
            code="eparliament.endpoint.updated" if change else "eparliament.endpoint.created",
            target=obj,
            data={"url": obj.url, "active": obj.active, "allow_private": obj.allow_private},
        )

    def get_readonly_fields(self, request, obj=None):
        # Allowing private addresses is an administrator's decision (SSRF protection).
        return [] if request.user.is_superuser else ["allow_private"]

    @admin.action(description=_("Rotate the secret (the old one signs for one more day)"))
    def rotate_secret(self, request, queryset) -> None:
        for endpoint in queryset:
            services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        self.message_user(request, _("New secrets made; give them to the receivers."))


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["webhook_id", "endpoint", "status", "attempts", "last_status_code", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Export)
class ExportAdmin(AlertBannerMixin, admin.ModelAdmin):
    list_display = ["id", "kind", "draft", "version", "round", "is_valid", "created_at"]
    list_filter = ["is_valid", "kind"]
    list_select_related = ["draft", "version", "round"]
    search_fields = ["draft__number", "draft__title"]
    readonly_fields = ["kind", "draft", "version", "round", "is_valid", "errors", "created_at"]
    exclude = ["bundle", "body", "documents"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(AlertBannerMixin, admin.ModelAdmin):
    list_display = [
        "webhook_id",
        "endpoint",
        "export",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "short_error",
        "delivered_at",
    ]
    list_filter = ["status", "endpoint"]
    list_select_related = ["endpoint", "export__draft", "export__version"]
    search_fields = ["webhook_id", "export__draft__number"]
    readonly_fields = [
        "export",
        "endpoint",
        "webhook_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "last_error_code",
        "delivered_at",
        "created_at",
    ]
    actions = ["resend"]

    @admin.display(description=_("last error"))
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Re-send (same webhook id and body)"))
    def resend(self, request, queryset) -> None:
        count = 0
        for delivery in queryset:
            try:
                services.delivery_resend(delivery=delivery, actor=request.user)
                count += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", count)
            % {"n": count},
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "message", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["kind", "message", "export", "delivery", "endpoint", "created_at"]
    actions = ["resolve"]

    @admin.action(description=_("Mark as resolved"))
    def resolve(self, request, queryset) -> None:
        queryset.filter(resolved_at=None).update(resolved_at=timezone.now())

    def has_add_permission(self, request) -> bool:
        return False
