"""Reading Slack exports: shape, markup, time, permalinks and hostile zips (no database)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.core.capture import slack as slack_reader
from kintsugi.core.capture import upload_zip
from kintsugi.core.capture.slack import (
    clean_workspace_url,
    parse_reactions,
    plain_text,
    read_slack_export,
    ts_to_utc,
)
from kintsugi.core.errors import ValidationProblem
from tests.core.capture.slack_export import CHANNEL_ID, T0, export_zip, message, ts

START = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
END = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
WORKSPACE = "https://acme.slack.com"


def read(data: bytes, **extra):
    options = {
        "channel": "inc-checkout",
        "start": START,
        "end": END,
        "workspace_url": WORKSPACE,
        **extra,
    }
    return read_slack_export(data, **options)


def test_it_reads_the_channels_messages_in_the_window():
    result = read(export_zip())
    assert result.channel.id == CHANNEL_ID
    assert [m.author for m in result.messages] == ["alice.ng", "Bob Diaz", "Bob Diaz", "alice.ng"]
    first, second, third, reply = result.messages
    assert first.occurred_at == datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    assert first.text == "Checkout is throwing 500s, @Bob Diaz can you look?"
    assert first.permalink == f"{WORKSPACE}/archives/{CHANNEL_ID}/p{ts(0).replace('.', '')}"
    assert first.pinned and first.preselected
    assert second.text == (
        "Looking. Dashboard: [checkout errors](https://grafana.example/d/1) in #general"
    )
    assert second.reactions == ("eyes",) and not second.preselected
    assert third.text == "Rolled back deploy 42 & errors dropped"
    assert reply.permalink.endswith(f"?thread_ts={ts(120)}&cid={CHANNEL_ID}")
    assert result.skipped == 1  # the join notice
    assert first.key == f"{CHANNEL_ID}:{ts(0)}"


def test_reactions_chosen_preselect():
    result = read(export_zip(), preselect_reactions=parse_reactions(":white_check_mark:, eyes"))
    assert [m.preselected for m in result.messages] == [True, True, True, False]


def test_the_channel_is_found_by_id_or_hash_name_and_a_wrong_one_lists_the_choices():
    assert read(export_zip(), channel=CHANNEL_ID).channel.name == "inc-checkout"
    assert read(export_zip(), channel="#inc-checkout").channel.id == CHANNEL_ID
    with pytest.raises(ValidationProblem, match="#general, #inc-checkout"):
        read(export_zip(), channel="random")


def test_the_window_is_half_open_and_reaches_neighbouring_day_files():
    days = {
        "2026-02-28": [message(-86400, "yesterday")],
        "2026-03-01": [message(0, "at start")],
        "2026-03-02": [message(7200 - 300, "at end, excluded")],
    }
    result = read(export_zip(days), start=datetime(2026, 3, 1, 14, 5, tzinfo=UTC))
    assert [m.text for m in result.messages] == ["at start"]
    with pytest.raises(ValidationProblem, match="end after"):
        read(export_zip(), start=END, end=START)
    with pytest.raises(ValidationProblem, match="at most 31 days"):
        read(export_zip(), end=START + timedelta(days=40))


def test_ts_is_read_exactly():
    assert ts_to_utc("1355517523.000005") == datetime(2012, 12, 14, 20, 38, 43, 5, tzinfo=UTC)
    for bad in (1355517523.5, "1355517523", "abc.def", "-1.0", "1.1234567"):
        with pytest.raises(ValidationProblem, match="Slack timestamp"):
            ts_to_utc(bad)


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("<@U1>", "@Ann"),
        ("<@U9|old>", "@old"),
        ("<@U9>", "@U9"),
        ("<#C1>", "#ops"),
        ("<!here> <!channel|@channel> <!subteam^S1|@sre>", "@here @channel @sre"),
        ("<!date^1392734382^{date}|Feb 18>", "Feb 18"),
        ("<https://x.example/a>", "https://x.example/a"),
        ("<https://x.example/a(b)|see [this]>", "[see (this)](https://x.example/a%28b%29)"),
        ("<javascript:alert(1)|click>", "click"),
        ("<javascript:alert(1)>", ""),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("&lt;@U1&gt;", "<@U1>"),
        ("1 &amp;lt; 2", "1 &lt; 2"),
    ],
)
def test_markup_becomes_plain_text(markup, plain):
    assert plain_text(markup, {"U1": "Ann"}, {"C1": "ops"}) == plain


def test_workspace_urls_are_https_hosts_only():
    assert clean_workspace_url(" https://Acme.slack.com/archives/ ") == "https://acme.slack.com"
    for bad in (
        "http://acme.slack.com",
        "javascript:alert(1)",
        "https://",
        "acme",
        "https://a@b.c",
        "https://ex ample.com",
    ):
        with pytest.raises(ValidationProblem, match="workspace address"):
            clean_workspace_url(bad)


def test_reaction_names_are_checked():
    assert parse_reactions("") == frozenset()
    assert parse_reactions(":+1: pushpin,eyes") == {"+1", "pushpin", "eyes"}
    with pytest.raises(ValidationProblem, match="not a reaction"):
        parse_reactions("<script>")


def test_files_are_named_and_file_only_messages_are_kept():
    days = {"2026-03-01": [message(0, "", files=[{"name": "graph.png", "id": "F1"}])]}
    (only,) = read(export_zip(days)).messages
    assert only.text == "Files: graph.png"


def test_a_long_message_is_cut_and_one_longer_than_slack_allows_refused():
    days = {"2026-03-01": [message(0, "x" * 5000)]}
    (only,) = read(export_zip(days)).messages
    assert len(only.text) == 2000 and only.text.endswith("…")
    days = {"2026-03-01": [message(0, "x" * 40_001)]}
    with pytest.raises(ValidationProblem, match=r"2026-03-01.json\[0\].text is longer"):
        read(export_zip(days))


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        ({"2026-03-01": b"[{"}, "not valid JSON"),
        ({"2026-03-01": b"\xff\xfe"}, "not UTF-8"),
        ({"2026-03-01": b"[" * 100_000 + b"]" * 100_000}, "nested too deeply|not valid JSON"),
        ({"2026-03-01": {"ts": "1"}}, "must be a list of messages"),
        ({"2026-03-01": ["hello"]}, r"\[0\] must be an object"),
        ({"2026-03-01": [{"ts": 1772373900, "text": "x"}]}, "Slack timestamp"),
        ({"2026-03-01": [message(0, 42)]}, "text must be a string"),
        ({"2026-03-01": [message(0, "x", user=7)]}, "user must be a string"),
        ({"2026-03-01": [message(0, "x", reactions="eyes")]}, "reactions must be a list"),
        ({"2026-03-01": [message(0, "x", reactions=[{"count": 1}])]}, "without a 'name'"),
        ({"2026-03-01": [message(0, "x", pinned_to="C1")]}, "pinned_to must be a list"),
        ({"2026-03-01": [message(0, "x", thread_ts=5)]}, "thread_ts"),
    ],
)
def test_bad_day_files_are_refused_with_the_place(days, reason):
    with pytest.raises(ValidationProblem, match=reason):
        read(export_zip(days))


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"channels": {"id": "C1"}}, "channels.json must be a list"),
        ({"channels": [{"id": "c1; drop", "name": "x"}]}, "needs an 'id'"),
        ({"users": "alice"}, "users.json must be a list"),
        ({"users": [{"name": "no id"}]}, "without an 'id'"),
    ],
)
def test_bad_channels_and_users_are_refused(extra, reason):
    with pytest.raises(ValidationProblem, match=reason):
        read(export_zip(**extra))


def test_not_a_zip_and_a_zip_without_channels_are_refused():
    with pytest.raises(ValidationProblem, match="not a zip"):
        read(b"PK\x03\x04 nonsense")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/2026/channels.json", "[]")
    with pytest.raises(ValidationProblem, match="no channels.json"):
        read(buffer.getvalue())
    with pytest.raises(ValidationProblem, match="no folder"):
        read(export_zip(folder="elsewhere"))


@pytest.mark.parametrize(
    "name", ["../evil.json", "inc-checkout/../../x.json", "/etc/passwd", "C:/x.json", "a\\..\\b"]
)
def test_path_traversal_names_are_refused(name):
    with pytest.raises(ValidationProblem, match="points outside"):
        read(export_zip(extra={name: b"[]"}))


def test_a_zip_bomb_is_refused_before_it_is_expanded(monkeypatch):
    monkeypatch.setattr(upload_zip, "MAX_TOTAL_BYTES", 1_000_000)
    bomb = {"2026-03-01": b"[" + b" " * 2_000_000 + b"]"}
    with pytest.raises(ValidationProblem, match="expands to more than"):
        read(export_zip(bomb))


def test_one_highly_compressed_member_is_refused():
    bomb = {"2026-03-01": b"[" + b" " * 5_000_000 + b"]"}
    with pytest.raises(ValidationProblem, match="expands to more than this import may read"):
        read(export_zip(bomb))


def test_too_many_files_and_too_large_an_upload_are_refused(monkeypatch):
    monkeypatch.setattr(upload_zip, "MAX_FILES", 5)
    many = {f"inc-checkout/2020-01-0{i}.json": b"[]" for i in range(1, 8)}
    with pytest.raises(ValidationProblem, match="more than 5 files"):
        read(export_zip(extra=many))
    monkeypatch.setattr(upload_zip, "MAX_ZIP_BYTES", 100)
    with pytest.raises(ValidationProblem, match="larger than"):
        read(export_zip())


def test_a_member_larger_than_declared_is_refused():
    data = bytearray(export_zip({"2026-03-01": json.dumps([message(0, "x" * 100)]).encode()}))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("inc-checkout/2026-03-01.json")
    # Shrink the declared size in the central directory (and the local header).
    real = info.file_size
    fake = (real - 10).to_bytes(4, "little")
    patched = bytes(data).replace(real.to_bytes(4, "little"), fake)
    with pytest.raises(ValidationProblem, match="larger than the zip declares|cannot be read"):
        read(patched)


def test_too_many_messages_in_the_window_are_refused(monkeypatch):
    monkeypatch.setattr(slack_reader, "MAX_CANDIDATES", 3)
    rows = [message(i, f"m{i}") for i in range(5)]
    with pytest.raises(ValidationProblem, match="more than 3 messages"):
        read(export_zip({"2026-03-01": rows}))


def test_a_second_read_gives_the_same_keys():
    assert [m.key for m in read(export_zip()).messages] == [
        m.key for m in read(export_zip()).messages
    ]
    assert int(datetime(2026, 3, 1, 14, 5, tzinfo=UTC).timestamp()) == T0


def test_an_export_zipped_again_with_its_folder_is_read():
    original = zipfile.ZipFile(io.BytesIO(export_zip()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            archive.writestr(f"Acme Slack export/{info.filename}", original.read(info))
        archive.writestr("__MACOSX/._channels.json", b"\x00")
        archive.writestr("__MACOSX/Acme Slack export/._channels.json", b"\x00")
    result = read(buffer.getvalue())
    assert len(result.messages) == 4
