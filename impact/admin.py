from django.contrib import admin

from impact.models import Assessment, AssessmentRevision, Obligation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(ReadOnlyInline):
    model = AssessmentRevision
    fields = ["number", "version", "author", "created_at", "reason"]


class ObligationInline(ReadOnlyInline):
    model = Obligation
    fields = ["key", "name", "group", "tariff", "time", "population", "frequency", "external"]


# Revisions are immutable history written by impact.services; the admin only reads them.
@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["draft", "created_at"]
    search_fields = ["draft__number", "draft__title"]
    list_select_related = ["draft"]
    readonly_fields = ["draft", "created_at", "next_obligation"]
    inlines = [RevisionInline]


@admin.register(AssessmentRevision)
class AssessmentRevisionAdmin(admin.ModelAdmin):
    list_display = ["assessment", "number", "version", "author", "created_at"]
    list_select_related = ["assessment__draft", "version__draft", "author"]
    search_fields = ["assessment__draft__number", "reason"]
    inlines = [ObligationInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "group", "revision"]
    list_filter = ["group"]
    list_select_related = ["revision__assessment__draft"]
    search_fields = ["name", "key"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
