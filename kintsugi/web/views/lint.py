"""Blameless-language hints in the editor and the blamelessness summary of a post-mortem.

As someone types in a post-mortem field, htmx posts the field's text here (debounced) and
swaps the findings in under it. The document summary is loaded after the page and again
whenever a section is saved (the ``kintsugi:saved`` event that ``common.sections`` sends).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from kintsugi.blameless.publishing import PublishingVerdict, publish_warning
from kintsugi.blameless.selectors import FieldFinding
from kintsugi.blameless.services import MAX_TEXT_BYTES, lint_prose, linter_for_organisation
from kintsugi.blameless.summary_cache import summary_read
from kintsugi.core.five_whys import Finding as WhyFinding
from kintsugi.core.language import CATEGORIES, Finding, Rule
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident

# Text fields that get hints besides every textarea: titles are prose too.
LINTED_INPUTS = frozenset({"title"})
FINDINGS_TEMPLATE = "web/lint/_findings.html#findings"
SUMMARY_TEMPLATE = "web/lint/_summary.html#lint-summary"


@dataclass(frozen=True)
class Hint:
    """A finding with what the page shows about its rule (title, category, examples)."""

    finding: Finding
    rule: Rule | None
    category_label: str
    help_uri: str
    where: FieldFinding | None = None


def hints(findings: list[Finding] | list[FieldFinding]) -> list[Hint]:
    linter = linter_for_organisation()
    rules = {rule.id: rule for rule in linter.rules}
    # Without a configured docs_url the rules point to a placeholder host: no link then.
    docs_url = linter.config.docs_url
    result = []
    for item in findings:
        where = item if isinstance(item, FieldFinding) else None
        finding = item.finding if isinstance(item, FieldFinding) else item
        rule = rules.get(finding.rule)
        result.append(
            Hint(
                finding=finding,
                rule=rule,
                category_label=CATEGORIES.get(finding.category, finding.category),
                help_uri=rule.help_uri(docs_url) if rule and docs_url else "",
                where=where,
            )
        )
    return result


def is_linted(bound_field: Any) -> bool:
    """Whether a form field gets live hints: post-mortem prose, not times, URLs or ids."""
    kind = bound_field.widget_type
    return kind == "textarea" or (kind == "text" and bound_field.name in LINTED_INPUTS)


@require_POST
def lint_field(request: HttpRequest) -> HttpResponse:
    """Findings for the text of one field (named by ``?field=``), as a fragment."""
    if not access.can_create(request.user):
        raise PermissionDenied("Only editors get writing hints.")
    name = request.GET.get("field", "")
    text = request.POST.get(name, "")
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_TEXT_BYTES:
        return HttpResponse("The text is larger than 1 MiB and is not checked.", status=413)
    response = render(request, FINDINGS_TEMPLATE, {"hints": hints(lint_prose(text))})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def incident_lint(request: HttpRequest, pk: int) -> HttpResponse:
    """The blamelessness summary of the whole post-mortem (404 for those who may not see it).

    Sent as stored when the post-mortem is unchanged (rendering 100 findings took about
    160 ms); a miss renders without storing: a GET never writes (``summary_cache``)."""
    incident = access.get_incident(request.user, pk)
    summary = summary_read(incident)
    if summary.fragment:
        return HttpResponse(summary.fragment)
    return HttpResponse(render_summary(incident, summary.mode, summary.findings, summary.whys))


def render_summary(
    incident: Incident, mode: str, findings: list[FieldFinding], whys: list[WhyFinding]
) -> str:
    """The fragment for any reader: it holds no token and nothing about who reads it,
    which is what lets ``summary_cache`` store it once for everyone."""
    verdict = PublishingVerdict(mode=mode, findings=findings, whys=whys)
    context = {
        "incident": incident,
        "verdict": verdict,
        "counts": verdict.counts,
        "hints": hints(verdict.findings),
    }
    return render_to_string(SUMMARY_TEMPLATE, context)


def template_stamp() -> str:
    """The summary templates' contents: a changed template is a new key, not a stale page."""
    digest = hashlib.sha256()
    for name in ("web/lint/_summary.html", "web/lint/_findings.html"):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


def publish_notice(*, before: Incident, after: Incident) -> dict[str, str]:
    """After a save that published the post-mortem: the warning to show if findings remain
    (warn mode, or block mode with warnings only). Empty otherwise."""
    published = PostmortemStatus.PUBLISHED
    warning = publish_warning(was_published=before.status == published, incident=after)
    return {"publish_warning": warning} if warning else {}
