"""A bound on how many password hashes run at once on this machine (issue 20).

Checking a password is slow on purpose (PBKDF2, a million rounds): 42 sign-ins at once
took 1.3 s each at the median and held every core and every server thread, so pages
waited too. The hash keeps its strength; instead at most ``KINTSUGI_SIGNIN_CONCURRENCY``
hashes run at once across every process on the machine (a lock file per slot in
``KINTSUGI_SIGNIN_SLOT_DIR``, released by the kernel however its holder exits), at most
``KINTSUGI_SIGNIN_QUEUE`` sign-ins of a process wait for a slot, and none waits longer
than ``KINTSUGI_SIGNIN_WAIT_SECONDS``. Past either limit the sign-in is answered at once
with 503 and ``Retry-After``: a person retries in a moment, and the server threads stay
free for everyone already signed in.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("kintsugi.security")

_POLL_SECONDS = 0.02
_lock = threading.Lock()
_waiting = [0]
_warned = [False]


class SignInBusy(Exception):
    """Every hashing slot is taken and the queue is full or the wait is over."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Many people are signing in right now.")
        self.retry_after = retry_after


def slots() -> int:
    return int(settings.KINTSUGI_SIGNIN_CONCURRENCY)


def _try_slot(folder: Path, count: int) -> int | None:
    """A held slot's file descriptor, or None when all ``count`` are held."""
    for index in range(count):
        fd = os.open(folder / f"signin-slot-{index}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of the machine's hashing slots for the block, or raise SignInBusy."""
    folder = Path(settings.KINTSUGI_SIGNIN_SLOT_DIR)
    wait = float(settings.KINTSUGI_SIGNIN_WAIT_SECONDS)
    retry_after = max(1, round(wait))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = _try_slot(folder, slots())
    except OSError as error:
        # A folder that cannot be written must not stop people from signing in.
        if not _warned[0]:
            _warned[0] = True
            logger.warning("Sign-in hashing slots unavailable (%s); not bounding them", error)
        fd = -1
    if fd == -1:
        yield
        return
    if fd is None:
        with _lock:
            if _waiting[0] >= int(settings.KINTSUGI_SIGNIN_QUEUE):
                raise SignInBusy(retry_after)
            _waiting[0] += 1
        try:
            deadline = time.monotonic() + wait
            while fd is None:
                if time.monotonic() >= deadline:
                    raise SignInBusy(retry_after)
                time.sleep(_POLL_SECONDS)
                fd = _try_slot(folder, slots())
        finally:
            with _lock:
                _waiting[0] -= 1
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
