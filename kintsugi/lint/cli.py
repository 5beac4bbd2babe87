"""``kintsugi lint``: lint Markdown post-mortems without a database or Django settings.

Exit status: 0 no findings, 1 findings, 2 bad usage or unreadable input (with a one-line
reason on stderr). Files that can be read are still linted and reported when another
input is unreadable; the exit status is then 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import LintConfig, find_config, get_linter, load_config
from kintsugi.core.language.config import PROFILES
from kintsugi.lint.document import all_rules, lint_document
from kintsugi.lint.inputs import InputError, expand_paths, read_text
from kintsugi.lint.report import PathFinding, format_json, format_text, summary

PROG = "kintsugi lint"
FORMATS = ("text", "json", "sarif")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and exits; we want one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Check Markdown post-mortems for blameful language, missing template sections "
            "and action items without an owner, ticket or date."
        ),
        epilog="Exit status: 0 clean, 1 findings, 2 bad usage or unreadable input. "
        "Docs: docs/lint.md",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="Markdown files or folders ('-' for stdin)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: nearest kintsugi-lint.toml, or pyproject.toml "
        "with [tool.kintsugi.lint])",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        help="strict (default): every template section and action-item field, for "
        "post-mortems written in Kintsugi's template; relaxed: for documents written "
        "elsewhere, only what any post-mortem needs, each gap reported once "
        "(overrides 'profile' in the configuration file)",
    )
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kintsugi lint`` with ``argv`` (without the program name); return the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        if not args.paths and not args.list_rules:
            raise UsageError("no PATH given (try: kintsugi lint postmortems/)")
        if args.config and args.no_config:
            raise UsageError("--config and --no-config cannot be used together")
        config = _config(args.config, args.no_config)
        if args.profile:
            config = dataclasses.replace(config, profile=args.profile)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=err)
        return EXIT_ERROR
    except ValidationProblem as error:
        print(f"{PROG}: error: {' '.join(str(error).split())}", file=err)
        return EXIT_ERROR
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)

    if args.list_rules:
        for rule in all_rules(config):
            print(f"{rule.id:<32} {rule.severity.value:<8} {rule.title}", file=out)
        return EXIT_OK

    linter = get_linter(config)
    results: list[PathFinding] = []
    failed = False
    files = 0
    for path in expand_paths(args.paths):
        try:
            text = read_text(path)
        except InputError as error:
            print(f"{PROG}: error: {error}", file=err)
            failed = True
            continue
        files += 1
        display = "<stdin>" if path == "-" else path
        results.extend(PathFinding(display, f) for f in lint_document(text, linter=linter))

    out.write(_render(args.format, results, config))
    if failed:  # stderr then holds only the one-line reasons
        return EXIT_ERROR
    if not args.quiet and args.format == "text":
        print(summary(results, files), file=err)
    return EXIT_FINDINGS if results else EXIT_OK


def _config(path: str | None, disabled: bool) -> LintConfig:
    if disabled:
        return LintConfig()
    found = Path(path) if path else find_config(Path.cwd())
    return load_config(found) if found else LintConfig()


def _render(fmt: str, results: list[PathFinding], config: LintConfig) -> str:
    if fmt == "json":
        return format_json(results)
    if fmt == "sarif":
        from kintsugi.lint.sarif import format_sarif  # only SARIF users pay for the import

        return format_sarif(results, all_rules(config), docs_url=config.docs_url)
    return format_text(results)
