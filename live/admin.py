from django.contrib import admin

from live.models import LiveEvent, LiveStream


@admin.register(LiveStream)
class LiveStreamAdmin(admin.ModelAdmin):
    list_display = ["draft", "last_seq"]
    raw_id_fields = ["draft"]
    readonly_fields = ["draft", "last_seq"]


@admin.register(LiveEvent)
class LiveEventAdmin(admin.ModelAdmin):
    """Read-only: events are a log written by live.services.event_publish."""

    list_display = ["draft", "seq", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["draft"]
    readonly_fields = ["draft", "seq", "kind", "data", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
