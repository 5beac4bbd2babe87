"""Benchmark: how fast ``kintsugi lint`` starts and how many post-mortems it lints per second.

Usage::

    python -m bench.language [--docs 1000] [--runs 10] [--seed 7]

Prints (1) the time of whole ``python -m kintsugi.lint FILE`` processes, start to finish
(target: under 300 ms), and (2) documents per second over generated post-mortems, linted
in this process on one core (target: 200 or more), for the language rules alone and for
everything the CLI checks. Both are given as wall-clock and as CPU time: on a shared
machine the wall clock also measures the neighbours. Not part of the test suite.

The generated documents follow the SRE template with realistic sizes (a 15-30 line
timeline, a few paragraphs of factors, an action-item table, a code block and links), and
about one sentence in twenty is blameful, so the rules do real work.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kintsugi.core.language import get_linter, lint_markdown
from kintsugi.core.language.findings import Finding
from kintsugi.lint import lint_document

NAMES = [
    "Alice",
    "Bob",
    "Priya",
    "Wei",
    "Carlos",
    "Fatima",
    "Dmitri",
    "Yuki",
    "Kenji",
    "Aisha",
    "Olu",
    "Mateo",
]
SERVICES = [
    "checkout",
    "payments",
    "search",
    "auth",
    "inventory",
    "notifications",
    "billing",
    "gateway",
]
NEUTRAL = [
    "The {service} API returned HTTP 500 errors for {minutes} minutes.",
    "Latency on {service} rose above {seconds} seconds at the 99th percentile.",
    "The connection pool was sized for last year's traffic and ran out of connections.",
    "A schema migration took a lock on the orders table while the nightly batch job was running.",
    "The alert fired {minutes} minutes after impact started because the threshold was set for a smaller fleet.",
    "The retry policy in the {service} client amplified the load by a factor of ten.",
    "The runbook did not mention that the replica must be in sync before a failover.",
    "Staging is much smaller than production, so the load test did not reproduce the contention.",
    "The cache should have expired after five minutes, but the TTL was never applied.",
    "The bug could have affected up to {percent}% of users.",
    "We run fault injection tests against {service} every week, and the error budget is tracked daily.",
    "The deploy pipeline should run migrations before switching traffic.",
    "{name} noticed the spike on the dashboard and opened an incident.",
    "Customers in the EU region saw slow page loads and some failed payments.",
]
BLAMEFUL = [
    "{name} pushed a bad config to the load balancers.",
    "This was human error during a routine deploy.",
    "The on-call should have checked the dashboard before deploying.",
    "Obviously, the certificate was going to expire.",
    "The engineer failed to follow the runbook.",
    "Engineers need to be more careful when editing production configs.",
]
TIMELINE = [
    "{name} acknowledged the page.",
    "{name} joined the incident bridge.",
    "The first alert fired for elevated HTTP 500 errors on {service}.",
    "{name} rolled back the deploy.",
    "{name} paged the database team.",
    "Error rates returned to baseline.",
    "{name} posted an update on the status page.",
    "{name} restarted the {service} pods.",
    "Latency on {service} recovered.",
    "{name} scaled the connection pool from 50 to 200.",
]


# Inputs that once took seconds to minutes (regex backtracking, walks over huge sentences).
PATHOLOGICAL = {
    "one 170 KB line": "a" * 170_000,
    "long lines of letters": ("a" * 9_000 + "\n") * 19,
    "e-mail-like runs": ("a.b+c" * 1_800 + "\n") * 19,
    "dotted runs": ("a." * 4_500 + " \n") * 19,
    "unclosed backticks": ("`a " * 3_000 + "\n") * 19,
    "one huge sentence of matches": ("Bob should have been " * 430 + "\n") * 19,
    "if-had chains": ("if bob had " * 800 + "\n") * 19,
}


def _sentence(rng: random.Random, pool: list[str]) -> str:
    return rng.choice(pool).format(
        name=rng.choice(NAMES),
        service=rng.choice(SERVICES),
        minutes=rng.randint(3, 90),
        seconds=rng.randint(2, 9),
        percent=rng.randint(1, 9),
    )


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(
        _sentence(rng, BLAMEFUL if rng.random() < 0.05 else NEUTRAL) for _ in range(sentences)
    )


def generate_postmortem(rng: random.Random, number: int) -> str:
    """One realistic post-mortem in Kintsugi's Markdown format (roughly 4-8 KB)."""
    service = rng.choice(SERVICES)
    lines = [
        "---",
        f"id: {number}",
        f"title: {service.title()} degradation after a configuration change",
        f"severity: SEV{rng.randint(1, 4)}",
        "status: draft",
        f"services: [{service}]",
        "---",
        "",
        f"# {service.title()} degradation #{number}",
        "",
        "## Executive Summary",
        "",
        _paragraph(rng, rng.randint(3, 6)),
        "",
        "## Incident Timeline",
        "",
        "| Time (UTC) | Event |",
        "|---|---|",
    ]
    minute = rng.randint(0, 30)
    for _ in range(rng.randint(15, 30)):
        minute += rng.randint(1, 6)
        lines.append(f"| 14:{minute % 60:02d} | {_sentence(rng, TIMELINE)} |")
    lines += ["", "## Contributing Factors", ""]
    for _ in range(rng.randint(3, 5)):
        lines += [_paragraph(rng, rng.randint(3, 6)), ""]
    lines += [
        f"See the [load graph](https://grafana.example.com/d/{number}?var=human-error) and the query:",
        "",
        "```sql",
        "SELECT count(*) FROM orders WHERE status = 'failed'; -- Bob should have run this",
        "```",
        "",
        "## Lessons Learned",
        "",
        "### What went well",
        "",
        f"- {_paragraph(rng, 2)}",
        "",
        "### What went poorly",
        "",
        f"- {_paragraph(rng, 2)}",
        "",
        "## Action Items",
        "",
        "| Action | Owner | Ticket | Due |",
        "|---|---|---|---|",
    ]
    for item in range(rng.randint(4, 8)):
        owner = "TBD" if rng.random() < 0.1 else f"@{rng.choice(NAMES).lower()}"
        lines.append(
            f"| Add an alert on pool saturation for {service} | {owner} | OPS-{number * 10 + item} | 2026-04-{rng.randint(1, 28):02d} |"
        )
    return "\n".join(lines) + "\n"


