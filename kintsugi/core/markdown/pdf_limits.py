"""What one PDF may cost, the check made before any rendering, and the ways a PDF export ends.

Apart from pdf_process.py (which prints) and exporting.py (which builds the page), so that
each of them imports this one and neither imports the other: the exporter needs the limits
and the refusals before the printer exists, and the printer raises the exporter's errors.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kintsugi.core.errors import ValidationProblem


class ExportUnavailable(ValidationProblem):
    """The format needs a library or system package this installation lacks."""


class PdfTooLarge(ValidationProblem):
    """Refused before rendering: the document is over a size limit."""


class PdfRenderFailed(ExportUnavailable):
    """The renderer was stopped (time, memory) or could not start; a 503 for the reader."""


class PdfStopped(PdfRenderFailed):
    """The child reached its deadline or its memory cap and was stopped."""


class PdfBusy(PdfRenderFailed):
    """Every render slot is taken; the reader should retry shortly."""


@dataclass(frozen=True)
class PdfLimits:
    """What one PDF may cost; the defaults are the settings' (docs/configuration.md)."""

    max_events: int = 1_000
    max_action_items: int = 300
    max_page_bytes: int = 1024 * 1024
    timeout_seconds: float = 60.0
    memory_mb: int = 1024
    concurrency: int = 2
    slot_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))


def _too_large(what: str, count: str, limit: str, setting: str) -> PdfTooLarge:
    return PdfTooLarge(
        f"This post-mortem is too large for PDF ({count} {what}, limit {limit}); export "
        "HTML and print it from the browser, or ask an administrator to raise "
        f"{setting}.",
        field="format",
    )


def check_printable(*, events: int, action_items: int, page_bytes: int, limits: PdfLimits) -> None:
    """Refuse, before any rendering, a document the limits say would cost too much."""
    if events > limits.max_events:
        raise _too_large(
            "events", f"{events:,}", f"{limits.max_events:,}", "KINTSUGI_PDF_MAX_EVENTS"
        )
    if action_items > limits.max_action_items:
        raise _too_large(
            "action items",
            f"{action_items:,}",
            f"{limits.max_action_items:,}",
            "KINTSUGI_PDF_MAX_ACTION_ITEMS",
        )
    if page_bytes > limits.max_page_bytes:
        raise _too_large(
            "KiB of text and markup",
            f"{page_bytes // 1024:,}",
            f"{limits.max_page_bytes // 1024:,}",
            "KINTSUGI_PDF_MAX_PAGE_KB",
        )
