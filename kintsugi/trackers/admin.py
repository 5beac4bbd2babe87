from django.contrib import admin

from kintsugi.trackers.models import AccountMapping, SyncJob, TicketLink, TrackerConnection


@admin.register(TrackerConnection)
class TrackerConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "team", "project", "token_env", "is_active")
    exclude = ("webhook_secret",)  # shown once by `kintsugi tracker add`


@admin.register(AccountMapping)
class AccountMappingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tracker accounts whose email matches no user, matched by hand."""

    list_display = ("connection", "account", "user")


@admin.register(TicketLink)
class TicketLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("action_item", "connection", "key", "last_synced_at", "sync_error")
    readonly_fields = ("action_item", "connection", "key", "url", "snapshot", "synced_version")


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("idempotency_key", "kind", "state", "attempts", "next_attempt_at", "last_error")
    list_filter = ("state", "kind")
