"""``make load``: many simultaneous users against ``kintsugi serve`` in production mode (issue 20).

Prepares the benchmark data (``bench.load_prepare``), starts the real server (gunicorn,
production settings, collected static files), runs Locust headless with the mix of users
in ``bench/load_users.py`` (readers, editors, API scripts, webhook senders) and prints,
per request kind, requests/s, errors and p50/p95/p99, and pages and API calls against the
goal (p95 under 150 ms and 100 ms). Exit 1 if any request failed: a 5xx, a reset, a 409
the editor did not cause (every simulated user edits an incident of its own).

    python -m bench.load [--users 50] [--seconds 300] [--spawn-rate 5] [--scale 1.0]

``LOAD_SECONDS`` overrides the default duration, ``LOAD_DATABASE_URL`` picks PostgreSQL
(SQLite in ``bench-data/load.sqlite3`` otherwise).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOAL_MS = {"page": 150.0, "API": 100.0}  # p95 goals from issue 20
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Row:
    """One request kind of a run: its count, errors and response times (ms -> count)."""

    name: str
    requests: int
    failures: int
    times: dict[int, int]

    @property
    def group(self) -> str:
        """Whose goal applies: API calls and webhooks answer scripts, the rest people."""
        if self.name.startswith(("API", "webhook")):
            return "API"
        return "sign-in" if self.name.startswith("sign in") else "page"


def percentile(times: dict[int, int], share: float) -> float:
    """The response time below which ``share`` of the requests were answered (Locust keeps
    times to the ms under 100 ms, to 10 ms under 1 s, to 100 ms above)."""
    total = sum(times.values())
    seen = 0
    for value in sorted(times):
        seen += times[value]
        if seen >= share * total:
            return float(value)
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, data_dir: Path, static_root: Path) -> dict[str, str]:
    """Production settings as a real install has them (tests/postmortems/test_serve_command.py)."""
    cleared = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "KINTSUGI_ENV"}
    base = {k: v for k, v in os.environ.items() if k not in cleared}
    return {
        **base,
        "KINTSUGI_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "kintsugi.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",  # plain HTTP on loopback
        "KINTSUGI_DATA_DIR": str(data_dir),
        "STATIC_ROOT": str(static_root),
        "KINTSUGI_PDF_WARM_UP": "0",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")])),
    }


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    """``kintsugi serve``; if it refuses for lack of collected static files, collect them
    once (they are kept in ``static_root``) and start again."""
    command = [sys.executable, "-m", "kintsugi", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    for attempt in (1, 2):
        with log.open("ab") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        started = time.monotonic()
        while True:
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
                    if answer.status == 200:
                        return server
            except OSError:
                pass
            if server.poll() is not None:
                break
            if time.monotonic() - started > 120:
                server.kill()
                raise SystemExit(f"load: the server did not start in 120 s (see {log})")
            time.sleep(0.2)
        if attempt == 1 and "collectstatic" in log.read_text(errors="replace"):
            print("load: collecting static files once (kept for later runs) ...", flush=True)
            subprocess.run(  # noqa: S603 (our own CLI)
                [sys.executable, "-m", "kintsugi", "collectstatic", "--noinput", "-v0"],
                env=env,
                check=True,
            )
            continue
        break
    raise SystemExit(f"load: the server exited (see {log})")


def read_rows(stats_json: Path) -> list[Row]:
    """Locust's final statistics (``--json-file``): one entry per request name and method."""
    rows: dict[str, Row] = {}
    for entry in json.loads(stats_json.read_text(encoding="utf-8")):
        times = {int(ms): count for ms, count in entry["response_times"].items()}
        known = rows.get(entry["name"])
        if known is not None:  # the same kind by two methods: one row
            times = dict(Counter(known.times) + Counter(times))
        rows[entry["name"]] = Row(
            name=entry["name"],
            requests=entry["num_requests"] + (known.requests if known else 0),
            failures=entry["num_failures"] + (known.failures if known else 0),
            times=times,
        )
    return sorted(rows.values(), key=lambda row: (row.group, row.name))


