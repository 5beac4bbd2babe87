"""Findings for a whole post-mortem: every text field of the incident and of its parts.

Used by the document summary on the post-mortem page, ``GET /api/v1/incidents/{id}/lint``
and the publishing gate. One query per kind of part, whatever the size of the document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kintsugi.blameless.services import linter_for_organisation
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Finding as WhyFinding
from kintsugi.core.five_whys import FindingSeverity, check_tree
from kintsugi.core.language import Finding, Level, Linter
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent

# Incident-level fields: (field, label, anchor of the section on the post-mortem page).
INCIDENT_FIELDS = (
    ("title", "Title", "header"),
    ("summary", "Executive summary: what happened", "summary"),
    ("impact", "Executive summary: who was affected", "summary"),
    ("trigger", "Trigger", "narrative"),
    ("detection", "Detection", "narrative"),
    ("resolution", "Resolution", "narrative"),
    ("appendix", "Appendix", "header"),
)
# Parts: (model, fields, field prefix, label, anchor prefix).
PARTS = (
    (TimelineEvent, ("text",), "timeline", "Timeline event", "event"),
    (Factor, ("title", "description"), "factors", "Contributing factor", "factor"),
    (Lesson, ("text",), "lessons", "Lesson", "lesson"),
    (ActionItem, ("title", "description"), "action_items", "Action item", "action"),
)


@dataclass(frozen=True)
class FieldFinding:
    """A finding and where it is: ``field`` as the API names it ("summary",
    "factors.description"), the part's id (None for the incident's own fields), a label
    and an anchor for a link to the section on the page."""

    field: str
    item_id: int | None
    label: str
    anchor: str
    finding: Finding

    def to_dict(self) -> dict[str, object]:
        data = {key: value for key, value in self.finding.to_dict().items() if key not in
                ("start", "end")}  # fmt: skip
        return {"field": self.field, "item_id": self.item_id, **data}


def incident_findings(
    incident: Incident, *, changes: Mapping[str, object] | None = None
) -> list[FieldFinding]:
    """Every finding in the post-mortem, in page order. ``changes``: incident fields about to
    be saved (the publishing gate lints what *will* be published)."""
    changes = changes or {}
    # One linter for the whole document: asking per field cost a query per field (683 on a
    # large post-mortem) and made the summary's queries grow with the document.
    linter = linter_for_organisation()
    found: list[FieldFinding] = []
    for name, label, anchor in INCIDENT_FIELDS:
        text = changes.get(name, getattr(incident, name, ""))
        found.extend(_field(linter, str(text or ""), name, None, label, anchor))
    for model, fields, prefix, label, anchor in PARTS:
        rows = (
            model.objects.filter(incident_id=incident.pk).order_by("pk").values_list("pk", *fields)
        )
        for pk, *texts in rows:
            for name, text in zip(fields, texts, strict=True):
                found.extend(
                    _field(linter, text or "", f"{prefix}.{name}", pk, label, f"{anchor}-{pk}")
                )
    return found


def _field(
    linter: Linter, text: str, field: str, item_id: int | None, label: str, anchor: str
) -> Iterable[FieldFinding]:
    """Post-mortem fields are Markdown: code and links in them are not prose."""
    if not text.strip():
        return []
    return [FieldFinding(field, item_id, label, anchor, f) for f in linter.lint_markdown(text)]


def incident_whys_findings(incident: Incident) -> list[WhyFinding]:
    """The 5 Whys quality findings (``whys/*``) of the stored why-tree, in tree order.

    The blameless-language notes on answers are left out: the summary and the gate count
    the quality of the analysis here, once, and an answer's wording is the editor's hint.
    A stored tree that no longer builds (edited by hand in the database) has no findings
    rather than breaking the page: the editor shows what is wrong with it.
    """
    view = analysis_view(incident=incident)
    if not view.records:
        return []
    try:
        tree = view.tree
    except ValidationProblem:
        return []
    titles = [item.title for item in view.action_items]
    # The organisation's users are people too: "Marisol rewrote the query" ends on a person.
    people = linter_for_organisation().lexicon.is_name
    found = check_tree(tree, action_items=titles, people=people)
    return [f for f in found if f.rule.startswith("whys/")]


def whys_counts(findings: Iterable[WhyFinding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n, "total": n}`` for 5 Whys findings."""
    levels = Counter(f.severity.value for f in findings)
    result = {level.value: levels.get(level.value, 0) for level in FindingSeverity}
    result["total"] = sum(levels.values())
    return result


def counts(findings: Iterable[FieldFinding | Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n, "total": n}``."""
    levels = Counter(
        (f.finding if isinstance(f, FieldFinding) else f).severity.value for f in findings
    )
    result = {level.value: levels.get(level.value, 0) for level in Level}
    result["total"] = sum(levels.values())
    return result
