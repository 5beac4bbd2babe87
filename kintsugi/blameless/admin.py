from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from kintsugi.blameless.models import SINGLETON_PK, LanguageSettings
from kintsugi.blameless.services import language_settings


@admin.register(LanguageSettings)
class LanguageSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it cannot be added twice or deleted."""

    fields = (
        "publishing_mode",
        "disabled_rules",
        "enabled_rules",
        "extra_terms",
        "allowed_phrases",
        "people",
        "updated_at",
    )
    readonly_fields = ("updated_at",)

    def changelist_view(self, request: HttpRequest, extra_context=None):  # type: ignore[no-untyped-def]
        language_settings()  # make sure the row exists
        return HttpResponseRedirect(
            reverse("admin:blameless_languagesettings_change", args=[SINGLETON_PK])
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
