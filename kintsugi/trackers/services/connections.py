"""A team's tracker connection: set up by its leads and admins (``can_manage_team``)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.trackers.jira import PROJECT_KEY
from kintsugi.core.validation import clean_url
from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Team
from kintsugi.trackers.models import TrackerConnection, TrackerKind
from kintsugi.trackers.services.secrets import new_webhook_secret, token_fields

DEFAULTS = {
    TrackerKind.GITHUB: ("https://api.github.com", "https://github.com"),
    TrackerKind.GITLAB: ("https://gitlab.com/api/v4", "https://gitlab.com"),
}
# Jira has no public default site: its address (the API root and the browse root) is given.
JIRA_KINDS = (TrackerKind.JIRA_CLOUD, TrackerKind.JIRA_DC)
_PROJECT = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){1,9}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}")


def _check(kind: str, name: str, project: str) -> None:
    if kind not in TrackerKind.values:
        raise ValidationProblem(f"Choose a tracker: {', '.join(TrackerKind.values)}.", field="kind")
    if not _NAME.fullmatch(name):
        raise ValidationProblem(
            "A name is 1 to 100 letters, digits, spaces and - _ . (first a letter or digit).",
            field="name",
        )
    if kind in JIRA_KINDS:
        if not PROJECT_KEY.fullmatch(project):
            raise ValidationProblem(
                "For Jira the project is its key in capitals, for example OPS.", field="project"
            )
        return
    dots = any(part.strip(".") == "" for part in project.split("/"))
    if not _PROJECT.fullmatch(project) or dots:
        raise ValidationProblem(
            "The project is owner/repository (GitHub) or group/project (GitLab).",
            field="project",
        )


def connection_create(
    *,
    user: User | None,
    team: Team,
    kind: str,
    name: str,
    project: str,
    token_env: str = "",
    base_url: str = "",
    web_url: str = "",
    token: str = "",
) -> TrackerConnection:
    """A new connection with a fresh webhook secret (shown to the person who made it).

    The token is named by ``token_env`` or given as ``token`` (sealed, ``secrets.py``)."""
    if user is not None and not access.can_manage_team(user, team):
        raise PermissionDenied("Only the team's leads and admins set up its tracker.")
    name, project, token_env = name.strip(), project.strip().strip("/"), token_env.strip()
    _check(kind, name, project)
    if kind in JIRA_KINDS and not base_url.strip():
        raise ValidationProblem(
            "Give the Jira site's address, for example https://acme.atlassian.net.",
            field="base_url",
        )
    tokens = token_fields(token_env=token_env, token=token)
    api, web = DEFAULTS.get(TrackerKind(kind), (base_url, web_url or base_url))
    base = clean_url(base_url or api, field="base_url", max_length=500, label="API address")
    site = clean_url(web_url or web, field="web_url", max_length=500, label="web address")
    for url in (base, site):
        if urlsplit(url).username or urlsplit(url).password:
            raise ValidationProblem("Addresses carry no user or password.", field="base_url")
    if TrackerConnection.objects.filter(name=name).exists():
        raise ValidationProblem(f"There is a connection named {name!r} already.", field="name")
    return TrackerConnection.objects.create(
        team=team,
        kind=kind,
        name=name,
        base_url=base,
        web_url=site,
        project=project,
        **tokens,
        webhook_secret=new_webhook_secret(),
    )


def connections_for(user: User | None) -> QuerySet[TrackerConnection]:
    """The connections a person may manage: admins all, leads their teams'."""
    everything = TrackerConnection.objects.select_related("team")
    if user is None or access.is_admin(user):
        return everything
    if not access.is_signed_in(user):
        return everything.none()
    led = Membership.objects.filter(user_id=user.pk, is_lead=True).values("team_id")
    return everything.filter(team_id__in=led)


def hook_path(connection: TrackerConnection) -> str:
    return f"/hooks/trackers/{connection.kind}/{connection.pk}/"


def teams_managed_by(user: User) -> QuerySet[Team]:
    if access.is_admin(user):
        return Team.objects.order_by("name")
    led = Membership.objects.filter(user_id=user.pk, is_lead=True).values("team_id")
    return Team.objects.filter(pk__in=led).order_by("name")


def account_map(*, user: User, connection: TrackerConnection, account: str, username: str) -> None:
    """Match a tracker account to a user by hand (when their emails differ)."""
    from kintsugi.trackers.models import AccountMapping

    if not access.can_manage_team(user, connection.team):
        raise PermissionDenied("Only the team's leads and admins map its tracker accounts.")
    account = account.strip()
    if not account or len(account) > 200 or any(c.isspace() for c in account):
        raise ValidationProblem("A tracker account is one name without spaces.", field="account")
    person = User.objects.filter(username=username.strip(), is_active=True).first()
    if person is None:
        raise ValidationProblem(
            f"There is no active user named {username.strip()!r}.", field="username"
        )
    AccountMapping.objects.update_or_create(
        connection=connection, account=account, defaults={"user": person}
    )
