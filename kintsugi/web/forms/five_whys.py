"""Forms of the 5 Whys editor: they parse what was typed; the services decide the rest."""

from __future__ import annotations

from django import forms

from kintsugi.core.five_whys import MAX_ANSWER, MAX_QUESTION, MAX_TITLE, MAX_TRIGGER
from kintsugi.core.five_whys.tree import MAX_EVIDENCE_PER_STEP, MAX_EVIDENCE_TEXT
from kintsugi.core.validation import MAX_ID


def _area(rows: int, limit: int, **attrs: object) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit, **attrs})


class WhyStepForm(forms.Form):
    """A new why, or the edit of one. Strings are kept as typed (whitespace-only answers
    reach the core's validation, which explains the problem)."""

    question = forms.CharField(
        max_length=MAX_QUESTION,
        strip=False,
        required=False,
        widget=_area(1, MAX_QUESTION, **{"data-why-question": True}),
    )
    answer = forms.CharField(
        max_length=MAX_ANSWER,
        strip=False,
        required=False,
        widget=_area(2, MAX_ANSWER, placeholder="Because…", **{"data-why-answer": True}),
        help_text="Enter saves and asks the next why; Shift+Enter for a new line; Esc cancels.",
    )
    branch_title = forms.CharField(max_length=MAX_TITLE, required=False, label="Branch title")
    trigger = forms.CharField(max_length=MAX_TRIGGER, required=False)
    # One piece per line (core/five_whys/evidence_text.py checks the count and each length);
    # this bound only stops a post far beyond what those limits allow.
    evidence = forms.CharField(
        max_length=MAX_EVIDENCE_PER_STEP * (MAX_EVIDENCE_TEXT + 20) + 1_000,
        strip=False,
        required=False,
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_ID
    )
    parent = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )
    starts_branch = forms.BooleanField(widget=forms.HiddenInput, required=False)


class RootCauseLinksForm(forms.Form):
    """The factors and action items a root cause is linked to (multi-select)."""

    factors = forms.MultipleChoiceField(required=False, label="Contributing factors")
    action_items = forms.MultipleChoiceField(required=False, label="Addressed by action items")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ID)

    def __init__(self, *args: object, factors=(), action_items=(), **kwargs: object):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["factors"].choices = [
            (str(f.pk), f"F{n}. {f.title}") for n, f in enumerate(factors, 1)
        ]
        self.fields["action_items"].choices = [
            (str(a.pk), f"A{n}. {a.title}") for n, a in enumerate(action_items, 1)
        ]
