from django.contrib import admin

from kintsugi.capture.models import RawDelivery, SlackImport, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "team", "created_at", "is_active")
    exclude = ("secret_hash", "signing_secret", "previous_secret_hash", "previous_signing_secret")


@admin.register(RawDelivery)
class RawDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("source", "received_at", "status", "events_added", "body_size")
    list_filter = ("status",)
    readonly_fields = ("source", "received_at", "body_size", "headers", "status", "reason")
    exclude = ("body",)


@admin.register(SlackImport)
class SlackImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Uploads for audit: who, what, the outcome; never the messages themselves."""

    list_display = ("incident", "received_at", "channel", "status", "candidates_added", "body_size")
    list_filter = ("status",)
    readonly_fields = (
        "incident",
        "uploaded_by",
        "received_at",
        "file_name",
        "body_size",
        "channel",
        "channel_id",
        "window_start",
        "window_end",
        "workspace_url",
        "reactions",
        "status",
        "reason",
        "candidates_added",
    )
    exclude = ("body",)
