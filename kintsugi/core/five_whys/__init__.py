"""5 Whys root-cause analysis as data: the why-tree, its quality checks and its Markdown form.

Pure Python (no Django) so that the web editor, the API, ``kintsugi lint`` and the tests
all run the same checks on the same model. See docs/five-whys.md.
"""

from __future__ import annotations

from kintsugi.core.five_whys.checks import (
    RULES,
    AnswerNote,
    Finding,
    FindingSeverity,
    Location,
    Rule,
    check_tree,
)
from kintsugi.core.five_whys.markdown import (
    parse_analysis,
    parse_analysis_with_lines,
    render_analysis,
)
from kintsugi.core.five_whys.nodes import NodeRecord, build_tree, tree_to_records
from kintsugi.core.five_whys.questions import suggest_next_question
from kintsugi.core.five_whys.tree import (
    MAX_ANSWER,
    MAX_EVIDENCE_PER_STEP,
    MAX_EVIDENCE_TEXT,
    MAX_PATH_DEPTH,
    MAX_QUESTION,
    MAX_STEPS,
    MAX_TITLE,
    MAX_TRIGGER,
    Branch,
    Chain,
    Evidence,
    WhyStep,
    WhyTree,
    tree_problems,
    validate_tree,
)

__all__ = [
    "MAX_ANSWER",
    "MAX_EVIDENCE_PER_STEP",
    "MAX_EVIDENCE_TEXT",
    "MAX_PATH_DEPTH",
    "MAX_QUESTION",
    "MAX_STEPS",
    "MAX_TITLE",
    "MAX_TRIGGER",
    "RULES",
    "AnswerNote",
    "Branch",
    "Chain",
    "Evidence",
    "Finding",
    "FindingSeverity",
    "Location",
    "NodeRecord",
    "Rule",
    "WhyStep",
    "WhyTree",
    "build_tree",
    "check_tree",
    "parse_analysis",
    "parse_analysis_with_lines",
    "render_analysis",
    "suggest_next_question",
    "tree_problems",
    "tree_to_records",
    "validate_tree",
]
