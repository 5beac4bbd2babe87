"""Exporting one post-mortem: the one function the web download, the API and the CLI call.

The document is always read through the access module first (``document_from_incident``:
404 for anyone who may not see the incident), whether or not its PDF is cached. A PDF is
then refused over the size limits, served from the cache when this exact page was printed
before, or printed by a capped child process (kintsugi/core/markdown/pdf_process.py).

The cache key is the incident's id, version and revision (a digest of every section's
versions) and a digest of the page that is printed, which covers the display names and the
renderer itself: a new version, a renamed person or an upgrade prints again. Each incident
keeps only its latest PDF. The files hold what the database holds, so the cache directory
gets the same protection as the data directory (mode 0700).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kintsugi.accounts.models import User
from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.exporting import FORMATS, ExportFormat, export_document, pdf_page
from kintsugi.core.markdown.pdf_process import PdfLimits, print_pdf
from kintsugi.documents.assembly import display_names, document_from_incident


@dataclass(frozen=True)
class Export:
    document: PostmortemDocument
    format: ExportFormat
    body: bytes
    from_cache: bool = False


def pdf_limits() -> PdfLimits:
    """The limits from the settings (docs/configuration.md, "PDF export")."""
    return PdfLimits(
        max_events=settings.KINTSUGI_PDF_MAX_EVENTS,
        max_action_items=settings.KINTSUGI_PDF_MAX_ACTION_ITEMS,
        max_page_bytes=settings.KINTSUGI_PDF_MAX_PAGE_KB * 1024,
        timeout_seconds=settings.KINTSUGI_PDF_TIMEOUT,
        memory_mb=settings.KINTSUGI_PDF_MEMORY_MB,
        concurrency=settings.KINTSUGI_PDF_CONCURRENCY,
        slot_dir=Path(settings.KINTSUGI_PDF_CACHE_DIR),
    )


def postmortem_export(*, user: User, pk: object, fmt: str) -> Export:
    """The post-mortem ``pk`` as ``fmt`` for ``user``: Http404 if they may not see it,
    ValidationProblem for an unknown format or a PDF over the limits (PdfTooLarge),
    ExportUnavailable when a PDF cannot be printed now (PdfRenderFailed, PdfBusy)."""
    if fmt not in FORMATS:
        allowed = ", ".join(FORMATS)
        raise ValidationProblem(f"Unknown format {fmt!r}; use one of: {allowed}.", field="format")
    document = document_from_incident(user=user, pk=pk)  # access first, always
    if fmt != "pdf":
        names = display_names(document) if fmt == "html" else None
        return Export(document, FORMATS[fmt], export_document(document, fmt, names))
    body, cached = _pdf(document)
    return Export(document, FORMATS[fmt], body, from_cache=cached)


def _pdf(document: PostmortemDocument) -> tuple[bytes, bool]:
    limits = pdf_limits()
    page = pdf_page(document, display_names(document), limits)
    digest = hashlib.sha256(page.encode()).hexdigest()[:32]
    prefix = f"INC-{document.id}-"
    path = limits.slot_dir / f"{prefix}v{document.version}-{document.revision}-{digest}.pdf"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes(), True
    pdf = print_pdf(page, limits).pdf
    _store(path, pdf, prefix)
    return pdf, False


def _store(path: Path, pdf: bytes, prefix: str) -> None:
    """Write atomically (a reader never sees half a file), then drop the incident's older
    PDFs. A cache that cannot be written costs a render next time, nothing more."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".pdf-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pdf)
        os.replace(temporary, path)
        for older in folder.glob(f"{prefix}*.pdf"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
