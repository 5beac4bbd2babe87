from django.urls import path

from kintsugi.capture.views import hooks, sources

urlpatterns = [
    path("hooks/<str:kind>/<int:source_id>/", hooks.hook, name="capture-hook"),
    path("settings/sources/", sources.source_settings, name="capture-sources"),
]
