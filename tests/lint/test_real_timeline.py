"""Timeline findings on the real published post-mortems (``tests/lint/real/``), pinned.

Every document of every set is checked; a document not listed has no timeline finding.
The verdicts behind each row are in docs/lint-review.md ("After review6 (timeline
fixes)", "After review7 (timeline and import fixes)"): a change here is a change of what reviewers judged, to be justified there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kintsugi.core.language import LintConfig, get_linter
from kintsugi.lint.timeline import check_timeline

REAL = Path(__file__).parent / "real"
SETS = ("dev", "fresh", "holdout2", "review3", "review4", "review5", "review6", "review7")
NOW = datetime(2026, 12, 7, tzinfo=UTC)

EXPECTED: dict[str, list[tuple[int, str]]] = {
    # review4 row agreed: the phishing report escalated, then a day with nobody on it.
    "review4/pypi-2025-07-31-phishing-attack.md": [(126, "long-gap")],
    # The document's own dates go backwards ("[03-26 23:04]" then "[03-26 02:50]").
    "fresh/k8s-test-infra-2019-03-26.md": [(78, "out-of-order")],
    # "### 14:49" is listed before "### 14:43".
    "fresh/mybinder-2018-04-18-cull-flood.md": [(36, "out-of-order")],
    # review6 "What lint did not report": 6 May 12:00 listed before 5 May 23:18.
    "review6/cosmos-2025-05-05-github-malicious-contributor.md": [(74, "out-of-order")],
    # review6 "What lint did not report": "12 23:00 fully operational" before "12 21:25".
    "review6/freistil-2013-03-09-storage-cluster.md": [(37, "out-of-order")],
    # review6 "What lint did not report": "2023-01-04/11:34" listed before 09:15.
    "review6/wire-2023-01-04-website-dos-outage.md": [(23, "out-of-order")],
    # review7 "What lint did not report": "Incident declared: 2022-01-05" and "Resolved
    # 2022-02-01", a year before the detection (2023-01-04) and the repair (2023-02-01).
    "review7/moj-cloud-platform-2023-01-05-circleci-security-incident.md": [
        (10, "header-mismatch"),
        (12, "header-mismatch"),
    ],  # fmt: skip
    # review7 "What lint did not report": "Incident declared 16:48" against "16:59 –
    # Incident declared", "Resolved 2025-07-24 12:34" against "20:45 – Incident declared
    # resolved".
    "review7/moj-cloud-platform-2025-07-23-multiple-secrets-leaked-to-public.md": [
        (10, "header-mismatch"),
        (12, "header-mismatch"),
    ],  # fmt: skip
}


def _documents() -> list[str]:
    return sorted(
        f"{name}/{path.name}"
        for name in SETS
        for path in (REAL / name).glob("*.md")
        if path.name != "README.md"
    )


def test_every_expected_document_exists() -> None:
    assert set(EXPECTED) <= set(_documents())


@pytest.mark.parametrize("name", _documents())
def test_relaxed_timeline_findings_on_a_real_document(name: str) -> None:
    text = (REAL / name).read_text(encoding="utf-8")
    found = check_timeline(text, get_linter(LintConfig()), now=NOW)
    assert [(f.line, f.rule.split("/")[1]) for f in found] == EXPECTED.get(name, [])
