"""A realistic data set: 20,000 incidents, 200,000 action items, 1,000,000 timeline events.

Rows go in with the DB-API's executemany in large batches: the ORM would spend minutes
building a million model instances that the benchmark never uses. Bypassing the services
must not make data they refuse (issue 20): a target date later than the policy's carries
a reason, a closed item its closing time; tests/bench checks a sample through the services.

``bench`` is an admin; ``bench-member`` an editor in the team of the 500-event post-mortem
(restricted, as every 50th incident), so that the benchmark reads what a member sees.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from kintsugi.accounts.models import User
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.teams.models import Membership, Service, Team

INCIDENTS = 20_000
ACTIONS_PER_INCIDENT = 10
EVENTS_TOTAL = 1_000_000
BIG_TIMELINE = 500
ADMIN, MEMBER, PASSWORD = "bench", "bench-member", "bench"
# The default due windows (docs/debt.md): what the policy asks of each generated item.
POLICY_DAYS = {"P0": 14, "P1": 14, "P2": 30, "P3": 60}
# Why a target date is later than the policy asks: the services require one.
LATE_REASONS = [
    "Waiting for the vendor's fixed release",
    "Planned with the database migration next quarter",
    "Change freeze until the end of the month",
]
KINDS = [
    "impact_started",
    "alert_fired",
    "page_acknowledged",
    "investigation",
    "note",
    "communication",
    "workaround_applied",
    "mitigated",
    "fully_recovered",
]
WORDS = [
    "database",
    "pool",
    "cache",
    "deploy",
    "rollback",
    "latency",
    "replica",
    "queue",
    "timeout",
    "certificate",
    "config",
    "migration",
    "lock",
    "traffic",
    "region",
    "shard",
    "index",
    "retry",
    "alert",
    "dashboard",
]


def _sentence(rng: random.Random, n: int = 10) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def generate(scale: float = 1.0, seed: int = 7) -> int:
    """Fill an empty database; return the id of the incident with a 500-event timeline."""
    rng = random.Random(seed)
    incidents_total = max(10, int(INCIDENTS * scale))
    events_total = max(1000, int(EVENTS_TOTAL * scale))
    started = time.perf_counter()
    users = [User(username=f"user{i}", first_name=f"User{i}", role="editor") for i in range(200)]
    User.objects.bulk_create(users)
    bench_user = User.objects.create_user(ADMIN, password=PASSWORD, role="admin", is_superuser=True)
    member = User.objects.create_user(MEMBER, password=PASSWORD, role="editor")
    user_ids = list(User.objects.values_list("pk", flat=True))
    teams = Team.objects.bulk_create([Team(name=f"Team {i}", slug=f"team-{i}") for i in range(20)])
    services = Service.objects.bulk_create(
        [Service(name=f"Service {i}", slug=f"service-{i}", team=teams[i % 20]) for i in range(60)]
    )
    base = datetime(2023, 1, 1, tzinfo=UTC)
    now = datetime.now(UTC)
    big_index = incidents_total // 2
    Membership.objects.create(team=teams[big_index % 20], user=member)
    events_per = (events_total - BIG_TIMELINE) / (incidents_total - 1)
    chunk = 1000
    for offset in range(0, incidents_total, chunk):
        with transaction.atomic():
            batch = []
            for i in range(offset, min(offset + chunk, incidents_total)):
                start = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 3))
                batch.append(
                    Incident(
                        title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} incident #{i}",
                        severity=rng.choice(["SEV1", "SEV2", "SEV3", "SEV3", "SEV4"]),
                        status=rng.choice(["draft", "in_review", "published", "published"]),
                        started_at=start,
                        ended_at=start + timedelta(minutes=rng.randrange(5, 600)),
                        summary=_sentence(rng, 40),
                        impact=_sentence(rng, 20),
                        team_id=teams[i % 20].pk,
                        created_by_id=bench_user.pk,
                        is_restricted=(i % 50 == 0 or i == big_index),
                        created_at=now,
                        updated_at=now,
                    )
                )
            created = Incident.objects.bulk_create(batch)
            if connection.vendor == "sqlite" or created[0].pk is None:
                ids = list(
                    Incident.objects.order_by("-id").values_list("pk", flat=True)[: len(batch)]
                )[::-1]
            else:
                ids = [incident.pk for incident in created]
            starts = [incident.started_at for incident in batch]
            through = [(pk, services[rng.randrange(60)].pk) for pk in ids]
            _insert(
                Incident.services.through._meta.db_table, ["incident_id", "service_id"], through
            )
            _insert(
                Incident.authors.through._meta.db_table,
                ["incident_id", "user_id"],
                [(pk, rng.choice(user_ids)) for pk in ids],
            )
            factors = []
            for pk in ids:
                for position in (1, 2):
                    factors.append((pk, position, _sentence(rng, 6)[:200], _sentence(rng, 30), 1))
            _insert(
                Factor._meta.db_table,
                ["incident_id", "position", "title", "description", "version"],
                factors,
            )
            lessons = [
                (pk, kind, _sentence(rng, 12), 1, 1)
                for pk in ids
                for kind in ("went_well", "went_poorly", "got_lucky")
            ]
            _insert(
                Lesson._meta.db_table,
                ["incident_id", "kind", "text", "position", "version"],
                lessons,
            )
            actions = []
            for pk, start in zip(ids, starts, strict=True):
                for n in range(ACTIONS_PER_INCIDENT):
                    status = rng.choice(["open", "open", "in_progress", "done", "done", "wont_do"])
                    due = start.date() + timedelta(days=rng.choice([7, 14, 30, 60]))
                    priority = rng.choice(["P0", "P1", "P2", "P3"])
                    policy_due = start.date() + timedelta(days=POLICY_DAYS[priority])
                    late = n % 9 and due > policy_due
                    closed = status in ("done", "wont_do")
                    actions.append(
                        (
                            pk,
                            f"{_sentence(rng, 6)[:150]} ({n})",
                            "",
                            priority,
                            rng.choice(user_ids) if n % 7 else None,
                            f"OPS-{pk}-{n}" if n % 5 else "",
                            "",
                            due if n % 9 else None,
                            status,
                            "Superseded by a redesign" if status == "wont_do" else "",
                            start,
                            start + timedelta(days=10) if closed else None,
                            1,
                            policy_due,
                            rng.choice(LATE_REASONS) if late else "",
                            "",
                        )
                    )
            _insert(
                ActionItem._meta.db_table,
                [
                    "incident_id",
                    "title",
                    "description",
                    "priority",
                    "owner_id",
                    "ticket_id",
                    "ticket_url",
                    "due_on",
                    "status",
                    "status_reason",
                    "created_at",
                    "completed_at",
                    "version",
                    "policy_due_on",
                    "due_reason",
                    "owner_name",
                ],
                actions,
            )
            events = []
            for index, (pk, start) in enumerate(zip(ids, starts, strict=True), start=offset):
                count = (
                    BIG_TIMELINE
                    if index == big_index
                    else int(events_per) + (rng.random() < events_per % 1)
                )
                for n in range(count):
                    kind = (
                        KINDS[n]
                        if n < 3
                        else rng.choice(["investigation", "note", "communication"])
                    )
                    events.append(
                        (
                            pk,
                            start + timedelta(minutes=n * 2),
                            kind,
                            _sentence(rng, 12),
                            rng.choice(user_ids) if n % 3 == 0 else None,
                            "",
                            1,
                            "",
                        )
                    )
            _insert(
                TimelineEvent._meta.db_table,
                [
                    "incident_id",
                    "occurred_at",
                    "kind",
                    "text",
                    "author_id",
                    "evidence_url",
                    "version",
                    "author_name",
                ],
                events,
            )
        done = min(offset + chunk, incidents_total)
        if done % 5000 == 0 or done == incidents_total:
            print(
                f"  generated {done:,} incidents ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    with connection.cursor() as cursor:
        # PostgreSQL also needs the visibility map for index-only counts (see run.py).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return big_incident()


def big_incident() -> int:
    """The incident given the 500-event timeline: the middle one in id order."""
    middle = Incident.objects.count() // 2
    return int(Incident.objects.order_by("id").values_list("pk", flat=True)[middle])


def today() -> date:
    return datetime.now(UTC).date()
