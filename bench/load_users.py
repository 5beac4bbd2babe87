"""The simulated users of ``make load`` (a Locust file; ``bench.load`` runs it headless).

Four kinds, weighted roughly as a team uses Kintsugi: readers (list, post-mortem page and
the fragments it loads, debt dashboard, weekly review, Insights), editors (a section saved
with the version they read, a 5 Whys step edited), API scripts (token: list, get, patch)
and webhook senders (a generic JSON capture source). People sign in through the sign-in
form as ordinary editors; each simulated user has an account and an incident of its own
(``bench.load_prepare``), so a 409 is never one it caused: Locust counts it, like any
non-2xx answer or a reset, as an error.

Request names are the kinds the report groups by: ``API ...`` and ``webhook ...`` are held
to the API goal, ``sign in`` is reported apart (a password hash is slow by design), every
other name to the page goal.

With ``LOAD_EVERY_KIND=1`` (the smoke test in tests/bench) one user of each kind runs all
of its tasks in turn, so a short run makes every kind of request.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from locust import HttpUser, between, constant, task

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
_accounts = itertools.cycle(PLAN["accounts"])  # one per simulated user (as many as users)
HTMX = {"HX-Request": "true"}
CSRF_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = r'name="{}" value="([^"]*)"'
WHY_EDIT = re.compile(
    r'action="/incidents/\d+/five-whys/(\d+)/edit/".*?name="version" value="(\d+)"', re.S
)
WHY_ADD_VERSION = re.compile(
    r'action="/incidents/\d+/five-whys/add/".*?name="version" value="(\d+)"', re.S
)
# What people type: a few plain sentences, shuffled into each save.
SENTENCES = (
    "The connection pool ran dry after the deploy.",
    "Retries doubled the traffic on the replica.",
    "A config change raised the timeout to thirty seconds.",
    "The migration held a lock on the orders table.",
)


def _words(n: int) -> str:
    """About ``n`` words of text (each call differs, so every save changes something)."""
    return " ".join(random.sample(SENTENCES, k=len(SENTENCES)))[: n * 8]


def _close_connections(user: HttpUser) -> None:
    """``LOAD_CLOSE=1``: one connection per request (``Connection: close``), no keep-alive,
    to tell resets from a keep-alive race apart from those of an overloaded server."""
    if os.environ.get("LOAD_CLOSE") == "1":
        user.client.headers["Connection"] = "close"


# A person told to retry tries again after Retry-After, this many times at most.
SIGN_IN_ATTEMPTS = 10


class _Person(HttpUser):
    """Someone using the web app: signs in through the form, as a person does."""

    abstract = True
    wait_time = between(1, 3)  # reading, typing

    def on_start(self) -> None:
        _close_connections(self)
        self.account = next(_accounts)
        for _attempt in range(SIGN_IN_ATTEMPTS):
            if self._sign_in():
                return

    def _sign_in(self) -> bool:
        """One attempt; False when the server asked to retry (503 with Retry-After: too
        many sign-ins at once, docs/operations.md "Sign-in bursts"), as a person would."""
        form = self.client.get("/login/", name="sign in (form)")
        token = CSRF_FORM.search(form.text)
        with self.client.post(
            "/login/",
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
            catch_response=True,
        ) as answer:
            if answer.status_code == 503 and answer.headers.get("Retry-After"):
                answer.success()  # not an error: the server answered, and said when
                retry = answer.headers["Retry-After"]
                time.sleep(min(int(retry), 30) if retry.isdigit() else 5)
                return False
            if answer.url.rstrip("/").endswith("/login"):
                answer.failure("sign-in refused")
        return True

    def unsafe(self) -> dict[str, str]:
        """What htmx sends with a POST: its header and the CSRF token (from the cookie)."""
        return {**HTMX, "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}/"}  # fmt: skip


class Reader(_Person):
    weight = 5

    @task(4)
    def list_page(self) -> None:
        self.client.get("/", name="list page")

    @task(1)
    def list_filtered(self) -> None:
        self.client.get("/?severity=SEV2&status=published&q=cache", name="list page, filtered")

    @task(5)
    def postmortem(self) -> None:
        pk = PLAN["big"] if random.random() < 0.2 else random.choice(PLAN["read"])
        self.client.get(f"/incidents/{pk}/", name="post-mortem page")
        # What the page loads once shown (hx-trigger="load").
        self.client.get(f"/incidents/{pk}/lint/", headers=HTMX, name="post-mortem: blamelessness")
        self.client.get(f"/debt/incidents/{pk}/recurrence/", headers=HTMX,
                        name="post-mortem: recurrence")  # fmt: skip

    @task(2)
    def debt_dashboard(self) -> None:
        self.client.get("/debt/", name="debt dashboard")

    @task(1)
    def weekly_review(self) -> None:
        self.client.get("/debt/weekly-review/", name="weekly review")

    @task(1)
    def insights(self) -> None:
        self.client.get("/insights/", name="insights")


class Editor(_Person):
    weight = 2

    @task(3)
    def save_section(self) -> None:
        """Open the narrative's edit form, save it with the version and base it showed."""
        url = f"/incidents/{self.account['incident']}/narrative/edit/"
        answer = self.client.get(url, headers=HTMX, name="section: edit form")
        if answer.status_code != 200:  # counted; a person does not save a form never shown
            return
        form = answer.text
        version = re.search(FIELD.format("version"), form)
        base = re.search(FIELD.format("base"), form)
        data = {
            "version": version.group(1) if version else "",
            "base": base.group(1) if base else "",
            "trigger": _words(12),
            "detection": _words(10),
            "resolution": _words(10),
        }
        self.client.post(url, data=data, headers=self.unsafe(), name="section: save")

    @task(2)
    def edit_why(self) -> None:
        """Edit the first 5 Whys step (added first if there is none) with its version."""
        base = f"/incidents/{self.account['incident']}/five-whys/"
        answer = self.client.get(base, headers=HTMX, name="5 Whys: section")
        if answer.status_code != 200:
            return
        section = answer.text
        step = WHY_EDIT.search(section)
        if step is None:
            added = WHY_ADD_VERSION.search(section)
            data = {"version": added.group(1) if added else "", "slot": "new",
                    "question": "Why did checkout fail?", "answer": _words(8)}  # fmt: skip
            self.client.post(base + "add/", data=data, headers=self.unsafe(), name="5 Whys: add")
            return
        data = {"version": step.group(2), "question": "Why did checkout fail?",
                "answer": _words(8)}  # fmt: skip
        self.client.post(f"{base}{step.group(1)}/edit/", data=data, headers=self.unsafe(),
                         name="5 Whys: edit")  # fmt: skip


