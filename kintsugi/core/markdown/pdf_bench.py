"""How long a PDF takes and how much memory it needs: ``python -m kintsugi.core.markdown.pdf_bench``.

The goal (issue 14): a post-mortem with 500 timeline events and 100 action items prints in
under 3 s and 300 MB; anything larger prints within the limits (60 s, 1 GB by default) or
is refused before rendering. This prints the figures for a few sizes through the same path
as a download (size check, page, capped child process) and exits 1 if the 500/100 case
misses the goal. Times depend on the machine: run it on an idle one, or compare the child's
CPU time and, with ``--calls``, WeasyPrint's function calls, which a busy machine does not
change.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

# Each render's child process runs this module again (as multiprocessing's ``__mp_main__``,
# because it is the main module): what it imports at the top would be imported in every
# child and counted in its CPU time, about 0.15 s for kintsugi.core.document, which a web
# worker's child does not pay. So the rest is imported where it is used.
if TYPE_CHECKING:
    from kintsugi.core.document import PostmortemDocument
    from kintsugi.core.markdown.pdf_limits import PdfLimits

GOAL_SECONDS = 3.0
GOAL_MB = 300


def large_document(events: int, action_items: int) -> PostmortemDocument:
    """A long post-mortem with text like real ones: Markdown in every event, a link to
    evidence, an owner and a ticket on every action item."""
    from kintsugi.core.document import ActionItemEntry, PostmortemDocument, TimelineEntry
    from kintsugi.core.timeline import EventKind
    from kintsugi.core.vocabulary import Priority

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    kinds = list(EventKind)
    priorities = list(Priority)
    return PostmortemDocument(
        title="Checkout outage across three regions",
        started_at=start,
        ended_at=start + timedelta(days=3),
        summary="Checkout failed for a share of customers for three days.",
        impact="About 12% of checkouts failed; support received 4,000 tickets.",
        timeline=[
            TimelineEntry(
                at=start + timedelta(minutes=number),
                kind=kinds[number % len(kinds)],
                text=f"Event {number}: the **checkout** service returned `502` for "
                f"{number % 37}% of requests; see the dashboard and runbook step {number}.",
                author=f"engineer{number % 20}",
                evidence_url=f"https://grafana.example.com/d/checkout?panel={number}",
            )
            for number in range(events)
        ],
        action_items=[
            ActionItemEntry(
                title=f"Alert when checkout p99 latency stays above {number + 200} ms",
                priority=priorities[number % len(priorities)],
                owner=f"engineer{number % 20}",
                ticket_id=f"OPS-{1000 + number}",
                ticket_url=f"https://jira.example.com/browse/OPS-{1000 + number}",
                due_on=date(2026, 4, 1),
                description=f"Latency rose for {number} minutes before anyone was paged.",
            )
            for number in range(action_items)
        ],
    )


def weasyprint_calls(page: str) -> int:
    """The Python function calls WeasyPrint makes to print ``page``, in this process: a
    figure that, unlike time, does not change with what else the machine is doing."""
    import weasyprint

    from kintsugi.core.markdown.pdf_process import refusing_fetcher

    profile = cProfile.Profile()
    profile.enable()
    weasyprint.HTML(string=page, url_fetcher=refusing_fetcher()).write_pdf()
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def measure(
    events: int, action_items: int, limits: PdfLimits, *, count_calls: bool = False
) -> tuple[str, bool]:
    """One line of figures, and whether the 500/100 goal (if this is that case) is met."""
    from kintsugi.core.errors import ValidationProblem
    from kintsugi.core.markdown.exporting import pdf_page
    from kintsugi.core.markdown.pdf_process import print_pdf

    document = large_document(events, action_items)
    started = time.monotonic()
    try:
        page = pdf_page(document, None, limits)
        printed = print_pdf(page, limits)
    except ValidationProblem as problem:
        seconds = time.monotonic() - started
        return f"{events:>6} events {action_items:>4} items: {seconds:6.2f} s  {problem}", True
    seconds = time.monotonic() - started
    megabytes = printed.peak_kb // 1024
    line = (
        f"{events:>6} events {action_items:>4} items: {seconds:6.2f} s "
        f"({printed.cpu_seconds:5.2f} s CPU in the child)  {megabytes:>5} MB peak"
        f"  {len(printed.pdf) // 1024:>6} KiB PDF"
    )
    if count_calls:
        line += f"  {weasyprint_calls(page) / 1e6:5.2f} M WeasyPrint calls"
    met = seconds < GOAL_SECONDS and megabytes < GOAL_MB
    return line, met or (events, action_items) != (500, 100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kintsugi.core.markdown.pdf_bench")
    parser.add_argument(
        "--sizes",
        default="100x20,500x100,1000x300,5000x500",
        help="events x action items, comma-separated (default: %(default)s).",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="also count WeasyPrint's Python function calls for each size (cProfile, in this "
        "process; slow): the figure to compare on a busy machine.",
    )
    args = parser.parse_args(argv)
    from kintsugi.core.markdown.pdf_limits import PdfLimits
    from kintsugi.core.markdown.pdf_process import print_pdf

    limits = PdfLimits()
    print(
        f"Limits: {limits.max_events} events, {limits.max_action_items} action items, "
        f"{limits.timeout_seconds:g} s, {limits.memory_mb} MB. Goal for 500x100: "
        f"< {GOAL_SECONDS:g} s and < {GOAL_MB} MB."
    )
    # The fork server starts with the first PDF of each process (docs/operations.md); it is
    # started here so that the first size measured does not carry it.
    started = time.monotonic()
    print_pdf("<p>Warming up.</p>", limits)
    print(f"Fork server started and a one-line PDF printed in {time.monotonic() - started:.2f} s.")
    ok = True
    for size in args.sizes.split(","):
        events, _, items = size.partition("x")
        line, met = measure(int(events), int(items or 0), limits, count_calls=args.calls)
        ok &= met
        print(line + ("" if met else "  <- misses the goal"), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
