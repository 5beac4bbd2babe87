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
