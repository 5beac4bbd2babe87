"""The shared owner reader (kintsugi.core.markdown.owners): the forms an item names its
owner in, read the same by the importer and by ``kintsugi lint``; both directions."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown.action_fields import read_inline_facts
from kintsugi.core.markdown.owners import OWNER_IN_TEXT, item_owner, owner_label

OWNED = [
    ("Hypha: make the proposal to shorten the vote", "Hypha", "label"),
    ("Hypha + ICL: investigate the log wording", "Hypha + ICL", "label"),
    ("[SRE] rotate the signing keys", "SRE", "label"),
    ("**Dana**: add the queue-depth alert", "Dana", "label"),
    ("Storage team - review the replication design", "Storage team", "label"),
    ("Rotate the signing keys [owner: dana]", "dana", "field"),
    ("Rotate the signing keys (assignee: Dana Lee)", "Dana Lee", "field"),
    ("Rotate the signing keys. Owner: @dana", "@dana", "field"),
    ("Rotate the signing keys (@dana)", "@dana", "handle"),
]
NOT_OWNED = [
    "Monitoring: add the queue-depth alert",
    "Temporary fix: pin the client version",
    "CI: run the migration check on every pull request",
    "Rotate the signing keys",
    "[#12] rotate the signing keys",
    "Fix: email@example.com bounces are retried",
]


@pytest.mark.parametrize(("text", "owner", "form"), OWNED)
def test_an_owner_written_in_the_item_is_read(text: str, owner: str, form: str) -> None:
    found = item_owner(text)
    assert found is not None and (found.value, found.form) == (owner, form)


@pytest.mark.parametrize("text", NOT_OWNED)
def test_a_topic_label_or_no_owner_is_not_an_owner(text: str) -> None:
    assert item_owner(text) is None


@pytest.mark.parametrize("text", [t for t, _, _ in OWNED] + NOT_OWNED + ["ask @bob how to do it"])
def test_lint_and_the_importer_agree_on_whether_an_item_names_its_owner(text: str) -> None:
    """Lint's test is ``OWNER_IN_TEXT or owner_label``; the reader finds an owner exactly then."""
    lint_says = bool(OWNER_IN_TEXT.search(text) or owner_label(text))
    assert lint_says == (item_owner(text) is not None)


@pytest.mark.parametrize(("text", "owner", "form"), OWNED)
def test_the_importer_sets_the_owner_the_item_names(text: str, owner: str, form: str) -> None:
    assert read_inline_facts(text).owner == owner


def test_the_importer_does_not_take_a_mention_inside_a_sentence_for_the_owner() -> None:
    assert read_inline_facts("Add the alert, then ask @bob how to tune it").owner is None
    # An owner word without a label's colon: lint sees a sign of an owner, import no name.
    loose = "Let a second team approve DNS changes through the owners file"
    found = item_owner(loose)
    assert found is not None and found.form == "loose"
    assert read_inline_facts(loose).owner is None
    assert read_inline_facts("Add the alert @bob").owner == "@bob"


def test_an_item_with_a_label_keeps_its_text_as_written() -> None:
    facts = read_inline_facts("Hypha + ICL: investigate the log wording")
    assert facts.title == "Hypha + ICL: investigate the log wording"


def test_hostile_labels_are_read_quickly_and_refused() -> None:
    import time

    assert item_owner("A" * 50 + ": " + "x" * 100_000) is None  # no label is 50 characters
    start = time.perf_counter()
    found = item_owner("[" * 10_000 + " owner: x")
    assert time.perf_counter() - start < 1
    assert found is not None and found.value == "x"
