"""Post-mortem debt pages, mounted at /debt/."""

from django.urls import path

from kintsugi.debt.views import (
    dashboard,
    deliveries,
    postmortem,
    settings,
    sprints,
    weekly_review,
)

urlpatterns = [
    path("", dashboard.dashboard, name="debt-dashboard"),
    path("items/", dashboard.items, name="debt-items"),
    path("weekly-review/", weekly_review.page, name="debt-weekly-review"),
    path(
        "weekly-review/items/<int:item_pk>/reviewed/",
        weekly_review.mark_reviewed,
        name="debt-mark-reviewed",
    ),
    # The weekly review's old address (before issue 15): links in sent emails and Slack
    # messages are redirected; a page loaded before the move still posts its marks there.
    path("review/", weekly_review.moved, name="debt-weekly-review-old-address"),
    path(
        "review/items/<int:item_pk>/reviewed/",
        weekly_review.mark_reviewed,
        name="debt-mark-reviewed-old-address",
    ),
    path("incidents/<int:pk>/recurrence/", postmortem.recurrence, name="debt-recurrence"),
    path("sprints/", sprints.sprints, name="debt-sprints"),
    path("deliveries/", deliveries.deliveries, name="debt-deliveries"),
    path("deliveries/<int:pk>/retry/", deliveries.retry, name="debt-delivery-retry"),
    path("policy/", settings.policy, name="debt-policy"),
    path("teams/<slug:slug>/settings/", settings.team_settings, name="debt-team-settings"),
    path("me/", settings.my_settings, name="debt-my-settings"),
]
