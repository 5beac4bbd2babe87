"""The demo data set: the incident from the design brief, plus a few others.

The main story: the site was down because the database connection pool was exhausted,
because a slow migration locked the user table, because it ran by hand at peak hours,
because the CI/CD pipeline failed to run migrations, because the runner's credentials
expired with no monitoring alert.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet

from kintsugi.accounts.models import Role, User
from kintsugi.five_whys import demo as analysis_demo
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Membership, Service, Team

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "kintsugi-demo"  # noqa: S105 - a published demo login, local use only
MAIN_TITLE = "Site down: database connection pool exhausted"

PEOPLE = [
    ("demo", "Dana", "Demo", Role.ADMIN),
    ("alice", "Alice", "Ng", Role.EDITOR),
    ("bob", "Bob", "Diaz", Role.EDITOR),
    ("carol", "Carol", "Okafor", Role.EDITOR),
    ("dan", "Dan", "Moreau", Role.VIEWER),
]
TEAMS = [
    ("Platform", "platform", ["alice", "bob", "demo"]),
    ("Payments", "payments", ["carol", "demo"]),
    ("Data", "data", ["bob"]),
]
SERVICES = [
    ("Web frontend", "web", "platform"),
    ("Public API", "api", "platform"),
    ("User database", "user-db", "platform"),
    ("CI/CD pipeline", "ci-pipeline", "platform"),
    ("Checkout", "checkout", "payments"),
    ("Search indexer", "search-indexer", "data"),
]


def _at(day: datetime, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return day.replace(hour=hour, minute=minute)


def _people() -> dict[str, User]:
    users = {}
    for username, first, last, role in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{username}@example.com",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = True
                user.is_superuser = True
            user.save()
        users[username] = user
    return users


def _catalog(users: dict[str, User]) -> tuple[dict[str, Team], dict[str, Service]]:
    teams = {}
    for name, slug, members in TEAMS:
        team, _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})
        for index, username in enumerate(members):
            Membership.objects.get_or_create(
                team=team, user=users[username], defaults={"is_lead": index == 0}
            )
        teams[slug] = team
    found = {}
    for name, slug, team_slug in SERVICES:
        service, _ = Service.objects.get_or_create(
            slug=slug, defaults={"name": name, "team": teams[team_slug]}
        )
        found[slug] = service
    return teams, found


def _main_incident(
    users: dict[str, User], teams: dict[str, Team], svc: dict[str, Service]
) -> Incident:
    day = datetime(2026, 11, 3, tzinfo=UTC)
    alice, bob, carol = users["alice"], users["bob"], users["carol"]
    incident = services.incident_create(
        user=None,
        title=MAIN_TITLE,
        severity="SEV1",
        status="in_review",
        started_at=_at(day, "14:02"),
        ended_at=_at(day, "15:31"),
        team=teams["platform"],
        services=[svc["web"], svc["api"], svc["user-db"], svc["ci-pipeline"]],
        authors=[alice, bob],
        regions=["eu-west-1", "us-east-1"],
        summary=(
            "For 49 minutes the website and public API returned HTTP 500 errors for most "
            "requests. The user database's connection pool was exhausted because a schema "
            "migration held a lock on the `users` table during peak traffic. The migration ran "
            "from a workstation because the CI/CD pipeline had stopped applying migrations "
            "three weeks earlier: its runner credentials had expired and nothing alerted on it."
        ),
        impact=(
            "About 62% of sign-ins and page loads failed between 14:02 and 14:51 UTC in both "
            "regions; 1,840 checkout attempts failed. No data was lost."
        ),
        trigger="Migration 0142 (`ALTER TABLE users ADD COLUMN ...` with a default) started at 14:02 UTC.",
        detection="The HTTP 5xx rate alert fired at 14:06 UTC, four minutes after impact began.",
        resolution=(
            "The migration was cancelled and the pool recycled at 14:51 UTC; the migration was "
            "rewritten as an online, batched change and applied off-peak the next day."
        ),
    )
    timeline = [
        (
            "14:02",
            "change_deployed",
            "Migration 0142 started against the primary user database.",
            bob,
            "",
        ),
        (
            "14:02",
            "impact_started",
            "Lock wait on `users` begins; sign-in latency climbs.",
            None,
            "",
        ),
        (
            "14:06",
            "alert_fired",
            "Alert `HighHTTP5xxRate` fired for web and api (5xx > 20%).",
            None,
            "https://grafana.example.com/d/web-5xx?from=1762178400000",
        ),
        ("14:08", "page_acknowledged", "Alice acknowledged the page.", alice, ""),
        (
            "14:12",
            "responders_joined",
            "Alice, Bob and Carol joined the incident bridge.",
            alice,
            "",
        ),
        (
            "14:19",
            "investigation",
            "Connection pool at 100% (200/200); most sessions waiting on a lock.",
            bob,
            "https://grafana.example.com/d/pg-pool",
        ),
        (
            "14:27",
            "communication",
            "Status page updated: degraded sign-in and checkout.",
            carol,
            "https://status.example.com/incidents/482",
        ),
        (
            "14:38",
            "investigation",
            "Blocking query traced to migration 0142 run from a workstation.",
            bob,
            "",
        ),
        ("14:44", "workaround_applied", "Migration cancelled; lock released.", bob, ""),
        ("14:51", "mitigated", "Pool recycled; error rate back under 0.5%.", alice, ""),
        (
            "15:31",
            "fully_recovered",
            "Queues drained, all checks green; incident closed.",
            alice,
            "",
        ),
    ]
    for hhmm, kind, text, author, url in timeline:
        services.timeline_event_add(
            user=None,
            incident=incident,
            occurred_at=_at(day, hhmm),
            kind=kind,
            text=text,
            author=author,
            evidence_url=url,
        )
    pool = services.factor_add(
        user=None,
        incident=incident,
        title="Connection pool exhausted by lock waits",
        description=(
            "Every request that touched `users` waited on the migration's ACCESS EXCLUSIVE lock "
            "while holding a pooled connection; with no statement timeout the pool of 200 filled in "
            "under two minutes."
        ),
    )
    services.evidence_add(
        user=None,
        factor=pool,
        kind="graph",
        label="Pool saturation",
        url="https://grafana.example.com/d/pg-pool?from=1762178400000",
    )
    services.evidence_add(
        user=None,
        factor=pool,
        kind="query",
        label="Blocking locks",
        url="https://pgwatch.example.com/locks?ts=1762178640",
    )
    pipeline = services.factor_add(
        user=None,
        incident=incident,
        title="Pipeline stopped running migrations; runner credentials expired unmonitored",
        description=(
            "The deploy pipeline's database runner used a credential that expired on 12 Oct. "
            "Since then its migration step failed silently (marked optional), so migrations were "
            "applied by hand, at any hour, without the pipeline's lock-timeout guard."
        ),
    )
    services.evidence_add(
        user=None,
        factor=pipeline,
        kind="log",
        label="Runner auth failures",
        url="https://logs.example.com/search?q=runner+auth+failed",
    )
    services.evidence_add(
        user=None,
        factor=pipeline,
        kind="dashboard",
        label="Pipeline runs",
        url="https://ci.example.com/pipelines/deploy?status=failed",
    )
    lessons = {
        "went_well": [
            "The 5xx alert fired within four minutes and paged the right rotation.",
            "The status page was updated within 25 minutes of impact.",
        ],
        "went_poorly": [
            "The pool dashboard did not show which queries held connections.",
            "Migrations had been applied by hand for three weeks without anyone noticing.",
        ],
        "got_lucky": [
            "The migration was additive; cancelling it left no partial schema.",
        ],
    }
    for kind, texts in lessons.items():
        for text in texts:
            services.lesson_add(user=None, incident=incident, kind=kind, text=text)
    items = [
        (
            "Alert when pipeline runner credentials are within 14 days of expiry",
            "P0",
            alice,
            "PLAT-311",
            day.date() + timedelta(days=7),
            "in_progress",
            pipeline,
        ),
        (
            "Make the migration step mandatory: a failed migration fails the deploy",
            "P0",
            bob,
            "PLAT-312",
            day.date() + timedelta(days=10),
            "open",
            pipeline,
        ),
        (
            "Set lock_timeout and statement_timeout for migration sessions",
            "P1",
            bob,
            "PLAT-313",
            day.date() + timedelta(days=14),
            "done",
            pool,
        ),
        ("Show top connection holders on the pool dashboard", "P2", carol, "", None, "open", pool),
        (
            "Rotate runner credentials automatically via the secrets manager",
            "P1",
            None,
            "PLAT-315",
            day.date() + timedelta(days=14),
            "open",
            pipeline,
        ),
    ]
    created = []
    for title, priority, owner, ticket, due, status, factor in items:
        item = services.action_item_add(
            user=None,
            incident=incident,
            title=title,
            priority=priority,
            owner=owner,
            ticket_id=ticket,
            ticket_url=f"https://jira.example.com/browse/{ticket}" if ticket else "",
            due_on=due,
            status=status,
            factor=factor,
            completed_at=_at(day, "16:20") + timedelta(days=6) if status == "done" else None,
        )
        created.append((priority, item))
    p0 = [item for priority, item in created if priority == "P0"]
    analysis_demo.main_analysis(incident, cause=pipeline, actions=p0)
    return incident


def _other_incidents(
    users: dict[str, User], teams: dict[str, Team], svc: dict[str, Service]
) -> None:
    checkout = services.incident_create(
        user=None,
        title="Checkout payments declined after card-processor certificate rotation",
        severity="SEV2",
        status="published",
        started_at=datetime(2026, 10, 14, 9, 12, tzinfo=UTC),
        ended_at=datetime(2026, 10, 14, 10, 5, tzinfo=UTC),
        team=teams["payments"],
        services=[svc["checkout"]],
        authors=[users["carol"]],
        regions=["eu-west-1"],
        summary="Card payments failed for 38 minutes after the processor rotated its TLS certificate.",
        impact="About 9% of checkouts in the EU failed; customers could retry with PayPal.",
    )
    day = datetime(2026, 10, 14, tzinfo=UTC)
    for hhmm, kind, text in [
        ("09:12", "impact_started", "Processor presents a certificate from a new intermediate CA."),
        ("09:20", "alert_fired", "Payment success rate below 90%."),
        ("09:23", "page_acknowledged", "Carol acknowledged the page."),
        ("09:50", "mitigated", "Intermediate CA added to the trust bundle and rolled out."),
        ("10:05", "fully_recovered", "Success rate back to baseline."),
    ]:
        services.timeline_event_add(
            user=None, incident=checkout, occurred_at=_at(day, hhmm), kind=kind, text=text
        )
    factor = services.factor_add(
        user=None,
        incident=checkout,
        title="Pinned trust bundle",
        description="The payment client pins a trust bundle built at deploy time.",
    )
    services.lesson_add(
        user=None,
        incident=checkout,
        kind="went_well",
        text="Fallback payment method kept most orders flowing.",
    )
    fix = services.action_item_add(
        user=None,
        incident=checkout,
        title="Use the system trust store in the payment client",
        priority="P1",
        owner=users["carol"],
        ticket_id="PAY-88",
        ticket_url="https://jira.example.com/browse/PAY-88",
        due_on=date(2026, 10, 28),
        factor=factor,
    )
    analysis_demo.checkout_analysis(checkout, cause=factor, action=fix)
    search = services.incident_create(
        user=None,
        title="Search results stale for six hours",
        severity="SEV3",
        status="draft",
        started_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
        ended_at=datetime(2026, 11, 20, 8, 10, tzinfo=UTC),
        team=teams["data"],
        services=[svc["search-indexer"]],
        authors=[users["bob"]],
        summary="The search indexer stalled on a malformed document and stopped consuming updates.",
        impact="Search showed results up to six hours old; no errors were returned.",
    )
    services.action_item_add(
        user=None,
        incident=search,
        title="Dead-letter malformed documents instead of retrying forever",
        priority="P2",
        owner=users["bob"],
        due_on=date(2026, 12, 20),
    )
    services.incident_create(
        user=None,
        title="Internal wiki slow during backup window",
        severity="SEV4",
        status="draft",
        started_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
        team=teams["platform"],
        summary="The wiki was slow for 20 minutes while the nightly backup ran.",
    )


@transaction.atomic
def load_demo() -> tuple[Incident, bool]:
    """Load the demo once; return the main incident and whether anything was created."""
    existing = Incident.objects.filter(title=MAIN_TITLE).first()
    if existing is not None:
        return existing, False
    last_before = Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    users = _people()
    teams, svc = _catalog(users)
    main = _main_incident(users, teams, svc)
    _other_incidents(users, teams, svc)
    _date_the_paperwork(Incident.objects.filter(pk__gt=last_before))
    return main, True


def _date_the_paperwork(demo_incidents: QuerySet[Incident]) -> None:
    """Action items and post-mortems are written the day after an incident, not the day the
    demo is loaded: ages and "opened this week" in the debt pages then read true. Only the
    demo's own incidents are touched."""
    for incident in demo_incidents:
        written = incident.started_at + timedelta(days=1)
        incident.action_items.update(created_at=written)
        Incident.objects.filter(pk=incident.pk).update(created_at=written)
