"""One module per tracker behind ``Provider`` (base.py); ``provider_for`` picks it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection
    from kintsugi.trackers.providers.base import Provider


def provider_class(kind: str) -> Any:
    """The class behind a connection's kind (its pacing limits are class attributes)."""
    from kintsugi.trackers.providers import github, gitlab, jira

    kinds = {
        "github": github.GitHub,
        "gitlab": gitlab.GitLab,
        "jira_cloud": jira.JiraCloud,
        "jira_dc": jira.JiraDataCenter,
    }
    return kinds[kind]


def provider_for(connection: TrackerConnection, *, timeout: float = 10.0) -> Provider:
    return provider_class(connection.kind)(connection, timeout=timeout)  # type: ignore[no-any-return]
