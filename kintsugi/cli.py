"""The ``kintsugi`` command: Django's management commands behind one entry point.

``kintsugi lint`` is dispatched before Django is imported so that linting Markdown needs
no settings and no database, and starts fast.
"""

from __future__ import annotations

import os
import sys

# Commands whose natural name is a Python keyword, clashes with Django's own, or has dashes.
ALIASES = {
    "import": "import_postmortem",
    "create-api-token": "create_api_token",
    "weekly-review": "weekly_review",
    "debt-tally": "debt_tally",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "lint":
        from kintsugi.lint import main as lint_main

        return lint_main(args[1:])
    if args and args[0] == "generate-secret-key":
        # Needs no settings: it is what you run before you have any.
        import secrets

        print(secrets.token_urlsafe(50))
        return 0
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
    from kintsugi.config import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["kintsugi", *args])
    except ConfigurationError as error:
        print(f"kintsugi: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
