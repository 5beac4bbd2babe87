"""The PDF is printed by a real child process, within a deadline and a memory cap, a few
at a time, and loads nothing from outside; a document over the limits is refused first."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kintsugi.core.markdown import pdf_process
from kintsugi.core.markdown.exporting import pdf_page
from kintsugi.core.markdown.html import render_html
from kintsugi.core.markdown.pdf_bench import large_document
from kintsugi.core.markdown.pdf_process import (
    PdfBusy,
    PdfLimits,
    PdfStopped,
    PdfTooLarge,
    print_pdf,
    render_slot,
)


def limits(tmp_path: Path, **overrides: object) -> PdfLimits:
    return PdfLimits(slot_dir=tmp_path, **overrides)  # type: ignore[arg-type]


def child_is_gone() -> bool:
    """The last render's child has exited and been reaped (no process, not even a zombie)."""
    assert pdf_process.last_child_pid is not None
    return not Path(f"/proc/{pdf_process.last_child_pid}").exists()


def test_it_prints_in_a_child_and_reports_what_it_cost(tmp_path):
    printed = print_pdf(render_html(large_document(3, 2), for_pdf=True), limits(tmp_path))
    assert printed.pdf.startswith(b"%PDF-")
    assert 20_000 < printed.peak_kb < 300_000  # the child's own figure, in KiB
    assert printed.cpu_seconds > 0
    assert child_is_gone()


def test_it_never_fetches_anything_while_printing(tmp_path):
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    page = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}"
        f'</style></head><body><img src="{base}/leak.png"><p>Hello</p></body></html>'
    )
    try:
        assert print_pdf(page, limits(tmp_path)).pdf.startswith(b"%PDF-")
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []


def test_it_stops_a_render_at_its_deadline_and_leaves_nothing_running(tmp_path):
    page = render_html(large_document(300, 0), for_pdf=True)
    with pytest.raises(PdfStopped, match=r"longer than 0.5 s.*KINTSUGI_PDF_TIMEOUT"):
        print_pdf(page, limits(tmp_path, timeout_seconds=0.5))
    assert child_is_gone()


def test_it_stops_a_render_at_its_memory_cap(tmp_path):
    # 150 MB is enough to start WeasyPrint (about 60 MB) but not to lay out 400 events.
    page = render_html(large_document(400, 0), for_pdf=True)
    with pytest.raises(PdfStopped, match=r"memory limit \(150 MB\).*KINTSUGI_PDF_MEMORY_MB"):
        print_pdf(page, limits(tmp_path, memory_mb=150, timeout_seconds=120))
    assert child_is_gone()


def test_it_answers_busy_when_every_slot_is_taken(tmp_path):
    bounded = limits(tmp_path, concurrency=1)
    with render_slot(bounded), pytest.raises(PdfBusy, match=r"at once \(1\); try again"):
        print_pdf("<p>Hello</p>", bounded)
    # The slot is free again once its holder is done.
    assert print_pdf("<p>Hello</p>", bounded).pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("events", "items", "message"),
    [
        (11, 0, r"\(11 events, limit 10\).*KINTSUGI_PDF_MAX_EVENTS\.$"),
        (0, 6, r"\(6 action items, limit 5\).*KINTSUGI_PDF_MAX_ACTION_ITEMS\.$"),
    ],
)
def test_it_refuses_a_document_over_the_limits_before_rendering(tmp_path, events, items, message):
    bounded = limits(tmp_path, max_events=10, max_action_items=5)
    with pytest.raises(PdfTooLarge, match=message) as refusal:
        pdf_page(large_document(events, items), None, bounded)
    assert refusal.value.message.startswith("This post-mortem is too large for PDF")
    assert "export HTML and print it from the browser" in refusal.value.message


def test_it_refuses_a_page_over_the_size_limit(tmp_path):
    bounded = limits(tmp_path, max_page_bytes=20_000)
    with pytest.raises(PdfTooLarge, match="KINTSUGI_PDF_MAX_PAGE_KB"):
        pdf_page(large_document(200, 0), None, bounded)


def test_the_pdf_page_keeps_every_fact_without_tables():
    document = large_document(2, 1)
    document.action_items[0].status_reason = "Blocked on the **vendor**."
    page = render_html(document, for_pdf=True)
    timeline = page[page.index('<section id="timeline">') : page.index('<section id="factors">')]
    actions = page[page.index('<section id="actions">') :]
    assert "<table" not in timeline and "<table" not in actions
    assert "2026-03-01 09:01" in timeline and "engineer1" in timeline
    assert 'href="https://grafana.example.com/d/checkout?panel=1"' in timeline
    assert "<strong>checkout</strong>" in timeline  # the text is still Markdown
    assert "<h3>A1. Alert when checkout p99 latency stays above 200 ms</h3>" in actions
    assert 'href="https://jira.example.com/browse/OPS-1000"' in actions
    assert "Owner: engineer0" in actions and "Due: 2026-04-01" in actions
    assert "Blocked on the <strong>vendor</strong>." in actions
    # The HTML export keeps its tables.
    assert '<th scope="col">Time (UTC)</th>' in render_html(document)


WARM_UP_SCRIPT = """
import os, sys
from pathlib import Path
from kintsugi.core.markdown import pdf_process

def children():
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            found.append((stat.parent / "cmdline").read_bytes().replace(b"\\0", b" ").decode())
    return found

before = [c for c in children() if "forkserver" in c]
pdf_process.warm_up()
after = [c for c in children() if "forkserver" in c]
print(len(before), len(after))
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_warm_up_starts_the_fork_server_before_any_export():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", WARM_UP_SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]  # none before, one running after
