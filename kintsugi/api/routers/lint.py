"""Blameless-language checking over the API: any text, or a stored post-mortem.

``POST /lint`` takes JSON (``{"text": ..., "format": "markdown" | "text"}``) or the text
itself as a ``text/markdown`` or ``text/plain`` body, so a script can pipe a file with
``curl --data-binary @postmortem.md``. The organisation's settings and people apply, as in
the editor. Limits are the CLI's: 1 MiB, UTF-8, no NUL bytes.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from kintsugi.api.errors import ApiError
from kintsugi.api.lookups import incident_for
from kintsugi.api.schemas.common import ErrorOut
from kintsugi.blameless.publishing import publishing_verdict
from kintsugi.blameless.selectors import counts
from kintsugi.blameless.services import MAX_TEXT_BYTES, lint_prose
from kintsugi.lint.inputs import InputError, decode

router = Router(tags=["lint"])

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}
_PUBLIC = ("rule", "category", "severity", "message", "suggestion", "line", "column",
           "end_line", "end_column", "excerpt")  # fmt: skip
_FORMATS = ("markdown", "text")


class FindingOut(Schema):
    rule: str
    category: str
    severity: Literal["error", "warning", "info"]
    message: str
    suggestion: str
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str


class CountsOut(Schema):
    error: int
    warning: int
    info: int
    total: int


class LintOut(Schema):
    findings: list[FindingOut]
    counts: CountsOut


class FieldFindingOut(FindingOut):
    field: str
    item_id: int | None


class PublishingOut(Schema):
    mode: Literal["warn", "block"]
    blocked: bool


class WhyFindingOut(Schema):
    """A 5 Whys quality finding (``whys/*``): where, what is wrong and what to ask next."""

    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    next_question: str
    branch: list[int] | None
    step: int | None
    action: int | None
    label: str


class IncidentLintOut(Schema):
    findings: list[FieldFindingOut]
    counts: CountsOut
    whys: list[WhyFindingOut]
    whys_counts: CountsOut
    publishing: PublishingOut


def _request_text(request: HttpRequest) -> tuple[str, str]:
    """(text, format) from a JSON envelope or a raw text/Markdown body."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    data = request.body
    if content_type in ("text/plain", "text/markdown", "text/x-markdown"):
        try:
            text = decode("request body", data)
        except InputError as error:
            raise ApiError(422, f"{error}.", fields={"body": [f"{error}."]}) from None
        return text, "text" if content_type == "text/plain" else "markdown"
    if content_type not in ("application/json", ""):
        raise ApiError(
            415,
            'Send JSON ({"text": ..., "format": ...}) or a text/markdown or text/plain body.',
            code="unsupported_media_type",
        )
    try:
        payload: Any = json.loads(data or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        message = f"The request body is not valid JSON ({error})."
        raise ApiError(400, message, code="malformed_json") from None
    if not isinstance(payload, dict):
        raise ApiError(422, 'Send a JSON object: {"text": "...", "format": "markdown"}.')
    unknown = sorted(set(payload) - {"text", "format"})
    if unknown:
        raise ApiError(
            422,
            f"{unknown[0]}: Unknown field; send only text and format.",
            fields={unknown[0]: ["Unknown field; send only text and format."]},
        )
    text, kind = payload.get("text"), payload.get("format", "markdown")
    if not isinstance(text, str):
        raise ApiError(
            422, "text: A string is required.", fields={"text": ["A string is required."]}
        )
    if kind not in _FORMATS:
        message = "Use markdown or text."
        raise ApiError(422, f"format: {message}", fields={"format": [message]})
    if "\x00" in text:
        message = "Binary input (a NUL character) cannot be linted."
        raise ApiError(422, f"text: {message}", fields={"text": [message]})
    return text, kind


def _public(finding: dict[str, object]) -> dict[str, object]:
    return {key: finding[key] for key in ("field", "item_id", *_PUBLIC) if key in finding}


@router.post(
    "/lint",
    response={200: LintOut, 400: ErrorOut, 415: ErrorOut, **_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "JSON, or the text itself (UTF-8, at most 1 MiB).",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": {"type": "string"},
                            "format": {
                                "type": "string",
                                "enum": list(_FORMATS),
                                "default": "markdown",
                            },
                        },
                    }
                },
                "text/markdown": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
def lint(request: HttpRequest) -> dict[str, object]:
    """Findings for a text, with the organisation's settings and people. Markdown skips
    code, links and HTML; ``text`` treats every character as prose."""
    text, kind = _request_text(request)
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise ApiError(413, f"The text is {size:,} bytes; the limit is 1 MiB.")
    findings = lint_prose(text, markdown=kind == "markdown")
    return {"findings": [_public(f.to_dict()) for f in findings], "counts": counts(findings)}


@router.get("/incidents/{int:incident_id}/lint", response={200: IncidentLintOut, **_ERRORS})
def lint_incident(request: HttpRequest, incident_id: int) -> dict[str, object]:
    """Findings for every text field of the post-mortem, each naming its field and, for a
    timeline event, factor, lesson or action item, the item's id; the 5 Whys findings of
    its analysis (a root cause on a person, a team, a vendor or a trigger is an error, and
    is why block mode refuses to publish); and whether publishing would be refused."""
    verdict = publishing_verdict(incident_for(request, incident_id))
    return {
        "findings": [_public(f.to_dict()) for f in verdict.findings],
        "counts": verdict.counts,
        "whys": [{**f.to_dict(), "label": f.location.label} for f in verdict.whys],
        "whys_counts": verdict.whys_counts,
        "publishing": {"mode": verdict.mode, "blocked": verdict.blocked},
    }
