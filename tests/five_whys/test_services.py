"""5 Whys storage: each change is validated by the core and guarded by the version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import MAX_PATH_DEPTH, NodeRecord
from kintsugi.five_whys import services
from kintsugi.five_whys.selectors import analysis_view, findings_by_node
from kintsugi.postmortems import services as pm
from kintsugi.postmortems.services import ConflictError


def version(incident):
    return analysis_view(incident=incident).version


def add(user, incident, question, answer, **kwargs):
    return services.step_add(
        user=user,
        incident=incident,
        version=version(incident),
        question=question,
        answer=answer,
        **kwargs,
    )


def chain(user, incident, n=3):
    nodes = [add(user, incident, "Why was the site down?", "The pool was exhausted.")]
    for index in range(1, n):
        nodes.append(
            add(user, incident, f"Why {index}?", f"Cause number {index} of it.", parent=nodes[-1])
        )
    return nodes


def test_it_builds_a_chain_and_a_branch(owner, incident):
    first, second, third = chain(owner, incident)
    add(
        owner,
        incident,
        "Why late?",
        "No alert watches lock waits.",
        parent=second,
        starts_branch=True,
    )
    tree = analysis_view(incident=incident).tree
    assert [s.answer for s in tree.branches[0].steps][-1] == "Cause number 2 of it."
    assert tree.branches[0].steps[1].branches[0].steps[0].answer == "No alert watches lock waits."


def test_it_inserts_after_a_step_with_a_following_step(owner, incident):
    first, second, third = chain(owner, incident)
    add(owner, incident, "Why inserted?", "An inserted cause.", parent=first)
    answers = [s.answer for s in analysis_view(incident=incident).tree.branches[0].steps]
    assert answers[1] == "An inserted cause." and len(answers) == 4


def test_it_refuses_whitespace_only_answers_and_changes_nothing(owner, incident):
    chain(owner, incident, 1)
    with pytest.raises(ValidationProblem, match="answer is empty"):
        add(owner, incident, "Why?", "   \n ", parent=analysis_view(incident=incident).nodes[0])
    assert len(analysis_view(incident=incident).nodes) == 1


def test_it_refuses_a_stale_tree_version(owner, incident):
    chain(owner, incident, 1)
    stale = version(incident)
    add(owner, incident, "Why two?", "Second.", parent=analysis_view(incident=incident).nodes[0])
    with pytest.raises(ConflictError):
        services.step_add(user=owner, incident=incident, version=stale, question="Q?", answer="A.")


def test_it_refuses_a_stale_step_version(owner, incident):
    (node,) = chain(owner, incident, 1)
    services.step_update(user=owner, node=node, version=node.version, answer="New answer.")
    with pytest.raises(ConflictError):
        services.step_update(user=owner, node=node, version=node.version, answer="Lost?")


def test_it_refuses_a_cycle_and_keeps_the_tree(owner, incident):
    first, second, third = chain(owner, incident)
    with pytest.raises(ValidationProblem, match="cycle"):
        services.step_reparent(
            user=owner, node=first, version=version(incident), parent=third, starts_branch=False
        )
    first.refresh_from_db()
    assert first.parent_id is None


def test_it_refuses_a_tree_deeper_than_the_limit(owner, incident):
    records = [
        NodeRecord(id=n, parent=n - 1 if n else None, question="Why?", answer=f"Cause {n}.")
        for n in range(MAX_PATH_DEPTH + 1)
    ]
    with pytest.raises(ValidationProblem, match="deep"):
        services.tree_replace(user=owner, incident=incident, version=0, records=records)


def test_it_moves_links_with_the_root_cause(owner, incident):
    first, second = chain(owner, incident, 2)
    factor = pm.factor_add(user=owner, incident=incident, title="Expired credentials")
    services.root_cause_link(
        user=owner, node=second, version=version(incident), factors=[factor], action_items=[]
    )
    add(owner, incident, "Why?", "No alert on credential expiry.", parent=second)
    tree = analysis_view(incident=incident).tree
    assert tree.branches[0].factors == [1]
    services.root_cause_mark(user=owner, node=first, version=version(incident))
    assert analysis_view(incident=incident).tree.branches[0].root_cause_step == 1


def test_it_moves_steps_up_and_down(owner, incident):
    first, second, third = chain(owner, incident)
    services.step_move(user=owner, node=third, version=version(incident), direction="up")
    answers = [s.answer for s in analysis_view(incident=incident).tree.branches[0].steps]
    assert answers == ["The pool was exhausted.", "Cause number 2 of it.", "Cause number 1 of it."]
    services.step_move(user=owner, node=first, version=version(incident), direction="down")
    answers = [s.answer for s in analysis_view(incident=incident).tree.branches[0].steps]
    assert answers[0] == "Cause number 2 of it."


def _top_answers(incident):
    return [branch.steps[0].answer for branch in analysis_view(incident=incident).tree.branches]


def test_it_moves_top_level_branches(owner, incident):
    roots = [add(owner, incident, f"Why {n}?", f"Top cause {n} of it.") for n in "ABC"]
    services.step_update(user=owner, node=roots[0], version=roots[0].version,
                         branch_title="Kept", trigger="Deploy 4411")  # fmt: skip
    move = services.branch_move
    move(user=owner, node=roots[2], version=version(incident), direction="up")
    assert _top_answers(incident) == [
        "Top cause A of it.",
        "Top cause C of it.",
        "Top cause B of it.",
    ]
    move(user=owner, node=roots[0], version=version(incident), direction="down")
    tree = analysis_view(incident=incident).tree
    assert [b.steps[0].answer for b in tree.branches][:2] == [
        "Top cause C of it.",
        "Top cause A of it.",
    ]
    assert (tree.branches[1].title, tree.branches[1].trigger) == ("Kept", "Deploy 4411")
    with pytest.raises(ValidationProblem, match="already the first branch of the analysis"):
        move(user=owner, node=roots[2], version=version(incident), direction="up")
    with pytest.raises(ValidationProblem, match="already the last branch"):
        move(user=owner, node=roots[1], version=version(incident), direction="down")
    with pytest.raises(ConflictError):
        move(user=owner, node=roots[1], version=version(incident) - 1, direction="up")
    assert _top_answers(incident)[1:] == ["Top cause A of it.", "Top cause B of it."]


def test_it_moves_branches_only_among_those_forking_at_the_same_step(owner, viewer, incident):
    first, second, _ = chain(owner, incident)
    at_first = [
        add(owner, incident, f"Why {n}?", f"Fork {n} at the first step.", parent=first,
            starts_branch=True)
        for n in (1, 2)
    ]  # fmt: skip
    at_second = add(owner, incident, "Why?", "Fork at the second step.", parent=second,
                    starts_branch=True)  # fmt: skip

    def forks():
        steps = analysis_view(incident=incident).tree.branches[0].steps
        return [[b.steps[0].answer for b in step.branches] for step in steps[:2]]

    services.branch_move(user=owner, node=at_first[1], version=version(incident), direction="up")
    assert forks() == [
        ["Fork 2 at the first step.", "Fork 1 at the first step."],
        ["Fork at the second step."],
    ]
    with pytest.raises(ValidationProblem, match="already the first branch at this step"):
        services.branch_move(user=owner, node=at_second, version=version(incident), direction="up")
    with pytest.raises(ValidationProblem, match="Only the first step of a branch"):
        services.branch_move(user=owner, node=second, version=version(incident), direction="up")
    with pytest.raises(ValidationProblem, match="'up' or 'down'"):
        services.branch_move(user=owner, node=at_second, version=version(incident), direction="x")
    with pytest.raises(PermissionDenied):
        services.branch_move(user=viewer, node=at_first[0], version=version(incident),
                             direction="up")  # fmt: skip


def test_it_deletes_a_step_with_its_descendants(owner, incident):
    first, second, third = chain(owner, incident)
    assert services.step_delete(user=owner, node=second, version=version(incident)) == 2
    assert len(analysis_view(incident=incident).nodes) == 1


def test_it_refuses_viewers(viewer, owner, incident):
    with pytest.raises(PermissionDenied):
        add(viewer, incident, "Why?", "Because.")


def test_it_puts_findings_next_to_their_step(owner, incident):
    first, second = chain(owner, incident, 2)
    services.step_update(
        user=owner,
        node=second,
        version=second.version,
        answer="An engineer ran the script manually.",
    )
    by_node, _ = findings_by_node(analysis_view(incident=incident))
    assert "whys/ends-on-person" in {f.rule for f in by_node[second.pk]}
