"""The alert rules shipped in deploy/prometheus watch metrics that exist.

A rule on a metric that was renamed or never existed never fires: the worst kind of alert.
This reads every metric name in the rules' expressions and finds it in a real scrape.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.utils import timezone

from kintsugi.operations.heartbeat import beat

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "kintsugi-rules.yml"
# Names PromQL gives a histogram's and a counter's series.
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def _rules() -> list[dict]:
    data = yaml.safe_load(RULES.read_text())
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_every_rule_is_complete() -> None:
    rules = _rules()
    assert len(rules) >= 8
    for rule in rules:
        assert rule["alert"].startswith("Kintsugi") and rule["expr"].strip()
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]


def test_every_metric_a_rule_reads_is_in_a_scrape(db, settings) -> None:
    settings.KINTSUGI_METRICS_TOKEN = "rules-token-1234"
    beat(timezone.now())
    Client().get("/livez")
    scrape = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer rules-token-1234").content.decode()
    exposed = {
        line.split("{")[0].split(" ")[0] for line in scrape.splitlines() if line[:1].isalpha()
    }
    named = {
        name for rule in _rules() for name in re.findall(r"\b(kintsugi_[a-z_]+)", rule["expr"])
    }
    assert named, "the rules name no Kintsugi metric"
    for name in named:
        assert (
            name in exposed
            or any(name + s in exposed for s in SUFFIXES)
            or any(name.endswith(s) and name in exposed for s in SUFFIXES)
        ), f"{name} is read by a rule but not exposed by /metrics"


def test_promtool_accepts_the_rules() -> None:
    if shutil.which("promtool") is None:
        if os.environ.get("KINTSUGI_REQUIRE_PROMTOOL") == "1":
            pytest.fail("promtool is required here (KINTSUGI_REQUIRE_PROMTOOL=1)")
        pytest.skip("promtool is not installed (Debian: prometheus); .ci/run installs it")
    result = subprocess.run(
        ["promtool", "check", "rules", str(RULES)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
