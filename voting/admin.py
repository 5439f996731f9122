"""Every voting model is visible to staff, and read-only: writes go through voting.services."""

from django.contrib import admin

from voting.models import LedgerEntry, LedgerHead, Round, RoundInvitation, Vote, VoteChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InvitationInline(admin.TabularInline):
    model = RoundInvitation
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["draft", "version", "status", "deadline", "outcome", "turnout"]
    list_filter = ["status", "outcome", "rule"]
    search_fields = ["draft__number", "draft__title"]
    inlines = [InvitationInline]


@admin.register(RoundInvitation)
class RoundInvitationAdmin(ReadOnlyAdmin):
    list_display = ["round", "agency"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["round", "agency", "choice", "revision", "cast_at", "receipt_hash"]
    list_filter = ["choice"]


@admin.register(VoteChange)
class VoteChangeAdmin(ReadOnlyAdmin):
    list_display = ["round", "agency", "revision", "choice", "cast_at"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "kind", "round", "agency", "at", "entry_hash"]
    list_filter = ["kind"]


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyAdmin):
    list_display = ["seq", "last_hash"]
