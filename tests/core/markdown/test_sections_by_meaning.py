"""Sections under the names real teams give them: recognised by meaning, not by a list.

Headings quoted here come from published post-mortems and templates (sources beside each);
the classifier is tested both ways: what it recognises and what it leaves where it is.
"""

from __future__ import annotations

import pytest

from kintsugi.core.markdown import parse_markdown, read_markdown
from kintsugi.core.markdown.headings import EXPORT_TITLES, section_key

# Headings as written in real documents, and the part each names.
RECOGNISED = [
    # github.com/Sainawj/alx-system_engineering-devops 0x19-postmortem/README.md
    ("Corrective and Preventative Measures:", "actions"),
    # github.com/flutter/flutter docs/postmortems (2016-11-08, 2023-08-26)
    ("Follow-up", "actions"),
    ("What worked", "went_well"),
    ("What didn't work", "went_poorly"),
    ("Timeline (all times in PST/PDT)", "timeline"),
    # github.com/openSUSE/obs-landing _posts/deployments/2018-01-17-post-mortem-5.html
    ("How will we do better in the future?", "actions"),
    # github.com/jupyterhub/mybinder.org-deploy incident reports
    ("Lessons learnt", "lessons"),
    ("Where we got lucky", "got_lucky"),
    # The wordings of the issue (issue 12), one per family.
    ("Remediation", "actions"),
    ("Remediation items", "actions"),
    ("Corrective actions", "actions"),
    ("Follow-ups", "actions"),
    ("Next steps", "actions"),
    ("Action plan", "actions"),
    ("What we're doing about it", "actions"),
    ("Preventing recurrence", "actions"),
    ("Prevention", "actions"),
    ("Improvements", "actions"),
    ("Future work", "actions"),
    ("What's next", "actions"),
    ("Short-term actions", "actions"),
    ("Long term fixes", "actions"),
    # From the blind lint review (docs/lint-review.md, review3).
    ("Long term solution", "actions"),
    ("Short term fix", "actions"),
    ("What went well", "went_well"),
    ("What didn't go so well", "went_poorly"),
    ("What went badly", "went_poorly"),
    ("What could have gone better", "went_poorly"),
    ("Things to improve", "went_poorly"),
    ("Lucky breaks", "got_lucky"),
    ("Root cause(s)", "factors"),
    ("Cause", "factors"),
    ("Why did this happen?", "factors"),
    ("Root cause analysis", "analysis"),
    ("Chronology", "timeline"),
    ("Sequence of events", "timeline"),
    ("Detailed timeline", "timeline"),
    ("Timeline of events (all times PST)", "timeline"),
    ("3. Customer impact", "impact"),
    ("Timeline 2024-05-01", "timeline"),
]

# Headings that must stay where they are: not a part, or two parts at once, or a title.
LEFT_ALONE = [
    "Technical details",
    "What happened",
    "What happened?",
    "Background",
    "Responders",
    "Root Cause and Resolution",  # two parts: kept whole, not guessed
    "Impact and timeline",
    "Summary of the March 3 checkout outage",  # a title, not the Summary section
    "Postmortem: database outage impact on checkout",
    "Detection gap on 2024-05-01",  # a dated title
    "We got lucky that the backup was less than an hour old",  # a sentence
    "Short term",  # only an action group inside an action section
]


@pytest.mark.parametrize(("heading", "key"), RECOGNISED)
def test_it_recognises_a_heading_by_what_it_means(heading, key):
    assert section_key(heading) == key


@pytest.mark.parametrize("heading", LEFT_ALONE)
def test_it_leaves_a_heading_it_is_unsure_of_where_it_is(heading):
    assert section_key(heading) is None


@pytest.mark.parametrize(("key", "title"), sorted(EXPORT_TITLES.items()))
def test_the_exports_own_headings_keep_their_meaning(key, title):
    assert section_key(title) == key


def test_an_action_section_under_another_name_gives_action_items():
    doc = read_markdown(
        "# Checkout errors\n\n## Corrective and Preventative Measures\n\n"
        "- Add an alert on certificate expiry\n- Document the rotation calendar\n"
    ).document
    assert [item.title for item in doc.action_items] == [
        "Add an alert on certificate expiry",
        "Document the rotation calendar",
    ]
    assert doc.appendix == ""


