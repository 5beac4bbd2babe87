"""Imported by the PDF fork server (pdf_process.py) so that every child starts with
WeasyPrint loaded. Without WeasyPrint or Pango the server still starts: each child then
reports what is missing instead of the server failing to start at all."""

import contextlib

with contextlib.suppress(ImportError, OSError):  # OSError: Pango/HarfBuzz missing
    import weasyprint  # noqa: F401
