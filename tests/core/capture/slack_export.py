"""Slack exports built in the tests, shaped as Slack documents them.

Source of the shape: Slack's help page "How to read Slack data exports"
(https://slack.com/help/articles/220556107-How-to-read-Slack-data-exports): the zip holds
``channels.json`` and ``users.json`` and "each channel will have its own folder. Each folder
will contain messages from the channel, organized by date in separate JSON files"; its
typical message is quoted as::

    {"type": "message", "channel": "C2147483705", "user": "U2147483697",
     "text": "Hello world", "ts": "1355517523.000005"}

``reactions`` ([{name, count, users}]), ``pinned_to``, ``files``, ``thread_ts`` and the
``channel_join`` subtype are the fields of Slack's message objects.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

CHANNEL_ID = "C2147483705"
CHANNELS = [
    {"id": CHANNEL_ID, "name": "inc-checkout", "created": 1772373600},
    {"id": "C0GENERAL1", "name": "general", "created": 1700000000},
]
USERS = [
    {
        "id": "U2147483697",
        "name": "alice",
        "real_name": "Alice Ng",
        "profile": {"display_name": "alice.ng", "real_name": "Alice Ng"},
    },
    {"id": "U0BOB00001", "name": "bob", "real_name": "Bob Diaz", "profile": {"display_name": ""}},
]
# 2026-03-01 14:05:00 UTC and onwards.
T0 = 1772373900


def ts(offset_seconds: int, micros: int = 0) -> str:
    return f"{T0 + offset_seconds}.{micros:06d}"


def message(offset: int, text: str, user: str = "U2147483697", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "user": user, "text": text, "ts": ts(offset), **extra}


DAY = [
    message(0, "Checkout is throwing 500s, <@U0BOB00001> can you look?", pinned_to=[CHANNEL_ID]),
    {
        "type": "message",
        "subtype": "channel_join",
        "user": "U0BOB00001",
        "text": "<@U0BOB00001> has joined the channel",
        "ts": ts(30),
    },
    message(
        60,
        "Looking. Dashboard: <https://grafana.example/d/1|checkout errors> in <#C0GENERAL1|general>",
        user="U0BOB00001",
        reactions=[{"name": "eyes", "count": 1, "users": ["U2147483697"]}],
    ),
    message(
        120,
        "Rolled back deploy 42 &amp; errors dropped",
        user="U0BOB00001",
        reactions=[
            {"name": "white_check_mark", "count": 2, "users": ["U2147483697", "U0BOB00001"]}
        ],
    ),
    message(150, "thread reply", thread_ts=ts(120)),
]


def export_zip(
    days: dict[str, Any] | None = None,
    *,
    channels: Any = None,
    users: Any = None,
    extra: dict[str, bytes] | None = None,
    folder: str = "inc-checkout",
) -> bytes:
    """A zip as Slack's export makes it; each part can be replaced by a test."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", json.dumps(CHANNELS if channels is None else channels))
        archive.writestr("users.json", json.dumps(USERS if users is None else users))
        for day, rows in (days if days is not None else {"2026-03-01": DAY}).items():
            body = rows if isinstance(rows, bytes) else json.dumps(rows).encode()
            archive.writestr(f"{folder}/{day}.json", body)
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return buffer.getvalue()
