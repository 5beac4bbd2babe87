from django.contrib import admin

from kintsugi.reviews.models import AuditEntry, TeamReviewSettings


@admin.register(TeamReviewSettings)
class TeamReviewSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "approvals_needed")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "incident_ref", "action", "actor_name")
    list_filter = ("action",)
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