def test_subsections_of_an_action_section_are_more_action_items():
    # Structure of github.com/jupyterhub/mybinder.org-deploy
    # docs/source/incident-reports/2022-01-27-prime-version.md
    text = (
        "# 2022-01-27, stale prime version\n\n## Action items\n\n### Process improvements\n\n"
        "1. Implement proactive alerts. This is a longstanding issue we have yet to address "
        "([issue][alerting-issue]).\n\n### Technical improvements\n\n"
        "1. Add metrics for the federation-redirect service to improve visibility of "
        "federation health issues ([issue][metrics-issue])\n\n"
        "[alerting-issue]: https://github.com/jupyterhub/mybinder.org-deploy/issues/611\n"
        "[metrics-issue]: https://github.com/jupyterhub/mybinder.org-deploy/issues/2114\n"
    )
    first, second = read_markdown(text).document.action_items
    assert first.title == "Implement proactive alerts"
    assert first.ticket_url == "https://github.com/jupyterhub/mybinder.org-deploy/issues/611"
    assert first.ticket_id == "jupyterhub/mybinder.org-deploy#611"
    assert "Section: Process improvements" in first.description
    assert second.ticket_url.endswith("/issues/2114")
    assert "Section: Technical improvements" in second.description


def test_lesson_subsections_inside_an_action_section_stay_lessons():
    # Structure of mybinder.org-deploy incident-reports/2018-03-31-server-start-fail.md
    text = (
        "# Server start fail\n\n## Action items\n\n### What went wrong\n\n"
        "- There was only one person available to debug\n\n### Process improvements\n\n"
        "1. Improve the alerting so that a majority of the team is notified when there's "
        "an outage.\n"
    )
    doc = read_markdown(text).document
    assert doc.lessons.went_poorly == ["There was only one person available to debug"]
    assert len(doc.action_items) == 1


def test_an_ambiguous_section_is_kept_verbatim_in_the_appendix():
    text = "# Outage\n\n## Root Cause and Resolution\n\nThe disk filled up; we grew it.\n"
    result = read_markdown(text)
    assert result.document.factors == []
    assert "## Root Cause and Resolution" in result.document.appendix
    assert "The disk filled up; we grew it." in result.document.appendix


def test_a_what_happened_section_stays_text():
    text = "# Outage\n\n## What happened\n\nThe disk filled up at 09:00.\n"
    doc = read_markdown(text).document
    assert doc.factors == [] and doc.action_items == []
    assert "The disk filled up at 09:00." in doc.appendix


def test_strict_mode_reads_the_same_headings():
    doc = parse_markdown(
        "---\ntitle: Outage\n---\n\n# Outage\n\n## Remediation\n\n- [ ] Grow the disk\n"
    )
    assert [item.title for item in doc.action_items] == ["Grow the disk"]


def test_an_action_subsection_inside_a_text_section_gives_action_items():
    # github.com/openSUSE/obs-landing _posts/deployments/2025-11-05-post-mortem.md (MIT)
    text = (
        "# Build results degradation\n\n## Resolution\n\nWe applied a monkey patch to stop "
        "serving anything for this particular build service request.\n\n### Action Items\n\n"
        "The following action items are already completed:\n\n"
        "- Do not allow loading of the build result summary chart for anonymous users.\n"
        "- Removal of the auto refresh for the build result summary chart.\n"
    )
    doc = read_markdown(text).document
    assert doc.resolution.startswith("We applied a monkey patch")
    assert "Action Items" not in doc.resolution
    assert len(doc.action_items) == 2
    assert "The following action items are already completed:" in doc.appendix


def test_a_label_line_before_a_list_inside_a_text_section_starts_that_part():
    # github.com/learningequality/postmortems 004-sushibar-certificate-expired.md (MIT)
    text = (
        "# Sushibar expired certificate postmortem\n\n## Detection\n"
        "Detection was through people telling us it wasn't working.\n\nAction Items\n"
        "- Set up alerting to warn us of expiring SSL\n\n"
        "- Content pipeline team should be able to brainstorm and execute solutions\n"
    )
    doc = read_markdown(text).document
    assert doc.detection == "Detection was through people telling us it wasn't working."
    assert [item.title for item in doc.action_items][0] == (
        "Set up alerting to warn us of expiring SSL"
    )


def test_a_label_line_inside_prose_is_left_as_text():
    text = "# Outage\n\n## Detection\n\nWe saw it.\nAction Items\n- were not reviewed\n"
    doc = read_markdown(text).document
    assert doc.action_items == []
    assert "Action Items" in doc.detection
