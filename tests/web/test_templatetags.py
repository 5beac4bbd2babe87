"""The display filters: UTC times, durations, safe links and user Markdown."""

from datetime import UTC, date, datetime, timedelta, timezone

from kintsugi.web.templatetags import kintsugi_web


def test_it_shows_times_in_utc():
    paris = timezone(timedelta(hours=1))
    assert kintsugi_web.utc(datetime(2026, 3, 1, 15, 2, tzinfo=paris)) == "2026-03-01 14:02 UTC"
    assert kintsugi_web.utc(None) == "—"


def test_it_formats_durations():
    assert kintsugi_web.duration(3600 + 25 * 60) == "1h 25m"
    assert kintsugi_web.duration(None) == "—"


def test_it_only_links_http_urls():
    assert kintsugi_web.safe_url("https://example.com/a") == "https://example.com/a"
    assert kintsugi_web.safe_url(" JavaScript:alert(1)") == "#"
    assert kintsugi_web.safe_url("data:text/html,x") == "#"
    assert kintsugi_web.safe_url(None) == "#"


def test_it_uses_the_sanitizing_renderer_when_present(monkeypatch):
    monkeypatch.setattr(kintsugi_web, "_markdown_renderer", lambda: lambda text: f"<p>{text}!</p>")
    assert kintsugi_web.user_markdown("hi") == "<p>hi!</p>"
    assert kintsugi_web.user_markdown("") == ""


def test_it_flags_overdue_open_items_only():
    class Item:
        def __init__(self, due, closed=False):
            self.due_on, self.is_closed = due, closed

    past = date(2020, 1, 1)
    assert kintsugi_web.is_overdue(Item(past))
    assert not kintsugi_web.is_overdue(Item(past, closed=True))
    assert not kintsugi_web.is_overdue(Item(None))
    assert not kintsugi_web.is_overdue(Item(datetime.now(UTC).date() + timedelta(days=3)))