class ApiScript(HttpUser):
    """A script with a personal token: lists, reads and patches with the version it read."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _close_connections(self)
        self.account = next(_accounts)
        self.auth = {"Authorization": f"Bearer {self.account['token']}"}

    @task(3)
    def list_incidents(self) -> None:
        self.client.get("/api/v1/incidents?limit=50", headers=self.auth, name="API: list")

    @task(3)
    def get_incident(self) -> None:
        pk = random.choice(PLAN["read"])
        self.client.get(f"/api/v1/incidents/{pk}", headers=self.auth, name="API: get")

    @task(2)
    def patch_incident(self) -> None:
        url = f"/api/v1/incidents/{self.account['incident']}"
        current = self.client.get(url, headers=self.auth, name="API: get")
        if current.status_code != 200:
            return
        body = {"version": current.json()["version"], "summary": _words(20)}
        self.client.patch(url, json=body, headers=self.auth, name="API: patch")


class WebhookSender(HttpUser):
    """An alerting tool posting to a generic JSON source: a few events per delivery."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _close_connections(self)
        self.auth = {"Authorization": f"Bearer {PLAN['hook']['secret']}"}
        self.key = f"load-{uuid.uuid4().hex[:8]}"

    @task
    def deliver(self) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        events = [
            {"id": uuid.uuid4().hex, "occurred_at": now, "kind": "alert_fired", "text": _words(6)}
            for _ in range(3)
        ]
        payload = {"incident": {"key": self.key, "title": "Checkout errors", "severity": "SEV3"},
                   "events": events, "resolved": False}  # fmt: skip
        self.client.post(PLAN["hook"]["url"], json=payload, headers=self.auth,
                         name="webhook: generic JSON")  # fmt: skip


def _every_kind(cls: type[HttpUser]) -> None:
    """One user of this kind doing each of its tasks in turn (``LOAD_EVERY_KIND=1``)."""
    chosen = list(dict.fromkeys(cls.tasks))  # Locust repeats a task by its weight

    def every_task(user: HttpUser) -> None:
        for function in chosen:
            function(user)

    cls.tasks = [every_task]
    cls.fixed_count = 1
    cls.wait_time = constant(0.2)


if os.environ.get("LOAD_EVERY_KIND") == "1":
    # No loop variable: Locust takes every User class named in this module for a kind.
    list(map(_every_kind, (Reader, Editor, ApiScript, WebhookSender)))
