"""A report of several outages: the timeline checks run per outage (docs/lint-review.md,
"Precision round on review1-5", review5 rows 33-36)."""

from __future__ import annotations

from datetime import UTC, datetime

from kintsugi.core.language import LintConfig, get_linter
from kintsugi.lint.timeline import check_timeline

NOW = datetime(2026, 12, 1, tzinfo=UTC)

OUTAGE = """### {day} - {title}
{labels}
- **{t1} UTC** - {first}
- **{t2} UTC** - Alert fires for the errors
- **{t3} UTC** - Fix deployed
- **{t4} UTC** - Service fully recovered
"""


def report(*, labels: bool, second: str = "March 6, 2026") -> str:
    def outage(day: str, title: str, first: str, times: tuple[str, ...]) -> str:
        block = "**Duration:** {0} to {3} UTC\n**Impact:** checkouts failed\n".format(*times)
        return OUTAGE.format(
            day=day,
            title=title,
            labels=block if labels else "",
            first=first,
            t1=times[0],
            t2=times[1],
            t3=times[2],
            t4=times[3],
        )

    return (
        "# Checkout API: two outages\n\n## Summary\n\nThe API failed twice in a week.\n\n"
        "## Timeline\n\n"
        + outage(
            "March 3, 2026",
            "Pool exhausted",
            "Deploy of the pool change",
            ("14:00", "14:05", "14:20", "14:40"),
        )
        + "\n"
        + outage(
            second,
            "Certificate expired",
            "Certificate expires",
            ("09:10", "09:12", "09:30", "09:50"),
        )
    )


def rules(text: str) -> list[str]:
    return [f.rule for f in check_timeline(text, get_linter(LintConfig()), now=NOW)]


def test_separate_outages_are_checked_each_on_its_own() -> None:
    assert rules(report(labels=True)) == []


def test_one_incident_under_date_headings_keeps_its_checks_across_days() -> None:
    # Without the outage labels the date headings are days of one incident: the quiet
    # days in between are reported, as before.
    assert "timeline/long-gap" in rules(report(labels=False))


def test_a_problem_inside_one_outage_is_still_reported() -> None:
    # The second outage's entries, dated a month later than its own heading says, sit far
    # from each other once one of them is mistyped: the check still sees inside an outage.
    broken = report(labels=True).replace(
        "- **09:50 UTC** - Service fully recovered",
        "- **2026-04-06 09:50 UTC** - Service fully recovered",
    )
    assert rules(broken)


RECURRING = """# Workers lost

## Summary

Worker nodes dropped out of the cluster on two days.

## Timeline

All times in UTC.

| Time             | Event |
| :--------------- | ----- |
| 2026-05-04 08:10 | First occurrence of a worker going NotReady |
| 2026-05-07 09:00 | {second} |
| 2026-05-07 09:20 | Pods rescheduled onto the remaining workers |
| 2026-05-07 10:05 | Kubelet reserve raised and pushed to the node pool |
| 2026-05-07 10:40 | Workers stable again |
"""


def test_a_failure_that_came_back_is_checked_per_occurrence() -> None:
    again = RECURRING.format(second="Second occurrence of a worker going NotReady")
    assert rules(again) == []
    also = RECURRING.format(second="We discover that another worker has entered NotReady")
    assert rules(also) == []


def test_a_quiet_stretch_without_a_recurrence_is_still_a_gap() -> None:
    quiet = RECURRING.format(second="Capacity review meeting held")
    assert "timeline/long-gap" in rules(quiet)


LEAD_UP = """# Scheduler down

## Summary

The job scheduler was down for an hour.

## Timeline

- [2026-01-10 09:00 UTC] {first}
- [2026-04-02 10:00 UTC] Node pool upgrade starts
- [2026-04-02 10:20 UTC] Scheduler pod fails to start; jobs stop (**outage starts**)
- [2026-04-02 10:25 UTC] Alert fires for the job backlog
- [2026-04-02 10:50 UTC] Fixed scheduler image deployed
- [2026-04-02 11:20 UTC] Backlog drained (**outage ends**)
"""


def test_the_lead_up_months_before_is_not_a_mistyped_date() -> None:
    introduced = LEAD_UP.format(first="The start-up bug in the scheduler is introduced")
    assert rules(introduced) == []


def test_an_ordinary_event_months_before_is_still_an_outlier() -> None:
    typo = LEAD_UP.format(first="On-call acknowledges the page")
    assert "timeline/outlier-event" in rules(typo)
