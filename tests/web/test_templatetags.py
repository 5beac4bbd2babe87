"""The display filters: UTC times, durations, safe links and user Markdown."""

from datetime import datetime, timedelta, timezone

from kintsugi.rendering import filters
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
    monkeypatch.setattr(filters, "_markdown_renderer", lambda: lambda text: f"<p>{text}!</p>")
    assert kintsugi_web.user_markdown("hi") == "<p>hi!</p>"
    assert kintsugi_web.user_markdown("") == ""
