"""The last gaps of best-effort import on real post-mortems: day headings at section level
after a timeline, timeline headings under other names, reference links defined anywhere
as action tickets, a "Five Why's" written as a list, and template instructions in italics.
Each mechanism is tested on an excerpt of a real document and in the other direction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.core.markdown import parse_markdown, read_markdown
from kintsugi.core.markdown.headings import section_key
from kintsugi.core.markdown.timeline_clock import declared_zone
from kintsugi.core.markdown.timeline_dates import is_day_heading

HEAD = "# Incident report May 12 2025 - Earthscope resource provisioning issue\n\n"

# https://github.com/2i2c-org/incident-reports/blob/ce0a24d67eb0d33e747393ba5bbc7f150ba54719/
# reports/2025-05-12-earthscope-resource-provisioning-issue.md (BSD-3-Clause), shortened.
EARTHSCOPE = (
    HEAD + "## Timeline\n\n_All times in EEST_\n\n## May 12\n\n### 20:15\n\nTicket is opened\n\n"
    "### 23:00\nSecond engineer starts looking through the logs\n\n"
    "### 00:40\nSecond engineer conclusion\n\n## May 13\n\n### 14:30\n\nThe issue is "
    "identified\n\n## Action Items\n\n- Write an incident report\n"
)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_date_headings_after_the_timeline_are_its_days():
    result = read_markdown(EARTHSCOPE)
    assert [entry.at for entry in result.document.timeline] == [
        _utc(2025, 5, 12, 17, 15),
        _utc(2025, 5, 12, 20, 0),
        _utc(2025, 5, 12, 21, 40),  # 00:40 after 23:00 under "May 12": May 13 local
        _utc(2025, 5, 13, 11, 30),
    ]
    assert [item.title for item in result.document.action_items] == ["Write an incident report"]
    assert any("2 date headings after the timeline" in note.message for note in result.report.notes)


def test_date_headings_elsewhere_stay_sections_of_their_own():
    # After another section, "## May 12" is not read into a timeline that came earlier.
    text = HEAD + "## Timeline\n\n- 2025-05-12 20:15 UTC Ticket opened\n\n## Summary\n\n"
    text += "Words.\n\n## May 12\n\n### 20:15\n\nSomething\n"
    result = read_markdown(text)
    assert len(result.document.timeline) == 1
    assert "## May 12" in result.document.appendix


def test_strict_mode_does_not_read_date_sections_into_the_timeline():
    doc = parse_markdown(EARTHSCOPE)  # kept as they were: sections of their own
    assert doc.timeline == []
    assert "## May 12" in doc.appendix


@pytest.mark.parametrize(
    ("title", "expected"),
    [("May 12", True), ("2024-05-12", True), ("15 May", True), ("Monday, May 12th", True)],
)
def test_day_headings(title, expected):
    assert is_day_heading(title) is expected


@pytest.mark.parametrize("title", ["Action Items", "May 12 outage", "Notes from 2024-05-12", ""])
def test_headings_that_are_not_only_a_date(title):
    assert not is_day_heading(title)


# https://github.com/2i2c-org/incident-reports (reports/2025-08-12-leap-hub-outage.md,
# BSD-3-Clause): "## Follow-up timeline (times in BST)" after "## Timeline (times in BST)".
@pytest.mark.parametrize(
    "heading",
    [
        "Follow-up timeline (times in BST)",
        "Detailed timeline",
        "Timeline of the incident",
        "Incident log",
        "Recovery timeline",
    ],
)
def test_timeline_headings_under_other_names(heading):
    assert section_key(heading) == "timeline"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Impact and timeline", None),
        ("Follow-up items", "actions"),
        ("Follow-up actions and timeline", None),
    ],
)
def test_headings_that_join_parts_or_do_not_end_in_timeline(heading, expected):
    assert section_key(heading) == expected


def test_a_follow_up_timeline_is_read_in_its_zone():
    text = (
        "# Incident report August 12 2025 - LEAP hub outage\n\n## Timeline (times in BST)\n\n"
        "### 5:00 PM\nIncident declared\n\n## Follow-up timeline (times in BST)\n\n"
        "### 8:16 PM\nSarika de Bruyn reports that some users are having trouble\n"
    )
    doc = read_markdown(text).document
    assert [entry.at for entry in doc.timeline] == [
        _utc(2025, 8, 12, 16, 0),
        _utc(2025, 8, 12, 19, 16),
    ]


@pytest.mark.parametrize(
    "line", ["_All times in EEST_", "**All times in EEST**", "*All times in EEST*"]
)
def test_a_zone_declared_in_emphasis(line):
    zone = declared_zone(line, {})
    assert zone is not None and zone.label == "EEST"


def test_emphasis_does_not_break_a_zone_name_with_an_underscore():
    zone = declared_zone("_All times are America/New_York_", {})
    assert zone is not None and zone.label == "America/New_York"
    assert declared_zone("_We met at the usual time_", {}) is None


# https://github.com/kubernetes/test-infra/blob/master/docs/post-mortems/2019-02-05.md
# (Apache-2.0): the action item links "[#11134]", defined at the end of the document.
PROW = (
    "# February 5th, 2019 Partial Prow Outage\n\n## Action items\n\n"
    "- Before retrying, ensure the updated branchprotector run is not reverted: [#11134]\n\n"
    "## Appendix\n\nChat logs.\n\n"
    "[#11134]: https://github.com/kubernetes/test-infra/pull/11134\n"
)


def test_a_reference_link_defined_anywhere_is_an_action_ticket():
    (item,) = read_markdown(PROW).document.action_items
    assert item.ticket_url == "https://github.com/kubernetes/test-infra/pull/11134"


def test_an_undefined_reference_is_left_as_written():
    (item,) = read_markdown(PROW.replace("[#11134]:", "[#999]:")).document.action_items
    assert not item.ticket_url
    assert "[#11134]" in item.title


# https://github.com/python-discord/infra (docs/postmortems/2020-12-11-postgres-conn-surge.md,
# MIT): a "Five Why's" as a bullet list with a bold "Why?" on each answer.
DISCORD = (
    "# 2020-12-11: Postgres connection surge\n\n## 🔎 Five Why's\n\n"
    "*Run a 5-whys analysis to understand the true cause of the incident.*\n\n"
    "- Postgres was unavailable, so our services died.\n"
    "- **Why?** Postgres hit max clients, and could not respond.\n"
    "- **Why?** Unknown, but we saw a number of connections from previous deployments of "
    "site.\n"
)


def test_a_question_answer_list_is_one_5_whys_chain():
    result = read_markdown(DISCORD)
    (branch,) = result.document.analysis.branches
    assert branch.trigger == "Postgres was unavailable, so our services died."
    assert [step.answer for step in branch.steps] == [
        "Postgres hit max clients, and could not respond.",
        "Unknown, but we saw a number of connections from previous deployments of site.",
    ]
    assert "Run a 5-whys analysis" in result.document.appendix  # the instruction is kept
    assert any("one 5 Whys chain of 2 steps" in note.message for note in result.report.notes)


def test_a_why_question_item_followed_by_its_answer_item():
    text = DISCORD.replace(
        "- **Why?** Postgres hit max clients, and could not respond.\n",
        "- Why did Postgres refuse connections?\n- It hit max clients.\n",
    )
    (branch,) = read_markdown(text).document.analysis.branches
    assert branch.steps[0].question == "Why did Postgres refuse connections?"
    assert branch.steps[0].answer == "It hit max clients."


# https://github.com/python-discord/infra (docs/postmortems/2021-01-12-site-cpu-ram-exhaustion.md,
# MIT): the chain written as plain statements, no question: read as root-cause factors.
STATEMENTS = (
    "# 2021-01-12: Django site CPU/RAM exhaustion outage\n\n# 🔎 Five Why's\n\n"
    "*Run a 5-whys analysis to understand the true cause of the incident.*\n\n"
    "- We experienced a major PostgreSQL outage\n"
    "- PostgreSQL was killed by the system OOM due to the RAM spike on site.\n"
    "- This was because we do not chunk queries on the bot.\n"
)


def test_a_list_of_statements_under_five_whys_is_read_as_factors():
    result = read_markdown(STATEMENTS)
    doc = result.document
    assert doc.analysis.branches == []
    assert [factor.title for factor in doc.factors] == [
        "We experienced a major PostgreSQL outage",
        "PostgreSQL was killed by the system OOM due to the RAM spike on site",
        "This was because we do not chunk queries on the bot",
    ]
    assert "Run a 5-whys analysis" in doc.appendix


def test_a_five_whys_in_prose_is_still_kept_as_text():
    text = "# Outage\n\n## Five Why's\n\nWe never got to the bottom of it.\n"
    result = read_markdown(text)
    assert result.document.analysis.branches == [] and result.document.factors == []
    assert "We never got to the bottom of it." in result.document.appendix


def test_an_italic_instruction_is_not_a_factor_but_an_italic_cause_is():
    # https://github.com/python-discord/infra, "🌱 Blameless root cause" (MIT).
    text = (
        "# Outage\n\n## Blameless root cause\n\n*Note the final root cause and describe what "
        "needs to change to prevent reoccurrance*\n\nThe removal of the Developers role "
        "created a large diff.\n"
    )
    doc = read_markdown(text).document
    assert [factor.title for factor in doc.factors] == [
        "The removal of the Developers role created a large diff"
    ]
    assert "Note the final root cause" in doc.appendix
    only = read_markdown("# Outage\n\n## Root cause\n\n*The disk filled up*\n").document
    assert len(only.factors) == 1


# https://github.com/dfds/postmortems (2020 ADSync service accounts, MIT): the team that
# commits is the subject of the sentence.
@pytest.mark.parametrize(
    ("item", "owner"),
    [
        ("DevEX will update all service accounts in the near future.", "DevEX"),
        ("DevEx has placed an action item on our roadmap to implement a new provider.", "DevEx"),
        ("Platform team is going to add an alert on pod restarts.", "Platform team"),
    ],
)
def test_a_named_subject_that_commits_is_the_owner(item, owner):
    result = read_markdown(f"# Outage\n\n## Action Items\n\n- {item}\n")
    (action,) = result.document.action_items
    assert action.owner == owner
    assert any("is read as its owner" in note.message for note in result.report.notes)


@pytest.mark.parametrize(
    "item",
    [
        "We will update all service accounts.",
        "This will need a new provider.",
        "Update the runbook; Kubernetes upgrades will be announced.",
        "The migration will be retried.",
    ],
)
def test_pronouns_and_plain_sentences_name_no_owner(item):
    (action,) = read_markdown(f"# Outage\n\n## Action Items\n\n- {item}\n").document.action_items
    assert not action.owner


def test_strict_mode_takes_no_owner_from_a_sentence():
    text = "---\ntitle: Outage\n---\n\n# Outage\n\n## Action Items\n\n- DevEX will rotate keys.\n"
    (action,) = parse_markdown(text).action_items
    assert action.title == "DevEX will rotate keys" and action.owner is None


# Prose with a time first in a timeline section, and a weekday without a date under a
# dated context, e.g. "Thursday 5:20am" in https://github.com/dfds/postmortems (MIT) style
# day-by-day write-ups and "At 14:02 UTC, ..." in blog post-mortems.
WEEK = (
    "# Outage\n\n## Timeline (all times UTC)\n\n**Wednesday, May 1, 2024**\n\n"
    "At 14:02 UTC, the alert fired.\n\n- Thursday 5:20am: pods restarted\n"
    "- Friday 9:00 pm - fix deployed\n"
)


def test_prose_with_a_time_first_and_weekdays_under_a_date():
    result = read_markdown(WEEK)
    assert [(entry.at, entry.text) for entry in result.document.timeline] == [
        (_utc(2024, 5, 1, 14, 2), "the alert fired."),
        (_utc(2024, 5, 2, 5, 20), "pods restarted"),
        (_utc(2024, 5, 3, 21, 0), "fix deployed"),
    ]
    assert any("'Thursday 5:20am' has a weekday" in n.message for n in result.report.notes)


def test_a_weekday_without_any_date_in_the_document_is_kept_not_placed():
    text = "# Outage\n\n## Timeline (all times UTC)\n\n- Thursday 5:20am: pods restarted\n"
    result = read_markdown(text)
    assert result.document.timeline == []
    assert "Thursday 5:20am: pods restarted" in result.document.appendix


@pytest.mark.parametrize(
    "line", ["At least 3 pods restarted.", "Wednesday we met the vendor.", "By then it was over."]
)
def test_lead_words_without_a_time_are_not_entries(line):
    text = "# Outage\n\n## Timeline (all times UTC)\n\n**May 1, 2024**\n\n" + line + "\n"
    result = read_markdown(text)
    assert result.document.timeline == []
    assert line in result.document.appendix


def test_strict_mode_reads_no_lead_word_before_a_time():
    text = (
        "---\ntitle: Outage\n---\n\n# Outage\n\n## Incident Timeline\n\nAt 14:02 UTC, it broke.\n"
    )
    assert parse_markdown(text).timeline == []


# https://github.com/jupyterhub/mybinder.org-deploy (docs, 2018-04-18 culler flood, BSD-3):
# the opening paragraph under the title is the summary; there is no "## Summary".
LEDE = (
    "# 2018-04-18, Culler flood\n\nA deploy of updates to the Hub included an upgraded "
    "implementation of the idle-culler script.\nThe culler script had a bug which resulted "
    "in flooding the Hub with requests.\n\n## Timeline\n\nAll times in CEST\n\n"
    "### 2018-04-18 12:35\n\nDeploy.\n"
)


def test_the_opening_paragraph_is_the_summary_when_there_is_none():
    result = read_markdown(LEDE)
    assert result.document.summary.startswith("A deploy of updates to the Hub")
    assert "culler script had a bug" in result.document.summary
    assert any("read as the summary" in note.message for note in result.report.notes)


def test_an_opening_paragraph_stays_in_the_appendix_when_a_summary_exists():
    text = LEDE.replace("## Timeline", "## Summary\n\nThe summary.\n\n## Timeline")
    doc = read_markdown(text).document
    assert doc.summary == "The summary."
    assert "A deploy of updates to the Hub" in doc.appendix


def test_an_opening_table_or_list_is_not_a_summary():
    text = LEDE.replace("A deploy of updates", "| a | b |\n|---|---|\n| 1 | 2 |\n\nA deploy")
    assert not read_markdown(text).document.summary


# https://github.com/jupyterhub/mybinder.org-deploy (docs, 2017-09-27 Hub 403, BSD-3):
# "## Conclusion" announces its list as the causes.
CONCLUSION = (
    "# 2017-09-27, Hub 403\n\n## Conclusion\n\nThis was caused by two factors:\n\n"
    "1. Local development environment being slightly different from production\n"
    "   environment (single node vs multi node)\n"
    "2. Testing in staging not thorough enough\n\n"
    "Debugging this was complicated by the fact we changed a lot of things.\n"
)


def test_a_list_announced_as_the_causes_is_read_as_factors():
    result = read_markdown(CONCLUSION)
    doc = result.document
    assert [factor.title for factor in doc.factors] == [
        "Local development environment being slightly different from production "
        "environment (single node vs multi node)",
        "Testing in staging not thorough enough",
    ]
    assert "This was caused by two factors:" in doc.appendix
    assert "Debugging this was complicated" in doc.appendix
    assert any("announced as the causes" in note.message for note in result.report.notes)


@pytest.mark.parametrize(
    "intro",
    ["We did the following:", "This was caused by a bad deploy. Next steps:", "Causes aside:"],
)
def test_a_list_after_another_paragraph_stays_text(intro):
    doc = read_markdown(CONCLUSION.replace("This was caused by two factors:", intro)).document
    assert doc.factors == []
    assert "Testing in staging not thorough enough" in doc.appendix