def report(rows: list[Row], failures_csv: Path | None, seconds: float) -> tuple[str, bool]:
    """The table printed at the end and whether the run had no error."""
    lines = [
        f"{'request kind':34} {'req':>6} {'err':>4} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
    ]
    seconds = max(seconds, 1e-9)

    def line(name: str, requests: int, failures: int, times: dict[int, int]) -> str:
        p50, p95, p99 = (percentile(times, share) for share in (0.5, 0.95, 0.99))
        return (
            f"{name:34} {requests:6d} {failures:4d} {requests / seconds:6.2f} "
            f"{p50:6.0f} {p95:6.0f} {p99:6.0f}"
        )

    for row in rows:
        lines.append(line(row.name, row.requests, row.failures, row.times))
    every = sum((Counter(row.times) for row in rows), Counter())
    errors = sum(row.failures for row in rows)
    lines.append(line("all", sum(row.requests for row in rows), errors, dict(every)))
    lines.append(f"(ms; requests/s over {seconds:.0f} s)")
    for group, goal in GOAL_MS.items():
        mine = [row for row in rows if row.group == group]
        if not mine:
            continue
        p95 = percentile(dict(sum((Counter(row.times) for row in mine), Counter())), 0.95)
        over = [row.name for row in mine if percentile(row.times, 0.95) >= goal]
        verdict = "ok" if p95 < goal else "OVER"
        lines.append(
            f"{group + 's':6} p95 {p95:5.0f} ms, goal < {goal:.0f} ms: {verdict}"
            + (f"; kinds over: {', '.join(over)}" if over else "")
        )
    if failures_csv is not None and failures_csv.exists():
        with failures_csv.open(newline="", encoding="utf-8") as source:
            for failure in csv.DictReader(source):
                lines.append(
                    f"ERROR {failure['Method']} {failure['Name']} x{failure['Occurrences']}: "
                    f"{failure['Error']}"
                )
    lines.append(f"errors: {errors}" + ("" if errors == 0 else "  (FAILED)"))
    return "\n".join(lines), errors == 0


def run(
    *,
    users: int,
    seconds: int,
    spawn_rate: float,
    scale: float,
    database_url: str,
    data_dir: Path,
    static_root: Path,
    workers: int,
    threads: int,
) -> tuple[str, bool, list[Row]]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(database_url, data_dir, static_root)
    with tempfile.TemporaryDirectory(prefix="kintsugi-load-") as scratch:
        work = Path(scratch)
        plan = work / "plan.json"
        print(
            f"load: preparing {database_url.split('://')[0]} data (scale {scale}) ...", flush=True
        )
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.load_prepare", str(plan)]
            + ["--scale", str(scale), "--users", str(users)],
            env=env,
            check=True,
            cwd=ROOT,
        )
        port = _free_port()
        log = data_dir / "load-server.log"
        log.unlink(missing_ok=True)
        server = start_server(env, port, workers, threads, log)
        print(
            f"load: {users} users, spawn rate {spawn_rate}/s, {seconds} s against "
            f"{workers} workers x {threads} threads on port {port}",
            flush=True,
        )
        try:
            locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_users.py")]
            locust += ["--headless", "--only-summary", "--host", f"http://127.0.0.1:{port}"]
            locust += ["-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s"]
            locust += ["--csv", str(work / "run"), "--json-file", str(work / "run")]
            locust += ["--stop-timeout", "10", "--loglevel", "ERROR"]
            began = time.monotonic()
            ran = subprocess.run(  # noqa: S603 (exit 1 on failures: the report says which)
                locust, env={**os.environ, "LOAD_PLAN": str(plan)}, cwd=ROOT, check=False
            )
            elapsed = time.monotonic() - began
        finally:
            server.terminate()
            server.wait(timeout=60)
        if not (work / "run.json").exists():
            raise SystemExit(f"load: Locust did not run (exit {ran.returncode}); see above")
        rows = read_rows(work / "run.json")
        text, ok = report(rows, work / "run_failures.csv", min(elapsed, float(seconds)))
        return text, ok, rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="make load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="Simultaneous users (50).")
    default_seconds = int(os.environ.get("LOAD_SECONDS", "300"))
    parser.add_argument("--seconds", type=int, default=default_seconds, help="Duration (300).")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="Users started per second.")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 20,000 incidents.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--static-root", type=Path, help="Collected static files (kept).")
    args = parser.parse_args()
    if args.users < 1 or args.seconds < 1 or args.spawn_rate <= 0 or args.scale <= 0:
        parser.error("--users, --seconds, --spawn-rate and --scale must be positive")
    data_dir = Path(os.environ.get("BENCH_DIR", "bench-data")).resolve()
    database_url = os.environ.get("LOAD_DATABASE_URL") or f"sqlite:///{data_dir / 'load.sqlite3'}"
    text, ok, _rows = run(
        users=args.users,
        seconds=args.seconds,
        spawn_rate=args.spawn_rate,
        scale=args.scale,
        database_url=database_url,
        data_dir=data_dir,
        static_root=(args.static_root or data_dir / "static").resolve(),
        workers=args.workers,
        threads=args.threads,
    )
    print(text, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
