from django.contrib import admin

from kintsugi.postmortems.models import ActionItem, Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "severity", "status", "team", "started_at")
    list_filter = ("severity", "status", "team", "is_restricted")
    search_fields = ("title",)
    filter_horizontal = ("services", "authors", "members")
    list_select_related = ("team",)
    raw_id_fields = ("created_by",)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "incident", "priority", "owner", "ticket_id", "due_on", "status")
    list_filter = ("priority", "status")
    search_fields = ("title", "ticket_id")
    raw_id_fields = ("incident", "owner", "factor")
