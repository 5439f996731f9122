from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from discussions.models import Comment, Disposition, Notification, Report


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "draft", "author", "anchor_kind", "depth", "visibility", "created_at"]
    list_filter = ["visibility", "anchor_kind"]
    search_fields = ["body", "author__email", "draft__number"]
    raw_id_fields = ["draft", "version", "parent", "author", "hidden_by"]
    # Writes go through discussions.services (moderation page), which logs and broadcasts.
    readonly_fields = [
        "body_html",
        "report_count",
        "revision",
        "visibility",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "deleted_at",
        "edited_at",
    ]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reporter", "created_at", "resolved_at"]
    raw_id_fields = ["comment", "reporter"]


@admin.register(Disposition)
class DispositionAdmin(SimpleHistoryAdmin):
    list_display = ["comment", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["comment", "changed_in_version", "decided_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "kind",
        "comment",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_next_try_at",
        "email_sent_at",
        "short_email_error",
    ]
    list_filter = ["email_status", "kind"]
    list_select_related = ["recipient", "comment__author", "comment__draft"]
    raw_id_fields = ["recipient", "comment"]
    # The e-mail state is the outbox's: only the send_notifications worker changes it.
    readonly_fields = [
        "email_status",
        "email_attempts",
        "email_next_try_at",
        "email_sent_at",
        "email_error",
        "email_language",
    ]

    @admin.display(description=_("e-mail error"))
    def short_email_error(self, obj: Notification) -> str:
        return obj.email_error[:80]