def bench_process(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of whole CLI processes."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kintsugi.lint", "--quiet", str(path)],
            capture_output=True,
            check=False,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.language", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10, help="CLI process runs to time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    documents = [generate_postmortem(rng, n) for n in range(args.docs)]
    size = sum(len(d) for d in documents) / len(documents)

    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "postmortem.md"
        sample.write_text(documents[0], encoding="utf-8")
        walls, cpus = bench_process(sample, args.runs)
    print(
        f"CLI process, one file ({len(documents[0]):,} chars), {args.runs} runs (target < 300 ms):"
    )
    for label, times in (("wall", walls), ("cpu ", cpus)):
        print(
            f"  {label} median {statistics.median(times) * 1000:.0f} ms, "
            f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )

    print("pathological inputs (each about 170 KB; every one must stay linear):")
    for name, text in PATHOLOGICAL.items():
        start = time.perf_counter()
        lint_markdown(text)
        print(f"  {name:<28} {(time.perf_counter() - start) * 1000:7.0f} ms")

    linter = get_linter()
    lint_markdown(documents[0])  # warm the rule cache, as a long-running process would be

    def language_only(document: str) -> list[Finding]:
        return linter.lint_markdown(document)

    def everything(document: str) -> list[Finding]:
        return lint_document(document, linter=linter)

    runs: list[tuple[str, Callable[[str], list[Finding]]]] = [
        ("language rules", language_only),
        ("language + template (as the CLI)", everything),
    ]
    for label, run in runs:
        start, cpu_start = time.perf_counter(), time.process_time()
        findings = sum(len(run(d)) for d in documents)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(
            f"{label}: {len(documents)} documents (avg {size / 1024:.1f} KB), {findings} findings: "
            f"{len(documents) / cpu:.0f} docs/s of CPU time ({len(documents) / elapsed:.0f} docs/s wall) "
            "on one core (target >= 200 docs/s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
