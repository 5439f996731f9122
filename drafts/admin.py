from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drafts.models import Draft, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "author", "created_at", "change_reason", "article_count", "text_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "kind", "agency", "status", "impact_level", "updated_at"]
    list_filter = ["status", "kind", "impact_level", "agency"]
    search_fields = ["number", "title", "summary"]
    list_select_related = ["agency"]
    # Status moves only through the workflow services, so that each step is checked and logged.
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    inlines = [VersionInline]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Versions are immutable: the admin shows them and changes nothing."""

    list_display = ["draft", "number", "author", "created_at", "article_count"]
    list_select_related = ["draft", "author"]
    search_fields = ["draft__number", "draft__title", "change_reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
