"""Search entries written online, in batches (issue 20): what a migration queues instead
of rebuilding the whole index in its own transaction. On SQLite, and on PostgreSQL when
DATABASE_URL names one."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kintsugi.search import fill
from kintsugi.search.models import IndexFill, SearchEntry

pytestmark = pytest.mark.django_db

WORDS = ("zeppelin", "quokka", "marmalade", "tundra", "saxophone", "origami", "lantern")


class Steps:
    """A clock that advances ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def comments(written, owner):
    """Seven comments whose entries are gone, as after the triggers-only migration on a
    database that had comments; the other sources' entries are still there."""
    from kintsugi.reviews.services.comments import thread_start

    for word in WORDS:
        thread_start(user=owner, incident=written["incident"], anchor="section:timeline",
                     text=f"Was the {word} dashboard checked?")  # fmt: skip
    SearchEntry.objects.filter(kind="comment").delete()
    return written


def _entries(kind: str) -> dict[int, tuple[int, str]]:
    return {
        source_id: (incident_id, body)
        for source_id, incident_id, body in SearchEntry.objects.filter(kind=kind).values_list(
            "source_id", "incident_id", "body"
        )
    }


def test_queued_comments_are_filled_in_batches_while_search_answers(
    comments, owner, search_for
) -> None:
    before_other = _entries("factor")
    fill.queue(["comment"])
    assert search_for(owner, "zeppelin").hits == []
    assert search_for(owner, "pgbouncer").hits  # the old entries answer meanwhile
    # Batches of 3 rows, one batch per pass (the clock says each pass's budget is spent).
    passes = 0
    while IndexFill.objects.exists():
        report = fill.fill_pending(seconds=1, batch=3, clock=Steps(5.0))
        assert report.entries_batches == 1
        passes += 1
        assert passes < 10
    assert passes == 4  # 3 + 3 + 1 rows, then one batch that finds none and finishes
    assert len(_entries("comment")) == len(WORDS)
    assert any(hit.kind == "comment" for hit in search_for(owner, "zeppelin").hits)
    assert _entries("factor") == before_other


def test_the_filled_entries_equal_what_the_triggers_write(comments, owner) -> None:
    fill.queue(["comment"])
    fill.fill_pending(seconds=0)
    filled = _entries("comment")
    # Rewrite every comment through its trigger: the same entries come back.
    from kintsugi.reviews.models import Comment

    SearchEntry.objects.filter(kind="comment").delete()
    for comment in Comment.objects.all():
        Comment.objects.filter(pk=comment.pk).update(text=comment.text + " ")
        Comment.objects.filter(pk=comment.pk).update(text=comment.text)
    assert _entries("comment") == filled


def test_a_fill_of_a_complete_index_changes_nothing(written) -> None:
    before = {kind: _entries(kind) for kind in ("incident", "event", "factor", "action")}
    assert fill.queue() == [s.kind for s in fill.SOURCES]
    report = fill.fill_pending(seconds=0)
    assert sorted(report.done) == sorted(s.kind for s in fill.SOURCES)
    assert not IndexFill.objects.exists()
    assert {kind: _entries(kind) for kind in before} == before


def test_rebuild_rewrites_a_damaged_body(written) -> None:
    SearchEntry.objects.filter(kind="factor").update(body="garbled")
    call_command("search_index", "--rebuild", "--kind", "factor", stdout=_Sink())
    assert "Connection pool exhausted" in next(iter(_entries("factor").values()))[1]


def test_the_migration_queues_comments_only_when_there_are_some(comments) -> None:
    from importlib import import_module

    sql = import_module("kintsugi.search.migrations.0004_index_fill").QUEUE_COMMENTS
    IndexFill.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(IndexFill.objects.values_list("kind", "after_id")) == [("comment", 0)]
    from kintsugi.reviews.models import Comment, Thread

    IndexFill.objects.all().delete()
    Comment.objects.all().delete()
    Thread.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(sql)
    assert not IndexFill.objects.exists()


def test_the_worker_fills_a_little_every_pass(comments, settings) -> None:
    from datetime import UTC, datetime

    from kintsugi.core.debt.clock import FixedClock
    from kintsugi.debt.services.worker import run_pass

    fill.queue(["comment"])
    report = run_pass(clock=FixedClock(datetime(2026, 3, 9, tzinfo=UTC)))
    assert "finished: comment" in report.steps["search index filled"]
    assert len(_entries("comment")) == len(WORDS)


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_the_command_fills_and_reports(comments) -> None:
    fill.queue(["comment"])
    out = _Sink()
    call_command("search_index", "--status", stdout=out)
    assert "comment: queued, done up to id 0" in out.text
    out = _Sink()
    call_command("search_index", "--fill", "--batch", "2", stdout=out)
    assert "finished: comment" in out.text and len(_entries("comment")) == len(WORDS)
    out = _Sink()
    call_command("search_index", "--status", stdout=out)
    assert "nothing queued" in out.text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--rebuild", "--kind", "nonsense'; DROP TABLE x; --"], "No search source is called"),
        (["--fill", "--kind", "comment"], "--kind goes with --rebuild"),
        (["--fill", "--batch", "0"], "--batch must be between"),
        (["--fill", "--batch", "10000000"], "--batch must be between"),
    ],
)
def test_bad_usage_is_refused_in_one_line(db, args, said) -> None:
    with pytest.raises(CommandError, match=said):
        call_command("search_index", *args)
    assert not IndexFill.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_deleted_during_a_batch_leaves_no_entry_behind(written, owner) -> None:
    """PostgreSQL: a DELETE of a source row racing a fill batch waits for it, and its
    trigger then removes the entry the batch wrote (an orphan would be found by search)."""
    import threading

    from django.db import connection as main_connection
    from django.db import connections, transaction

    if main_connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no race to test")
    from kintsugi.reviews.models import Comment
    from kintsugi.reviews.services.comments import thread_start
    from kintsugi.search import triggers
    from kintsugi.search.sources import SOURCES

    posted = thread_start(user=owner, incident=written["incident"], anchor="section:timeline",
                          text="A comment about the gazebo")  # fmt: skip
    comment_id = posted.comment.pk
    SearchEntry.objects.filter(kind="comment").delete()
    source = next(s for s in SOURCES if s.kind == "comment")
    batch_written = threading.Event()
    deleted = threading.Event()
    order: list[str] = []

    def delete_it() -> None:
        batch_written.wait(10)
        Comment.objects.filter(pk=comment_id).delete()  # waits for the batch's commit
        order.append("deleted")
        deleted.set()
        connections.close_all()

    other = threading.Thread(target=delete_it)
    other.start()
    with transaction.atomic():
        triggers.fill_range(main_connection, source, 0, 100)
        batch_written.set()
        assert not deleted.wait(1.0)  # the delete is held by the batch's lock
        order.append("batch committed")
    other.join(10)
    assert order == ["batch committed", "deleted"]
    assert not SearchEntry.objects.filter(kind="comment", source_id=comment_id).exists()
