"""Shared set-up for the tests of the 5 Whys checks on one chain: the rule ids they look
for, and the rules a chain raises (test_generalised.py, test_blind_writers.py)."""

from __future__ import annotations

from kintsugi.core.five_whys import Branch, WhyStep, WhyTree, check_tree

RESTATES = "whys/restates-question"
CIRCULAR = "whys/circular"
UNADDRESSED = "whys/root-cause-unaddressed"
PERSON = "whys/ends-on-person"
LABEL = "whys/human-error-label"
EXTERNAL = "whys/external-only"
TRIGGER = "whys/trigger-as-root-cause"
VAGUE = "whys/vague-root-cause"


def rules_of(steps: list[tuple[str, str]], actions: list[str] | None = None) -> set[str]:
    """The rules raised on one branch of (question, answer) steps. With ``actions``, each
    item is linked to the branch and its title is read; without, no titles are given."""
    items = actions or []
    tree = WhyTree(
        [Branch([WhyStep(q, a) for q, a in steps], actions=list(range(1, len(items) + 1)))]
    )
    return {f.rule for f in check_tree(tree, action_items=items if actions is not None else None)}
