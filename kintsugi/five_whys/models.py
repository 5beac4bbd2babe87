"""The why-tree of an incident, one row per step, as kintsugi.core.five_whys.NodeRecord.

A row's parent is the step before it; a row without a parent starts a top-level branch, and
a row with ``starts_branch`` starts a sub-branch forking at its parent. Branch data lives on
rows, as in the core: title and trigger on a branch's first step, the root-cause mark and
the links to factors and action items on its root-cause step.

Concurrency has two grains. ``WhyNode.version`` guards the text of one step, so two people
editing different steps do not collide. ``Analysis.version`` guards the shape of the whole
tree (add, delete, move, mark, replace): every write bumps it, so a structural change based
on a stale view of the tree is refused instead of silently undoing someone's edit.
"""

from __future__ import annotations

from django.db import models

from kintsugi.core.five_whys import MAX_ANSWER, MAX_QUESTION, MAX_TITLE, MAX_TRIGGER
from kintsugi.postmortems.models import ActionItem, Factor, Incident


class Analysis(models.Model):
    """The version of an incident's why-tree as a whole (created on the first write)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, primary_key=True, related_name="why_analysis"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "analyses"

    def __str__(self) -> str:
        return f"5 Whys of incident {self.incident_id}"


class WhyNode(models.Model):
    """One why: a question and its answer, plus the branch data that starts or ends here."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="why_nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    question = models.TextField(max_length=MAX_QUESTION)
    answer = models.TextField(max_length=MAX_ANSWER)
    starts_branch = models.BooleanField(default=False)
    branch_title = models.CharField(max_length=MAX_TITLE, blank=True)
    trigger = models.CharField(max_length=MAX_TRIGGER, blank=True)
    is_root_cause = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True)  # [{"kind": "graph", "content": ...}]
    factors = models.ManyToManyField(Factor, blank=True, related_name="why_nodes")
    action_items = models.ManyToManyField(ActionItem, blank=True, related_name="why_nodes")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["incident", "position"], name="whynode_incident")]

    def __str__(self) -> str:
        return self.question[:60]
