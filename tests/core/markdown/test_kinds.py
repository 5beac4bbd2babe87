"""Guessing event kinds from the words of hand-written timelines."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown.kinds import infer_kind
from kintsugi.core.timeline import EventKind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("OUTAGE BEGINS: backends melt down", EventKind.IMPACT_STARTED),
        ("Errors began for EU customers", EventKind.IMPACT_STARTED),
        ("Deployed api 2.3", EventKind.CHANGE_DEPLOYED),
        ("HighErrorRate alert fired", EventKind.ALERT_FIRED),
        ("Paged the on-call engineer", EventKind.ALERT_FIRED),
        ("Alice acknowledged the page", EventKind.PAGE_ACKNOWLEDGED),
        ("On-call acked", EventKind.PAGE_ACKNOWLEDGED),
        ("DB team joined the bridge", EventKind.RESPONDERS_JOINED),
        ("Started investigating the pool", EventKind.INVESTIGATION),
        ("Rolled back the deploy", EventKind.WORKAROUND_APPLIED),
        ("Failed over to the secondary", EventKind.WORKAROUND_APPLIED),
        ("Impact mitigated by rolling back", EventKind.MITIGATED),
        ("Incident resolved", EventKind.FULLY_RECOVERED),
        ("All clear", EventKind.FULLY_RECOVERED),
        ("Status page updated", EventKind.COMMUNICATION),
        ("Coffee arrived", EventKind.NOTE),
        ("The backlog grew", EventKind.NOTE),  # "ack" inside a word is not an acknowledgement
    ],
)
def test_it_guesses_the_kind_from_the_words(text, kind):
    assert infer_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # thought of, asked, proposed, believed: no outcome yet
        ("Tom raises question of a potential workaround with the developer", EventKind.NOTE),
        ("Believing the issue to be resolved, work resumes", EventKind.NOTE),
        ("We discussed whether to fail over", EventKind.NOTE),
        ("Should we roll back?", EventKind.NOTE),
        ("A rollback was proposed but rejected", EventKind.NOTE),
        ("The revert did not help", EventKind.NOTE),
        ("Unable to roll back the schema", EventKind.NOTE),
        ("Mitigation planned for the morning", EventKind.NOTE),
        # the same words, asserted, still count
        ("Rolled back the deploy; errors dropped", EventKind.WORKAROUND_APPLIED),
        ("We believed it was the cache, so we rolled back", EventKind.WORKAROUND_APPLIED),
        ("Issue resolved, the question is closed", EventKind.FULLY_RECOVERED),
        # a failure is the impact, not a recovery
        ("`kubectl logs` has stopped working", EventKind.IMPACT_STARTED),
        ("The primary database went down", EventKind.IMPACT_STARTED),
    ],
)
def test_an_outcome_counts_only_where_its_clause_asserts_it(text, kind):
    assert infer_kind(text) == kind


def test_quoted_output_and_later_paragraphs_are_not_the_event():
    text = (
        "`kubectl logs` fails, reporting:\n\n```\nerror: resolved nothing\n```\n\n"
        "This occurred once before.\nThe first occurrence resolved itself."
    )
    assert infer_kind(text) == EventKind.NOTE
    assert infer_kind("Error `resolved` in the log, traffic restored") == EventKind.FULLY_RECOVERED
