from django.urls import path

from kintsugi.history import views

urlpatterns = [
    path("incidents/<int:pk>/history/", views.history, name="history"),
    path("incidents/<int:pk>/history/diff/", views.history_diff, name="history-diff"),
    path("incidents/<int:pk>/history/<int:number>/", views.history_version, name="history-version"),
    path(
        "incidents/<int:pk>/history/<int:number>/restore/",
        views.history_restore,
        name="history-restore",
    ),
]
