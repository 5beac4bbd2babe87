"""``kintsugi unlock_signin [USERNAME] [--address ADDRESS]``: lift a sign-in lock now.

For the person on the phone who is locked out and has since found their password: waiting
out the window (``LOGIN_FAILURE_WINDOW_MINUTES``) is the alternative.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.accounts.models import SignInFailure
from kintsugi.accounts.throttle import account_key


class Command(BaseCommand):
    help = "Forget the failed sign-ins of USERNAME (any letter case) and/or of an address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="The username as typed.")
        parser.add_argument(
            "--address", default="", help="A client address (IPv6: its /64, as logged)."
        )

    def handle(self, *args: Any, username: str, address: str, **options: Any) -> None:
        if not username and not address:
            raise CommandError("Name a USERNAME, an --address, or both.", returncode=2)
        removed = 0
        if username:
            removed += SignInFailure.objects.filter(account=account_key(username)).delete()[0]
        if address:
            removed += SignInFailure.objects.filter(address=address.strip()).delete()[0]
        self.stdout.write(f"Forgot {removed} failed sign-in(s); the lock, if any, is lifted.")
