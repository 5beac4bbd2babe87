"""Lessons as people write them: lists, paragraphs, numbered lists, label lines in one
"Lessons learned" section, nested bullets kept with their parent."""

from __future__ import annotations

from kintsugi.core.markdown import parse_markdown, read_markdown
from kintsugi.core.markdown.lessons_section import lesson_label

HEAD = "---\ntitle: Outage\n---\n\n# Outage\n\n"


def lessons(body: str):
    return read_markdown(HEAD + body).document


def test_numbered_lessons_under_other_headings():
    # github.com/jupyterhub/mybinder.org-deploy incident-reports/2022-01-27-prime-version.md
    doc = lessons(
        "## Lessons learnt\n\n### What went well\n\n"
        "1. Cluster healed itself when traffic dropped below the prime cluster's pod quota.\n\n"
        "### What went wrong\n\n"
        "1. federation-redirect did not have the correct 'prime version' for 9 hours\n"
        "2. Response time was low. The issue went unnoticed for 3 hours,\n"
        "   and without action for at least 9 hours (when it resolved itself).\n\n"
        "[status]: https://mybinder.readthedocs.io/en/latest/about/status.html\n"
    )
    assert len(doc.lessons.went_well) == 1
    assert len(doc.lessons.went_poorly) == 2  # the link definition is not a lesson
    assert doc.lessons.went_poorly[1].endswith("(when it resolved itself).")
    assert "[status]: https://mybinder" in doc.appendix


def test_paragraph_lessons_under_flutter_headings():
    # github.com/flutter/flutter docs/postmortems/Postmortem-flutter.dev-outage-on-August-26-2023.md
    doc = lessons(
        "## Lessons learned\n\n### What worked\n\nThe DNS server did exactly what it was told "
        "to do.\n\nThe MX record change worked as intended.\n\n### What didn't work\n\n"
        "The DNS changes took hours to take effect.\n"
    )
    assert len(doc.lessons.went_well) == 2
    assert doc.lessons.went_poorly == ["The DNS changes took hours to take effect."]


def test_a_paragraph_ending_in_a_colon_and_its_list_are_one_lesson():
    # github.com/edgi-govdata-archiving/web-monitoring-ops
    # incidents/2018-10-30--incorrect-tls-certs-deployed.md (shortened)
    doc = lessons(
        "## Lessons\n\n### What Went Wrong\n\nIf any of these factors were not in play, this "
        "error would have:\n\n- never happened, or\n- been identified immediately after the "
        "staging deployment\n"
    )
    (lesson,) = doc.lessons.went_poorly
    assert lesson.startswith("If any of these factors")
    assert "- never happened, or" in lesson


def test_label_lines_in_one_lessons_section_pick_the_list():
    doc = lessons(
        "## Lessons learned\n\nWhat went well:\n\n- The alert fired.\n\n"
        "**Went badly:** nobody was paged.\n\n- What didn't go so well:\n"
        "  - The runbook was stale.\n  - The rollback took an hour.\n\n"
        "Where we got lucky\n\n- Quiet Tuesday.\n"
    )
    assert doc.lessons.went_well == ["The alert fired."]
    assert doc.lessons.went_poorly == [
        "nobody was paged.",
        "The runbook was stale.",
        "The rollback took an hour.",
    ]
    assert doc.lessons.got_lucky == ["Quiet Tuesday."]


def test_nested_bullets_stay_with_their_parent():
    doc = lessons(
        "## What went wrong\n\n- Three bugs shipped at once:\n  1. a flood bug\n  2. a leak\n"
    )
    assert doc.lessons.went_poorly == ["Three bugs shipped at once:\n1. a flood bug\n2. a leak"]


def test_a_sentence_about_luck_is_a_lesson_not_a_label():
    assert lesson_label("We got lucky that the backup was fresh.") is None
    assert lesson_label("**Where we got lucky**") == ("got_lucky", "")
    assert lesson_label("Went well: the alert fired") == ("went_well", "the alert fired")
    doc = lessons(
        "## Lessons learned\n\nWhat went well:\n\nThe alert fired.\n\n"
        "We got lucky that the backup was fresh.\n"
    )
    assert doc.lessons.went_well == [
        "The alert fired.",
        "We got lucky that the backup was fresh.",
    ]


def test_unlabelled_text_in_a_lessons_section_is_kept_not_guessed():
    doc = lessons("## Lessons learned\n\n- Culler behavior is not covered by tests.\n")
    assert doc.lessons.went_well == doc.lessons.went_poorly == doc.lessons.got_lucky == []
    assert "Culler behavior is not covered by tests." in doc.appendix


def test_strict_mode_reads_our_three_subsections_as_before():
    doc = parse_markdown(
        HEAD + "## Lessons Learned\n\n### What went well\n\n- Fast rollback.\n\n"
        "### What went poorly\n\n- Slow page.\n\n### Where we got lucky\n\n- Quiet day.\n"
    )
    assert (doc.lessons.went_well, doc.lessons.went_poorly, doc.lessons.got_lucky) == (
        ["Fast rollback."],
        ["Slow page."],
        ["Quiet day."],
    )
