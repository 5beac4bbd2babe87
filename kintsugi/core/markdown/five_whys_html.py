"""The 5 Whys as HTML for the standalone export: a readable chain, nested for forks.

Kept apart from html.py so that each module reads in one sitting. Every value is escaped:
why-tree text is one plain paragraph, not Markdown, so there is nothing to render and
nothing to sanitise. Evidence that is an http(s) URL becomes a link, as in the factors.
"""

from __future__ import annotations

from html import escape

from kintsugi.core.five_whys.markdown import answer_says_because
from kintsugi.core.five_whys.tree import Branch, WhyTree

STYLE = """
.why-branch { margin: .5rem 0 1rem; }
.why-branch .why-branch { margin-left: 1.2rem; padding-left: .8rem;
  border-left: 3px solid var(--gold); }
ol.whys > li { margin: 0 0 .4rem; }
ol.whys p { margin: 0; }
.because { color: var(--ink); }
.root-cause-mark { font-size: .8rem; font-weight: 600; color: var(--gold); }
p.root-cause { font-weight: 600; }
"""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _content(text: str) -> str:
    if text.lower().startswith(("http://", "https://")) and " " not in text:
        return f'<a href="{_text(text)}" rel="noopener noreferrer">{_text(text)}</a>'
    return _text(text)


def render_analysis_html(tree: WhyTree) -> str:
    """The section body; a short note for an analysis that has not started."""
    if not tree.branches:
        return '<p class="empty">Not started yet.</p>'
    return "\n".join(_branch(branch, (number,)) for number, branch in enumerate(tree.branches, 1))


def _branch(branch: Branch, path: tuple[int, ...]) -> str:
    label = ".".join(str(part) for part in path)
    title = f"Branch {label}" + (f": {branch.title}" if branch.title else "")
    heading = "h3" if len(path) == 1 else "h4"
    parts = [
        f'<article class="why-branch" id="branch-{label}">',
        f"<{heading}>{_text(title)}</{heading}>",
    ]
    if branch.trigger:
        parts.append(f'<p class="trigger"><strong>Trigger:</strong> {_text(branch.trigger)}</p>')
    cause_number = branch.root_cause_number
    items = []
    sub_number = 0
    for number, step in enumerate(branch.steps, 1):
        mark = ' <span class="root-cause-mark">root cause</span>' if number == cause_number else ""
        body = [
            f'<p class="why"><strong>Why</strong> {_text(_question(step.question))}</p>',
            f'<p class="because">{_because(step.answer)}{mark}</p>',
        ]
        if step.evidence:
            evidence = "".join(
                f'<li><span class="kind">{_text(item.kind.label)}</span> {_content(item.content)}</li>'
                for item in step.evidence
            )
            body.append(f'<ul class="evidence">{evidence}</ul>')
        for sub in step.branches:
            sub_number += 1
            body.append(_branch(sub, (*path, sub_number)))
        items.append("<li>" + "\n".join(body) + "</li>")
    parts.append('<ol class="whys">\n' + "\n".join(items) + "\n</ol>")
    cause = branch.root_cause
    if cause is not None:
        parts.append(f'<p class="root-cause">Root cause: {_text(cause.answer)}</p>')
    links = []
    if branch.factors:
        refs = ", ".join(f'<a href="#F{n}">F{n}</a>' for n in branch.factors)
        links.append(f"Contributing factors: {refs}")
    if branch.actions:
        links.append("Addressed by action items: " + ", ".join(f"A{n}" for n in branch.actions))
    if links:
        parts.append('<p class="links">' + "; ".join(links) + "</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _because(answer: str) -> str:
    """The answer after a bold "Because:", or with its own first word in bold when it
    already starts with "Because" (never "Because: Because")."""
    if not answer_says_because(answer):
        return f"<strong>Because:</strong> {_text(answer)}"
    text = answer.lstrip()
    return f"<strong>{_text(text[:7])}</strong>{_text(text[7:])}"


def _question(question: str) -> str:
    """The question without a leading "Why", which the bold label already says."""
    return question[4:] if question.startswith("Why ") else question
