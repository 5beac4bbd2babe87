"""``kintsugi import PATH...``: bring post-mortems in, one file or whole folders.

Best effort by default: a file imports with every assumption reported (exit 0);
``--strict`` refuses a file that needs any assumption (exit 2), for CI pipelines;
``--dry-run`` reads, checks and reports without writing. Each file is its own
transaction, so one bad file in a folder of two hundred costs only itself. Exit codes:
0 every file imported (or checked), 2 a file was refused or unreadable, or bad usage.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.cli_identity import resolve_actor

# Folders that hold no post-mortems (tooling, dependencies, site output).
_SKIPPED_FOLDERS = {".git", ".hg", "node_modules", "_site", "public", "site", "vendor", ".venv"}
MAX_FILES = 10_000


@dataclass
class FileResult:
    path: str
    result: str  # created, updated, unchanged, checked, skipped, refused
    reference: str = ""
    title: str = ""
    message: str = ""
    line: int | None = None
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.result == "refused"


def collect(paths: list[str]) -> list[tuple[Path, bool]]:
    """(file, came from a folder) for every path; folders are walked for post-mortem files."""
    from kintsugi.core.markdown.sources import SUFFIXES

    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # os.walk does not follow links to folders, so a link loop cannot trap it.
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(
                    name
                    for name in subfolders
                    if name not in _SKIPPED_FOLDERS and not name.startswith(".")
                )
                for name in sorted(names):
                    candidate = Path(folder) / name
                    if (
                        not name.startswith(".")
                        and candidate.suffix.lower() in SUFFIXES
                        and candidate.is_file()
                    ):
                        found.append((candidate, True))
        elif path.exists():
            found.append((path, False))
        else:
            raise CommandError(
                f"{raw}: cannot read the file (no such file or folder).", returncode=2
            )
        if len(found) > MAX_FILES:
            raise CommandError(
                f"More than {MAX_FILES:,} files to import; import the folders one by one.",
                returncode=2,
            )
    return found


# Files a folder of post-mortems holds beside them (repository and site chores, templates).
# Judged by name, not content: a real post-mortem written as plain prose has no section we
# recognise and must still come in.
_NOT_POSTMORTEMS = re.compile(
    r"^(?:readme|contributing|licen[cs]e|changelog|changes|code_of_conduct|security|"
    r"authors|codeowners|summary|_index|_sidebar|_footer|.*template.*)$",
    re.IGNORECASE,
)


def is_not_a_postmortem(path: Path) -> bool:
    return bool(_NOT_POSTMORTEMS.match(path.stem))


class Command(BaseCommand):
    help = (
        "Import post-mortems: Markdown (ours or as teams write them) and wiki HTML exports, "
        "files or folders. Exit 0 imported, 2 refused or unreadable."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and report; write nothing."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse a file that needs any assumption (for CI).",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--as", dest="as_user", help="Act as this user: they become the creator."
        )

    def handle(self, *args, paths, dry_run, strict, format, as_user, **options):
        user = _importer(as_user)
        files = collect(paths)
        if not files:
            raise CommandError("No post-mortem files (.md, .markdown, .html) found.", returncode=2)
        progress = _Progress(len(files), enabled=format == "text" and len(files) > 1)
        results = _import_all(files, user, strict=strict, dry_run=dry_run, progress=progress)
        self._report(results, format=format)
        _fail_on_refusals(results)

    def _report(self, results: list[FileResult], *, format: str) -> None:
        """JSON, or a line per file (a lone refusal is left to the error) and a summary."""
        if format == "json":
            self.stdout.write(json.dumps([r.__dict__ for r in results], indent=2, default=str))
            return
        for result in results:
            if len(results) > 1 or not result.failed:
                self.stdout.write(_describe(result, detailed=len(results) == 1))
        if len(results) > 1:
            self.stdout.write(_summary(results))


def _importer(as_user: str | None) -> Any:
    """The user the files are imported as (``--as`` or ``KINTSUGI_CLI_USER``), who must be
    allowed to create post-mortems."""
    from kintsugi.postmortems import access

    user = resolve_actor(as_user)
    if not access.can_create(user):
        raise CommandError(
            f"{user.username}'s role may not import post-mortems (viewers read only).",
            returncode=2,
        )
    return user


def _import_all(
    files: list[tuple[Path, bool]],
    user: Any,
    *,
    strict: bool,
    dry_run: bool,
    progress: _Progress,
) -> list[FileResult]:
    """Each file in its own transaction, so a bad one costs only itself."""
    results = []
    for number, (path, in_folder) in enumerate(files, 1):
        progress.show(number, path)
        results.append(_import_one(path, in_folder, user, strict=strict, dry_run=dry_run))
    progress.done()
    return results


def _fail_on_refusals(results: list[FileResult]) -> None:
    """Exit 2 when a file was refused: its reason for a single file, a count for many."""
    failed = [r for r in results if r.failed]
    if len(results) == 1 and failed:
        where = f"{failed[0].path}:{failed[0].line}" if failed[0].line else failed[0].path
        raise CommandError(f"{where}: {failed[0].message}", returncode=2)
    if failed:
        raise CommandError(
            f"{len(failed)} of {len(results)} file{'s' if len(results) > 1 else ''} "
            "could not be imported.",
            returncode=2,
        )


def _import_one(
    path: Path, in_folder: bool, user: Any, *, strict: bool, dry_run: bool
) -> FileResult:
    from kintsugi.core.markdown.sources import read_source
    from kintsugi.documents.imports import import_document

    shown = str(path)
    if in_folder and is_not_a_postmortem(path):
        return FileResult(shown, "skipped", message="a repository or site file, not a post-mortem")
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(shown, "refused", message=f"cannot read the file ({error.strerror})")
    try:
        read = read_source(data, name=path.name, source=shown, strict=strict)
        outcome = import_document(
            user=user,
            document=read.document,
            report=read.report,
            strict=strict,
            source_key=str(path.resolve()),
            dry_run=dry_run,
        )
    except ValidationProblem as problem:
        return FileResult(shown, "refused", message=problem.message, line=problem.line)

    except PermissionDenied as error:
        return FileResult(shown, "refused", message=str(error))
    incident = outcome.incident
    return FileResult(
        shown,
        outcome.action,
        reference=incident.reference if incident else "",
        title=read.document.title,
        report=outcome.report.as_dict(),
    )


def _describe(result: FileResult, *, detailed: bool) -> str:
    if result.result == "refused":
        where = f"{result.path}:{result.line}" if result.line else result.path
        return f"{where}: refused: {result.message}"
    if result.result == "skipped":
        return f"{result.path}: skipped: {result.message}"
    verb = {
        "created": "Imported",
        "updated": "Updated",
        "unchanged": "Unchanged",
        "checked": "Checked (dry run, nothing written)",
    }[result.result]
    head = f"{verb} {result.reference}: {result.title}".replace("  ", " ")
    if result.result == "checked":
        head = f"{verb}: {result.title}"
    lines = [f"{result.path}: {head}"]
    report = result.report
    recognised = report.get("recognised", {})
    if recognised:
        lines.append(
            "  recognised: "
            + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in recognised.items())
        )
    notes = report.get("notes", [])
    if detailed or len(notes) <= 20:
        for note in notes:
            where = f"line {note['line']}: " if note.get("line") else ""
            lines.append(f"  {note['kind']}: {where}{note['message']}")
    else:
        lines.append(f"  {len(notes)} notes (use --format json to see them all)")
    if report.get("more_notes"):
        lines.append(f"  and {report['more_notes']} more notes")
    return "\n".join(lines)


def _summary(results: list[FileResult]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.result] = counts.get(result.result, 0) + 1
    width = min(max(len(r.path) for r in results), 60)
    rows = [f"\n{'file'.ljust(width)}  {'result':<9}  {'incident':<10}  notes"]
    for result in results:
        notes = result.report.get("notes", [])
        kinds = {
            kind: sum(1 for n in notes if n["kind"] == kind)
            for kind in ("assumption", "kept", "attention")
        }
        shown = result.path if len(result.path) <= width else "…" + result.path[-(width - 1) :]
        note_text = (
            f"{kinds['assumption']} assumed, {kinds['kept']} kept, {kinds['attention']} to check"
            if result.report
            else result.message
        )
        rows.append(
            f"{shown.ljust(width)}  {result.result:<9}  {result.reference:<10}  {note_text}"
        )
    rows.append("")
    rows.append(", ".join(f"{count} {name}" for name, count in sorted(counts.items())))
    return "\n".join(rows)


class _Progress:
    """A one-line progress bar on standard error when it is a terminal, else nothing (the
    per-file lines and the summary say the rest)."""

    def __init__(self, total: int, *, enabled: bool):
        self.total = total
        self.enabled = enabled and sys.stderr.isatty()

    def show(self, number: int, path: Path) -> None:
        if not self.enabled:
            return
        filled = int(30 * number / self.total)
        bar = "#" * filled + "-" * (30 - filled)
        sys.stderr.write(f"\r[{bar}] {number}/{self.total} {path.name[:40]:<40}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
