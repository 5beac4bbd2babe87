from django.urls import path

from kintsugi.trackers.views import hooks, settings

urlpatterns = [
    path("hooks/trackers/<str:kind>/<int:connection_id>/", hooks.tracker_hook, name="tracker-hook"),
    path("settings/trackers/", settings.tracker_settings, name="tracker-settings"),
]
