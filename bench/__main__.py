"""Run the benchmark on SQLite and on PostgreSQL, each in its own process.

Settings are read once per process, so each database gets a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/kintsugi_bench"


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="Run one database only.")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Data size factor (1.0 = 20,000 incidents)."
    )
    parser.add_argument("--requests", type=int, default=40, help="Timed requests per page.")
    args = parser.parse_args()
    data_dir = Path(os.environ.get("BENCH_DIR", "bench-data")).resolve()
    data_dir.mkdir(exist_ok=True)
    targets = {
        "sqlite": f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "postgres": os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG),
    }
    status = 0
    for name, url in targets.items():
        if args.only and args.only != name:
            continue
        env = dict(
            os.environ,
            DATABASE_URL=url,
            KINTSUGI_ENV="test",
            DJANGO_SETTINGS_MODULE="kintsugi.settings",
            # As a server process: what the first requests made is frozen (settle.py).
            GC_SETTLE_AFTER=os.environ.get("GC_SETTLE_AFTER", "25"),
        )
        command = [
            sys.executable,
            "-m",
            "bench.run",
            "--label",
            name,
            "--scale",
            str(args.scale),
            "--requests",
            str(args.requests),
        ]
        status |= subprocess.call(command, env=env)
    status |= (
        0
        if args.only == "postgres"
        else subprocess.call([sys.executable, "-m", "bench.capture", str(data_dir)])
    )  # noqa: E501
    return status


if __name__ == "__main__":
    sys.exit(main())
