"""Post-mortem debt pages, mounted at /debt/."""

from django.urls import path

from kintsugi.debt.views import dashboard, deliveries, postmortem, review, settings, sprints

urlpatterns = [
    path("", dashboard.dashboard, name="debt-dashboard"),
    path("items/", dashboard.items, name="debt-items"),
    path("review/", review.review, name="debt-review"),
    path("review/items/<int:item_pk>/reviewed/", review.mark_reviewed, name="debt-mark-reviewed"),
    path("incidents/<int:pk>/recurrence/", postmortem.recurrence, name="debt-recurrence"),
    path("sprints/", sprints.sprints, name="debt-sprints"),
    path("deliveries/", deliveries.deliveries, name="debt-deliveries"),
    path("deliveries/<int:pk>/retry/", deliveries.retry, name="debt-delivery-retry"),
    path("policy/", settings.policy, name="debt-policy"),
    path("teams/<slug:slug>/settings/", settings.team_settings, name="debt-team-settings"),
    path("me/", settings.my_settings, name="debt-my-settings"),
]
