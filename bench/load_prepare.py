"""Get the load test's database ready and write its plan (who signs in, what they edit).

Run by ``bench.load`` in its own process with the server's settings (DATABASE_URL,
production mode), so passwords are hashed as the server checks them:

    python -m bench.load_prepare PLAN.json --scale 1.0 --users 50

The incidents come from ``bench.generate`` (valid data, issue 20), generated once and kept.
The load test writes (saves, webhook events), so it keeps a database of its own
(``load.sqlite3``, ``kintsugi_load``): ``make bench`` would otherwise find another
incident count and regenerate its data. On top of the generated data each run gets
``users`` ordinary editors (``load-01``...), each a member of one team and of the team of
the 500-event post-mortem (restricted, so that they read what a member sees), each with
an API token and an unrestricted incident of its own to edit: two simulated users never
edit the same thing, so any 409 is a lost save, not a conflict they caused.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.generate import ADMIN, INCIDENTS, big_incident, generate  # noqa: E402
from bench.run import _ensure_database  # noqa: E402
from kintsugi.accounts.models import ApiToken, User  # noqa: E402
from kintsugi.capture.services.sources import source_create, source_url  # noqa: E402
from kintsugi.postmortems.models import Incident  # noqa: E402
from kintsugi.teams.models import Membership, Team  # noqa: E402

PREFIX = "load-"
READ_SAMPLE = 300  # unrestricted incidents the readers open, besides the big one


def _generated(scale: float) -> bool:
    """Whether the data of this scale is there (webhook incidents are not the generator's)."""
    expected = max(10, int(INCIDENTS * scale))
    return Incident.objects.filter(created_by__username=ADMIN).count() == expected


def prepare(scale: float, users: int) -> dict[str, object]:
    _ensure_database()
    connection.close()
    call_command("migrate", verbosity=0, interactive=False)
    if not _generated(scale):
        if User.objects.filter(username=ADMIN).exists():
            print("load: data of another scale found; regenerating", flush=True)
            call_command("flush", verbosity=0, interactive=False)
        print(f"load: generating data (scale {scale}) ...", flush=True)
        generate(scale)
    big = big_incident()
    # What the worker would have done (it is not started): the debt tally of every team,
    # which the dashboard otherwise recomputes on its first visit of the day (bench.run).
    call_command("debt_tally", rebuild=True, stdout=io.StringIO())
    big_team = Incident.objects.values_list("team_id", flat=True).get(pk=big)
    teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    editable = list(
        Incident.objects.filter(created_by__username=ADMIN, is_restricted=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(editable) < users + 1:
        raise SystemExit(f"load: {users} users need {users + 1} unrestricted incidents")
    password = secrets.token_urlsafe(12)
    encoded = make_password(password)  # hashed once: 50 hashes would take a while
    accounts = []
    with transaction.atomic():
        User.objects.filter(username__startswith=PREFIX).delete()
        step = len(editable) // (users + 1)
        for index in range(users):
            user = User.objects.create(
                username=f"{PREFIX}{index + 1:02d}",
                first_name=f"Load{index + 1}",
                role="editor",
                password=encoded,
            )
            own_team = teams[index % len(teams)]
            for team in {own_team, big_team}:
                Membership.objects.create(team_id=team, user=user)
            _, token = ApiToken.issue(user=user, name="load")
            accounts.append(
                {"username": user.username, "token": token, "incident": editable[step * index]}
            )
        # A new source each run: a secret is only shown when it is made.
        issued = source_create(user=None, kind="generic", name=f"load-{secrets.token_hex(4)}")
    # Readers open the big post-mortem and a spread of others (the same for every run).
    spread = max(1, len(editable) // READ_SAMPLE)
    return {
        "password": password,
        "accounts": accounts,
        "big": big,
        "read": editable[::spread][:READ_SAMPLE],
        "hook": {"url": urlsplit(source_url(issued.source)).path, "secret": issued.secret},
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load_prepare")
    parser.add_argument("plan", type=Path, help="Where to write the plan (JSON, secrets).")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    plan = prepare(args.scale, args.users)
    # The plan holds passwords and tokens of throw-away accounts: readable by its owner only.
    descriptor = os.open(args.plan, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(plan, out)


if __name__ == "__main__":
    main()
