"""Writes that commit: the history records a version after the commit, which a test's
transaction never reaches, so the tests run the commit callbacks as a commit would."""

from __future__ import annotations

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the writes' on-commit work (the recorder) at its end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def recorded(incident, owner):
    """``incident`` with its first version (as its creation would have recorded)."""
    from kintsugi.history.services.recorder import record

    record(incident.pk, user=owner)
    return incident
