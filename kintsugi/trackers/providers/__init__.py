"""One module per tracker behind ``Provider`` (base.py); ``provider_for`` picks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection
    from kintsugi.trackers.providers.base import Provider


def provider_for(connection: TrackerConnection, *, timeout: float = 10.0) -> Provider:
    from kintsugi.trackers.providers import github, gitlab

    kinds = {"github": github.GitHub, "gitlab": gitlab.GitLab}
    return kinds[connection.kind](connection, timeout=timeout)
