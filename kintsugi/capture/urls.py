from django.urls import path

from kintsugi.capture.views import hooks, slack, sources

urlpatterns = [
    path("hooks/<str:kind>/<int:source_id>/", hooks.hook, name="capture-hook"),
    path("settings/sources/", sources.source_settings, name="capture-sources"),
    # Slack exports for one incident (issue 16): upload, then pick the messages to keep.
    path("incidents/<int:pk>/slack/", slack.slack_import_page, name="slack-import"),
    path("incidents/<int:pk>/slack/candidates/", slack.slack_candidates, name="slack-candidates"),
    path(
        "incidents/<int:pk>/slack/candidates/<int:candidate_pk>/",
        slack.slack_candidate,
        name="slack-candidate",
    ),
    path(
        "incidents/<int:pk>/slack/candidates/<int:candidate_pk>/edit/",
        slack.slack_candidate_edit,
        name="slack-candidate-edit",
    ),
]
