"""Mechanisms that keep the checker quiet on real post-mortems, each in both directions.

Sentences marked with a source are quoted from the documents in tests/lint/real and
tests/corpus/postmortems (see docs/lint-review.md).
"""

from __future__ import annotations

from kintsugi.core.language import lint_markdown, lint_text
from kintsugi.core.language.engine import Linter
from kintsugi.core.language.prose import mask_markdown


def rules(text: str) -> list[str]:
    return [f.rule for f in lint_text(text)]


def test_a_form_label_is_not_a_cause() -> None:
    # k8s test-infra 2019-01-23: "Created By: Benjamin Elder <bentheelder@google.com>"
    assert rules("Created By: Benjamin Elder") == []
    assert rules("Reported by: the support desk") == []
    assert "blame/caused-by-person" in rules("The outage was created by Benjamin Elder.")


def test_toml_front_matter_is_blanked_like_yaml() -> None:
    source = '+++\ntitle = "Caused by Bob"\nauthor = "careless"\n+++\nThe cache expired.\n'
    assert mask_markdown(source).text.splitlines()[1].strip() == ""
    assert lint_markdown(source) == []
    assert lint_markdown("+++ is a heading marker here.\nBob was careless.\n")


def test_a_chat_speaker_line_is_not_a_statistical_finding() -> None:
    # k8s test-infra 2019-02-05: ">stevekuznetsov [9:32 AM] ok i will look at the code"
    assert rules(">stevekuznetsov [9:32 AM] ok i will look at the code") == []
    assert rules("alice: restarting the pod") == []
    # The speaker is skipped, not the line: blame inside it is still reported.
    assert rules("alice: Bob took down the cluster by accident.")


def test_one_sentence_is_reported_once_per_place() -> None:
    # rust crates.io postmortem: reported as blame/omission and blame/forgot-to before.
    sentence = "The developer forgot to think about the fact that this change affected downloads."
    assert rules(sentence) == ["blame/forgot-to"]
    # k8s test-infra 2019-02-05: one rule twice in one sentence.
    twice = "Apparently nobody was watching their PRs very closely, so nobody noticed."
    assert rules(twice) == ["blame/nobody-acted"]
    both = Linter(one_per_place=False).lint_text(sentence)
    assert {f.rule for f in both} == {"blame/forgot-to", "blame/omission"}


def test_different_blame_in_one_sentence_is_still_reported() -> None:
    assert set(rules("Bob should have known better, and Alice was careless.")) >= {"blame/judgment"}
    assert len(rules("Bob should have checked the dashboard. Alice was careless.")) == 2


def test_a_ci_service_is_not_a_person() -> None:
    # mybinder 2018-01-04: "Travis often fails to deploy."
    assert rules("Travis often fails to deploy.") == []
    assert rules("General Travis failures happening due to Travis downtime") == []
    assert "blame/failed-to" in rules("Trevor often fails to deploy on time.")


def test_our_users_seeing_errors_is_not_our_error() -> None:
    # rust crates.io postmortem: "The issue manifest in our users seeing errors like this"
    assert (
        rules("The issue manifest in our users seeing errors like this when running cargo.") == []
    )
    assert "blame/my-mistake" in rules("This was my mistake.")
