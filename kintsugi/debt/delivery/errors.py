"""The one error a transport raises: what went wrong, in words an operator can act on.

Its own module so the transports (``email``, ``slack``) and the package that picks them
(``__init__``) import it without importing each other.
"""

from __future__ import annotations


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after  # seconds the server asked us to wait (429)
