"""Slack workspace exports: one channel's messages in a time window, as timeline candidates.

An export is a zip (Slack's "How to read Slack data exports" help page) holding
``channels.json`` (``[{"id": "C…", "name": "incident-42", …}]``), ``users.json``
(``[{"id": "U…", "name": …, "real_name": …, "profile": {"display_name": …}}]``) and one
folder per channel named after it with one ``YYYY-MM-DD.json`` per day, each a JSON array
of messages (``ts``, ``user``, ``text``, ``subtype``, ``reactions`` [{name, count, users}],
``pinned_to``, ``files``, ``thread_ts``, …).

The zip comes from a person's upload, so it is read defensively: member names that could
escape a folder, more files or more uncompressed bytes than an export of one incident
needs, and compressed sizes that lie are all refused with a reason before anything is
kept. Only ``channels.json``, ``users.json`` and the chosen channel's days in the window
are decompressed. No Django here: the upload view and the tests call the same function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from kintsugi.core.capture.model import fit
from kintsugi.core.capture.upload_zip import UploadedZip
from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem

MAX_WINDOW = timedelta(days=31)
MAX_CANDIDATES = 2_000  # more than a person picks through: a shorter window is better
# Slack's own limit on a message's length; a longer one is not from Slack.
MAX_MESSAGE_CHARS = 40_000
SKIPPED_SUBTYPES = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
DEFAULT_REACTIONS = ("pushpin",)

_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
_TS = re.compile(r"^(\d{1,12})\.(\d{1,6})$")
_ID = re.compile(r"^[A-Z0-9]{2,40}$")
_REACTION = re.compile(r"^[a-z0-9_+\-':.]{1,100}$")
_MARKUP = re.compile(r"<([^<>\n]{1,3000})>")


@dataclass(frozen=True)
class SlackChannel:
    id: str
    name: str


@dataclass(frozen=True)
class SlackMessage:
    """One message as a timeline candidate. ``key`` (channel id and ``ts``) is what makes a
    second import of the same export add nothing."""

    key: str
    occurred_at: datetime
    author: str
    text: str
    permalink: str
    pinned: bool
    reactions: tuple[str, ...]
    preselected: bool


@dataclass(frozen=True)
class SlackImport:
    channel: SlackChannel
    messages: tuple[SlackMessage, ...]
    skipped: int  # join/leave notices and empty messages


def clean_workspace_url(text: str) -> str:
    """``https://acme.slack.com`` from what a person pastes (a trailing slash or path is
    dropped); anything not an https Slack-like host is refused."""
    value = (text or "").strip()
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or "." not in host or parts.username or parts.port:
        raise ValidationProblem(
            "The workspace address is your Slack's https address, e.g. https://acme.slack.com.",
            field="workspace_url",
        )
    if not all(c.isalnum() or c in "-." for c in host) or len(host) > 200:
        raise ValidationProblem(
            "The workspace address has characters a host name cannot have.",
            field="workspace_url",
        )
    return f"https://{host.lower()}"


def parse_reactions(text: str) -> frozenset[str]:
    """Reaction names separated by commas or spaces, with or without colons."""
    names = [part.strip().strip(":").lower() for part in re.split(r"[,\s]+", text or "")]
    names = [name for name in names if name]
    if len(names) > 50:
        raise ValidationProblem("Name at most 50 reactions.", field="reactions")
    for name in names:
        if not _REACTION.match(name):
            raise ValidationProblem(
                f"{name[:40]!r} is not a reaction name (letters, digits, '_', '-', '+').",
                field="reactions",
            )
    return frozenset(names)


def ts_to_utc(ts: object, where: str = "ts") -> datetime:
    """Slack's ``ts`` (seconds since the epoch, a dot, microseconds) as a UTC time. Read
    as digits, not a float, so the permalink and the time stay exact."""
    if not isinstance(ts, str) or not _TS.match(ts):
        raise ValidationProblem(f"{where} must be a Slack timestamp such as '1355517523.000005'.")
    seconds, micros = ts.split(".")
    try:
        moment = datetime.fromtimestamp(int(seconds), tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValidationProblem(f"{where} is out of range.") from None
    return moment + timedelta(microseconds=int(micros.ljust(6, "0")))


def permalink(workspace_url: str, channel_id: str, ts: str, thread_ts: str = "") -> str:
    """Slack's message link: ``/archives/<channel>/p<ts without the dot>``; a reply also
    names its thread so Slack opens it in place."""
    link = f"{workspace_url}/archives/{channel_id}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return link


def _channels(archive: UploadedZip) -> list[SlackChannel]:
    if "channels.json" not in archive.members:
        raise ValidationProblem(
            "The zip has no channels.json (at its top level or in its one folder): upload "
            "the zip Slack's export made."
        )
    rows = archive.json("channels.json")
    if not isinstance(rows, list):
        raise ValidationProblem("channels.json must be a list of channels.")
    channels = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationProblem(f"channels.json[{index}] must be an object.")
        ident, name = row.get("id"), row.get("name")
        if not isinstance(ident, str) or not _ID.match(ident) or not isinstance(name, str):
            raise ValidationProblem(f"channels.json[{index}] needs an 'id' and a 'name'.")
        channels.append(SlackChannel(ident, name))
    return channels


def _users(archive: UploadedZip) -> dict[str, str]:
    """User id to the name people know them by (display name, else real name, else handle)."""
    name = "users.json" if "users.json" in archive.members else "org_users.json"
    if name not in archive.members:
        return {}
    rows = archive.json(name)
    if not isinstance(rows, list):
        raise ValidationProblem(f"{name} must be a list of members.")
    names: dict[str, str] = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise ValidationProblem(f"{name} holds a member without an 'id'.")
        found = row.get("profile")
        profile: dict[str, Any] = found if isinstance(found, dict) else {}
        for candidate in (
            profile.get("display_name"),
            profile.get("real_name"),
            row.get("real_name"),
            row.get("name"),
        ):
            if isinstance(candidate, str) and candidate.strip():
                names[row["id"]] = fit(candidate, 150)
                break
    return names


def choose_channel(channels: Iterable[SlackChannel], wanted: str) -> SlackChannel:
    """The channel by name (with or without '#') or id; the message lists the choices."""
    key = wanted.strip().lstrip("#")
    known = list(channels)
    for channel in known:
        if key in (channel.id, channel.name):
            return channel
    names = ", ".join(sorted(f"#{c.name}" for c in known)[:30]) or "none"
    raise ValidationProblem(
        f"The export has no channel {wanted.strip()[:80]!r}; it has: {names}.", field="channel"
    )


def _days(archive: UploadedZip, folder: str, start: datetime, end: datetime) -> list[str]:
    """The channel's day files that may hold messages of the window (a day either side:
    the export's days follow the workspace's time zone)."""
    first, last = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
    files = []
    for name in archive.members:
        head, _, leaf = name.rpartition("/")
        match = _DAY_FILE.match(leaf)
        if head != folder or not match:
            continue
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if first <= day <= last:
            files.append(name)
    return sorted(files)


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationProblem(f"{where} must be a string.")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ValidationProblem(
            f"{where} is longer than Slack allows ({MAX_MESSAGE_CHARS:,} characters)."
        )
    return value


def _label(text: str) -> str:
    return text.replace("[", "(").replace("]", ")").strip()


def plain_text(text: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Slack's markup as plain text with Markdown links: ``<@U1>`` becomes ``@name``,
    ``<#C1|name>`` ``#name``, ``<https://x|label>`` ``[label](https://x)``; links other
    than http(s) keep only their label. Slack escapes only ``&``, ``<`` and ``>``; they
    are unescaped last, so an escaped ``&lt;@U1&gt;`` stays text."""

    def replace(match: re.Match[str]) -> str:
        inner = match[1]
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (users.get(target[1:]) or label or target[1:])
        if target.startswith("#"):
            return "#" + (label or channels.get(target[1:]) or target[1:])
        if target.startswith("!"):
            command = target[1:].split("^")[0]
            if label:
                return label
            return f"@{command}" if command in ("here", "channel", "everyone") else ""
        scheme = urlsplit(target).scheme.lower()
        if scheme in ("http", "https") and not any(c.isspace() for c in target):
            url = quote(target, safe=":/?#[]@!$&'*+,;=%~.-_")
            url = url.replace("(", "%28").replace(")", "%29")
            shown = _label(label)
            return f"[{shown}]({url})" if shown and shown != target else url
        return label or (target.removeprefix("mailto:") if scheme == "mailto" else "")

    text = _MARKUP.sub(replace, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _reactions(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationProblem(f"{where}.reactions must be a list.")
    names = []
    for reaction in value:
        if not isinstance(reaction, dict) or not isinstance(reaction.get("name"), str):
            raise ValidationProblem(f"{where}.reactions holds an entry without a 'name'.")
        names.append(reaction["name"].split("::")[0][:100])
    return tuple(names)


def _author(raw: Mapping[str, Any], users: Mapping[str, str], where: str) -> str:
    user = raw.get("user")
    if user is not None and not isinstance(user, str):
        raise ValidationProblem(f"{where}.user must be a string.")
    if user and user in users:
        return users[user]
    profile = raw.get("user_profile")
    if isinstance(profile, dict):
        for key in ("display_name", "real_name", "name"):
            if isinstance(profile.get(key), str) and profile[key].strip():
                return fit(profile[key], 150)
    for key in ("username",):
        if isinstance(raw.get(key), str) and raw[key].strip():
            return fit(raw[key], 150)
    bot = raw.get("bot_profile")
    if isinstance(bot, dict) and isinstance(bot.get("name"), str):
        return fit(bot["name"], 150)
    return user or "unknown"


def _message(
    raw: object,
    where: str,
    *,
    channel: SlackChannel,
    users: Mapping[str, str],
    channels: Mapping[str, str],
    workspace_url: str,
    preselect: frozenset[str],
) -> SlackMessage | None:
    if not isinstance(raw, dict):
        raise ValidationProblem(f"{where} must be an object.")
    subtype = raw.get("subtype")
    if subtype is not None and not isinstance(subtype, str):
        raise ValidationProblem(f"{where}.subtype must be a string.")
    ts = raw.get("ts")
    occurred_at = ts_to_utc(ts, f"{where}.ts")
    assert isinstance(ts, str)
    thread_ts = raw.get("thread_ts")
    if thread_ts is not None and (not isinstance(thread_ts, str) or not _TS.match(thread_ts)):
        raise ValidationProblem(f"{where}.thread_ts must be a Slack timestamp.")
    text = plain_text(_text(raw.get("text"), f"{where}.text"), users, channels)
    files = raw.get("files")
    if files is not None and not isinstance(files, list):
        raise ValidationProblem(f"{where}.files must be a list.")
    names = [
        f["name"] for f in files or () if isinstance(f, dict) and isinstance(f.get("name"), str)
    ]
    if names:
        text = (text + "\n" if text.strip() else "") + "Files: " + ", ".join(names[:10])
    reactions = _reactions(raw.get("reactions"), where)
    pinned_to = raw.get("pinned_to")
    if pinned_to is not None and not isinstance(pinned_to, list):
        raise ValidationProblem(f"{where}.pinned_to must be a list.")
    if subtype in SKIPPED_SUBTYPES or not text.strip():
        return None
    pinned = bool(pinned_to)
    return SlackMessage(
        key=f"{channel.id}:{ts}",
        occurred_at=occurred_at,
        author=_author(raw, users, where),
        # A message longer than a timeline event is cut; the permalink has it whole.
        text=fit(text, MAX_SHORT_TEXT),
        permalink=permalink(workspace_url, channel.id, ts, thread_ts or ""),
        pinned=pinned,
        reactions=reactions,
        preselected=pinned or any(name in preselect for name in reactions),
    )


def check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationProblem("Give the window's times with a time zone.", field="start")
    if end <= start:
        raise ValidationProblem("The window must end after it starts.", field="end")
    if end - start > MAX_WINDOW:
        raise ValidationProblem(
            f"The window is at most {MAX_WINDOW.days} days; choose the incident's hours.",
            field="end",
        )


def read_slack_export(
    data: bytes,
    *,
    channel: str,
    start: datetime,
    end: datetime,
    workspace_url: str,
    preselect_reactions: frozenset[str] = frozenset(DEFAULT_REACTIONS),
) -> SlackImport:
    """The messages of ``channel`` posted in ``[start, end)``, oldest first, or a
    ``ValidationProblem`` saying what is wrong with the export or the choice."""
    check_window(start, end)
    workspace = clean_workspace_url(workspace_url)
    archive = UploadedZip(data)
    channels = _channels(archive)
    chosen = choose_channel(channels, channel)
    users = _users(archive)
    channel_names = {c.id: c.name for c in channels}
    folder = chosen.name
    if not any(name.startswith(folder + "/") for name in archive.members):
        raise ValidationProblem(
            f"The export has no folder for #{chosen.name}: it holds no messages of it.",
            field="channel",
        )
    messages: dict[str, SlackMessage] = {}
    skipped = 0
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    for name in _days(archive, folder, low, high):
        rows = archive.json(name)
        if not isinstance(rows, list):
            raise ValidationProblem(f"{name} must be a list of messages.")
        for index, raw in enumerate(rows):
            message = _message(
                raw,
                f"{name}[{index}]",
                channel=chosen,
                users=users,
                channels=channel_names,
                workspace_url=workspace,
                preselect=preselect_reactions,
            )
            if message is None:
                skipped += 1
            elif low <= message.occurred_at < high:
                messages[message.key] = message
                if len(messages) > MAX_CANDIDATES:
                    raise ValidationProblem(
                        f"The window holds more than {MAX_CANDIDATES:,} messages; choose a "
                        "shorter one.",
                        field="end",
                    )
    ordered = sorted(messages.values(), key=lambda m: (m.occurred_at, m.key))
    return SlackImport(chosen, tuple(ordered), skipped)
