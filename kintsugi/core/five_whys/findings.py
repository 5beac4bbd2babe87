"""What a quality check reports: the rule, where, what is wrong, and what to ask next.

Rule ids are stable (``whys/...``): the linter's JSON and SARIF output, suppressions and
the evaluation set all refer to them. Messages speak to the author, in their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingSeverity(StrEnum):
    """error: this is not a root cause yet (publishing refuses it in block mode). warning:
    the analysis is weaker than it should be."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where a finding belongs, 1-based like everything a person reads.

    ``branch`` is the branch path ((1,) is branch 1, (1, 2) its second sub-branch) and
    ``step`` the step number inside that branch. ``action`` is set for findings about an
    action item; its branch and step are those of the first root cause that links it, or
    None when no root cause does.
    """

    branch: tuple[int, ...] | None
    step: int | None = None
    action: int | None = None

    @property
    def label(self) -> str:
        parts: list[str] = []
        if self.branch is not None:
            parts.append("branch " + ".".join(str(number) for number in self.branch))
        if self.step is not None:
            parts.append(f"step {self.step}")
        if self.action is not None:
            parts.append(f"action A{self.action}")
        return ", ".join(parts) or "analysis"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: FindingSeverity
    message: str
    next_question: str
    location: Location

    def to_dict(self) -> dict[str, object]:
        """The shape the API and ``kintsugi lint --format json`` use."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "next_question": self.next_question,
            "branch": list(self.location.branch) if self.location.branch else None,
            "step": self.location.step,
            "action": self.location.action,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    severity: FindingSeverity
    summary: str  # one line for docs and rule listings
    message: str
    next_question: str

    def finding(
        self, location: Location, *, message: str | None = None, next_question: str | None = None
    ) -> Finding:
        return Finding(
            self.id,
            self.severity,
            message or self.message,
            next_question or self.next_question,
            location,
        )


_E = FindingSeverity.ERROR
_W = FindingSeverity.WARNING

ENDS_ON_PERSON = Rule(
    "whys/ends-on-person",
    _E,
    "The chain ends on a person, role or team, or on what they did.",
    "This root cause is a person's action. People act within the system they are given: "
    "ask what let the action happen or kept it from being caught.",
    "Why did the system allow this, and what guardrail, check or default was missing?",
)
HUMAN_ERROR_LABEL = Rule(
    "whys/human-error-label",
    _E,
    'The root cause is a label such as "human error" or "carelessness".',
    '"Human error" names who, not why. It ends the analysis where it should start: what '
    "made the mistake easy to make and hard to notice?",
    "What made this mistake possible, and what would have caught it before it did harm?",
)
RESTATES_QUESTION = Rule(
    "whys/restates-question",
    _W,
    "An answer repeats its question or the problem instead of explaining it.",
    "This answer says again what the question asked; it does not say why.",
    "What caused it? Name the component, change or condition behind it.",
)
CIRCULAR = Rule(
    "whys/circular",
    _W,
    "An answer repeats an earlier answer: the chain goes round in a circle.",
    "This answer repeats an earlier one, so the chain loops instead of going deeper.",
    "What caused this, other than what the earlier step already says?",
)
VAGUE_ROOT_CAUSE = Rule(
    "whys/vague-root-cause",
    _E,
    "The root cause names no component, control, default or process step.",
    "This root cause is too general to act on: it names no component, control, default or "
    "process step that could be changed.",
    "Which component, setting, check or process step do you mean, exactly?",
)
EXTERNAL_ONLY = Rule(
    "whys/external-only",
    _E,
    "The chain stops at an outside event with nothing about our own design.",
    "The chain stops at an event outside our control. We cannot fix the outside world, but "
    "we can change how our system depends on it.",
    "Why did this outside event affect us so much: what in our design, capacity or "
    "dependency on it let it through?",
)
TRIGGER_AS_ROOT_CAUSE = Rule(
    "whys/trigger-as-root-cause",
    _E,
    "The chain stops at the change or event that set the failure off, not at what let it harm.",
    "This root cause is the trigger: the change or event that set the failure off (a deploy, "
    "an upgrade, a config push, a load spike). Triggers happen all the time; the root cause "
    "is the condition that let this one do harm.",
    "What let this change or event do harm: which check, limit, safeguard or rollout step "
    "would have contained it?",
)
TOO_SHALLOW = Rule(
    "whys/too-shallow",
    _W,
    "Fewer than three whys: the analysis probably stops at a symptom.",
    "Fewer than three whys were asked to reach this root cause; it is probably still a "
    "symptom. (Five is a guide, not a rule.)",
    "Why did that happen?",
)
ROOT_CAUSE_UNADDRESSED = Rule(
    "whys/root-cause-unaddressed",
    _W,
    "No action item addresses the root cause.",
    "No action item is linked to this root cause, so nothing will stop it from happening again.",
    "Which change would prevent this root cause, or catch it sooner, next time?",
)
ACTION_NOT_ACTIONABLE = Rule(
    "whys/action-not-actionable",
    _W,
    "An action item is not actionable, specific and bounded.",
    "This action item asks people to try harder or is too open to be done. A good action "
    "changes the system, names what it changes, and has a clear point at which it is done.",
    "What concrete change to a tool, check, default or process step would make this happen "
    "without relying on people remembering, and how will we know it is done?",
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        ENDS_ON_PERSON,
        HUMAN_ERROR_LABEL,
        RESTATES_QUESTION,
        CIRCULAR,
        VAGUE_ROOT_CAUSE,
        EXTERNAL_ONLY,
        TRIGGER_AS_ROOT_CAUSE,
        TOO_SHALLOW,
        ROOT_CAUSE_UNADDRESSED,
        ACTION_NOT_ACTIONABLE,
    )
}
