"""The ``kintsugi`` command: Django's management commands behind one entry point.

``kintsugi lint`` is dispatched before Django is imported so that linting Markdown needs
no settings and no database, and starts fast.

Every configuration error (a malformed or unsafe setting, a database that cannot be reached
or is not migrated) is one line on stderr and exit 2, found before a command starts: a
server that starts anyway only fails later, one request at a time (docs/operations.md,
"Configuration errors").
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
    "unlock-signin": "unlock_signin",
    "check-migrations": "check_migrations",
    "search-index": "search_index",
}
# What lists or describes commands: needs the installed apps, not a valid configuration.
HELP = {"help", "--help", "-h", "version", "--version"}
# Django's commands that never open a database connection.
NO_DATABASE = {
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "findstatic",
    "makemessages",
    "makemigrations",
    "sendtestemail",
    "startapp",
    "startproject",
}
# Commands that read or write the schema itself, so cannot require it to be up to date.
SCHEMA_COMMANDS = {
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "squashmigrations",
    "optimizemigration",
    "dbshell",
    "flush",
    "sqlflush",
    "sqlsequencereset",
    "inspectdb",
    "createcachetable",
    "dumpdata",
    "loaddata",
    "shell",
    "test",
    "testserver",
    # A backup reads whatever schema is there; a restore brings its own.
    "backup",
    "restore",
    # Reads the migrations' SQL, whatever this database has applied.
    "check_migrations",
}


def main(argv: list[str] | None = None) -> int:
    args = _identity(list(sys.argv[1:] if argv is None else argv))
    if args is None:
        print("kintsugi: --as needs a username: kintsugi --as USERNAME <command>", file=sys.stderr)
        return 2
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
    if args and args[0] == "serve":
        _share_metrics_between_processes()
    from kintsugi.config import ConfigurationError, relax_checks

    command = args[0] if args else "help"
    if command in HELP or "--help" in args or "-h" in args:
        relax_checks()
    try:
        if not (command in HELP or "--help" in args or "-h" in args):
            _preflight(command)
        from django.core.management import execute_from_command_line

        execute_from_command_line(["kintsugi", *args])
    except ConfigurationError as error:
        print(f"kintsugi: {error}", file=sys.stderr)
        return 2
    return 0


def _share_metrics_between_processes() -> None:
    """``serve`` forks several processes: each must count requests into files one scrape
    adds up (prometheus_client's multiprocess mode), chosen before prometheus_client is
    first imported, which happens while the URLs are checked at start-up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="kintsugi-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


def _identity(args: list[str]) -> list[str] | None:
    """``kintsugi --as USERNAME <command> ...``: the identity given before the command, for
    every command that acts as someone (kintsugi/postmortems/cli_identity.py), passed on
    as ``KINTSUGI_CLI_USER``. None when ``--as`` has no name after it."""
    if not args or not (args[0] == "--as" or args[0].startswith("--as=")):
        return args
    if args[0] == "--as":
        if len(args) < 2 or not args[1].strip() or args[1].startswith("-"):
            return None
        name, rest = args[1], args[2:]
    else:
        name, rest = args[0].removeprefix("--as="), args[1:]
        if not name.strip():
            return None
    os.environ["KINTSUGI_CLI_USER"] = name.strip()
    return rest


def _preflight(command: str) -> None:
    """Load the settings, then reach the database if ``command`` needs it."""
    import django

    django.setup()
    from django.core.management import get_commands

    app = get_commands().get(command)
    if app is None or command in NO_DATABASE:
        return  # Django answers an unknown command itself
    check_database(schema=command not in SCHEMA_COMMANDS and _ours(app))


def _ours(app: str) -> bool:
    """Kintsugi's commands and Django's few account commands use the app's tables."""
    return app.startswith("kintsugi") or app in ("django.contrib.auth", "django.contrib.sessions")


def check_database(*, schema: bool) -> None:
    """Connect once (and, with ``schema``, compare the migrations) or raise one line."""
    from django.conf import settings
    from django.db import DatabaseError, connection

    from kintsugi.config import ConfigurationError, redact_url

    url = os.environ.get("DATABASE_URL")
    where = (
        f"DATABASE_URL={redact_url(url)!r}"
        if url
        else f"the default SQLite database {str(settings.DATABASES['default']['NAME'])!r}"
    )
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise ConfigurationError(
            f"Cannot connect to {where}: {_first_line(error)}. Check that the database server "
            "runs and that DATABASE_URL names its host, port, database, user and password."
        ) from None
    if not schema:
        return
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise ConfigurationError(
            f"Cannot read the migrations of {where}: {_first_line(error)}."
        ) from None
    if pending:
        raise ConfigurationError(
            f"The database at {where} lacks {len(pending)} migration(s); run `kintsugi migrate`."
        )


def _first_line(error: BaseException) -> str:
    """The driver's reason without its multi-line hints (psycopg adds a second line)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text.rstrip(".")


if __name__ == "__main__":
    sys.exit(main())
