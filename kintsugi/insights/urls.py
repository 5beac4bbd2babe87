"""Insights pages, mounted at /insights/."""

from django.urls import path, re_path

from kintsugi.insights import views

urlpatterns = [
    path("", views.insights, name="insights"),
    re_path(r"^csv/(?P<key>[a-z-]{1,40})/$", views.chart_csv, name="insights-csv"),
    re_path(r"^digest/(?P<month>\d{4}-\d{2})/$", views.digest, name="insights-digest"),
]
