from django.contrib import admin

from kintsugi.five_whys.models import Analysis, WhyNode


@admin.register(WhyNode)
class WhyNodeAdmin(admin.ModelAdmin):
    """Read-mostly: the tree is edited on the post-mortem page, where it is validated."""

    list_display = ("id", "incident", "parent", "position", "question", "is_root_cause")
    list_filter = ("is_root_cause", "starts_branch")
    search_fields = ("question", "answer")
    raw_id_fields = ("incident", "parent")
    filter_horizontal = ("factors", "action_items")


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ("incident", "version")
    raw_id_fields = ("incident",)
