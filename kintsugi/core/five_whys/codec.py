"""The why-tree as JSON-safe data, nested as it reads: branches of steps, steps with forks.

The JSON export of a post-mortem (``kintsugi export --format json``) carries the tree in
this form. Nested rather than flat rows because a nested document cannot hold a cycle or an
orphan, so a file can only be wrong in ways a person can see and fix; the API's flat rows
go through :func:`~kintsugi.core.five_whys.nodes.build_tree` instead.

Reading checks types only, raising :class:`ValidationProblem` with the JSON path of the
bad value (``analysis.branches[0].steps[2].answer``); the values themselves are checked by
:func:`~kintsugi.core.five_whys.tree.tree_problems`, like every other source of trees.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.tree import (
    MAX_PATH_DEPTH,
    MAX_STEPS,
    Branch,
    Evidence,
    WhyStep,
    WhyTree,
)
from kintsugi.core.vocabulary import EvidenceKind

_BRANCH_KEYS = ("title", "trigger", "root_cause_step", "factors", "actions", "steps")
_STEP_KEYS = ("question", "answer", "evidence", "branches")


def tree_to_dict(tree: WhyTree) -> dict[str, Any]:
    return {"branches": [_branch_to_dict(branch) for branch in tree.branches]}


def _branch_to_dict(branch: Branch) -> dict[str, Any]:
    return {
        "title": branch.title,
        "trigger": branch.trigger,
        "root_cause_step": branch.root_cause_step,
        "factors": list(branch.factors),
        "actions": list(branch.actions),
        "steps": [
            {
                "question": step.question,
                "answer": step.answer,
                "evidence": [
                    {"kind": item.kind.value, "content": item.content} for item in step.evidence
                ],
                "branches": [_branch_to_dict(sub) for sub in step.branches],
            }
            for step in branch.steps
        ],
    }


def tree_from_dict(data: object, *, path: str = "analysis") -> WhyTree:
    """The tree in ``data``; raise ValidationProblem naming the first bad value's path."""
    if data is None:
        return WhyTree()
    top = _object(data, path, ("branches",))
    counter = [0]
    return WhyTree(
        [
            _branch(item, f"{path}.branches[{index}]", 1, counter)
            for index, item in enumerate(_list(top, "branches", path))
        ]
    )


def _branch(data: object, path: str, depth: int, counter: list[int]) -> Branch:
    top = _object(data, path, _BRANCH_KEYS)
    steps = []
    for index, raw in enumerate(_list(top, "steps", path)):
        step_path = f"{path}.steps[{index}]"
        counter[0] += 1
        # Refuse absurd input before recursing into it, so a hostile file cannot make the
        # reader work hard or recurse deeply; tree_problems reports the exact limit later.
        if counter[0] > MAX_STEPS + 1 or depth + index > MAX_PATH_DEPTH + 1:
            raise ValidationProblem(
                f"The analysis is over the limits ({MAX_STEPS} steps, {MAX_PATH_DEPTH} whys "
                "in one path).",
                field=step_path,
            )
        step = _object(raw, step_path, _STEP_KEYS)
        evidence = []
        for number, item in enumerate(_list(step, "evidence", step_path)):
            item_path = f"{step_path}.evidence[{number}]"
            piece = _object(item, item_path, ("kind", "content"))
            kind = _text(piece, "kind", item_path) or EvidenceKind.OTHER.value
            try:
                parsed_kind = EvidenceKind(kind)
            except ValueError:
                kinds = ", ".join(member.value for member in EvidenceKind)
                raise ValidationProblem(
                    f"Unknown evidence kind {kind!r}; the kinds are: {kinds}.",
                    field=f"{item_path}.kind",
                ) from None
            evidence.append(Evidence(parsed_kind, _text(piece, "content", item_path)))
        steps.append(
            WhyStep(
                _text(step, "question", step_path),
                _text(step, "answer", step_path),
                evidence,
                [
                    _branch(sub, f"{step_path}.branches[{number}]", depth + index + 1, counter)
                    for number, sub in enumerate(_list(step, "branches", step_path))
                ],
            )
        )
    return Branch(
        steps,
        title=_text(top, "title", path),
        trigger=_text(top, "trigger", path),
        root_cause_step=_integer(top, "root_cause_step", path),
        factors=_numbers(top, "factors", path),
        actions=_numbers(top, "actions", path),
    )


def _object(data: object, path: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationProblem("Expected a JSON object.", field=path)
    for key in data:
        if key not in keys:
            raise ValidationProblem(
                f"Unknown key {key!r}; the keys are: {', '.join(keys)}.", field=f"{path}.{key}"
            )
    return data


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationProblem("Expected a list.", field=f"{path}.{key}")
    return value


def _text(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationProblem("Expected a string.", field=f"{path}.{key}")
    return value


def _integer(data: Mapping[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationProblem("Expected a whole number.", field=f"{path}.{key}")
    return value


def _numbers(data: Mapping[str, Any], key: str, path: str) -> list[int]:
    values = _list(data, key, path)
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        raise ValidationProblem("Expected a list of whole numbers.", field=f"{path}.{key}")
    return list(values)
