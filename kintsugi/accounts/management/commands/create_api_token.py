"""``kintsugi create-api-token USER NAME``: issue a personal API token for scripts.

The secret is printed once, alone on stdout (so ``TOKEN=$(kintsugi create-api-token ...)``
works); only its hash is stored, so it cannot be shown again. Notes go to stderr.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.accounts.tokens import MAX_NAME, api_token_issue

# A hundred years: longer is "never" (leave the option out), and far larger counts overflow
# the date arithmetic instead of giving a token.
MAX_EXPIRY_DAYS = 36_500


class Command(BaseCommand):
    help = "Create a personal API token for USER, named NAME, and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("name", help="What the token is for, e.g. 'ci-pipeline'.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Expire the token after this many days (default: never).",
        )

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.", returncode=2)
        if not user.is_active:
            raise CommandError(f"The user {username!r} is deactivated.", returncode=2)
        label = name.strip()
        if not label or len(label) > MAX_NAME:
            raise CommandError(f"The token name must be 1 to {MAX_NAME} characters.", returncode=2)
        days = options["expires_in_days"]
        if days is not None and not 1 <= days <= MAX_EXPIRY_DAYS:
            raise CommandError(
                f"--expires-in-days must be from 1 to {MAX_EXPIRY_DAYS:,} "
                "(leave it out for a token that never expires).",
                returncode=2,
            )
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, raw = api_token_issue(user=user, name=label, expires_at=expires_at)
        self.stdout.write(raw)
        until = f", expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else ""
        self.stderr.write(
            f"Token {token.name!r} for {user.username} ({token.prefix}…){until}. "
            "Store it now: it will not be shown again."
        )
