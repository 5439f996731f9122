from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sovaz.accounts.models import Agency, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "kind",
        "is_moderator",
        "is_secretariat",
        "is_legislator",
        "is_blocked",
        "is_staff",
    ]
    list_filter = [
        "kind",
        "is_moderator",
        "is_secretariat",
        "is_legislator",
        "is_blocked",
        "is_staff",
    ]
    search_fields = ["email", "full_name", "organisation"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "kind", "organisation"]}),
        (
            _("Site roles"),
            {"fields": ["is_moderator", "is_secretariat", "is_legislator", "is_blocked"]},
        ),
        (
            _("Administration"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uz", "name_ru", "name_en", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_uz", "name_ru", "name_en"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role", "agency"]
    search_fields = ["user__email", "agency__code"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
