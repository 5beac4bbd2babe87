"""Sign-in hashes are bounded per machine; past the bound the sign-in page answers 503 with
Retry-After at once instead of holding a server thread (issue 20). Real lock files in a
folder of the test's own, real sign-ins through the page."""

from __future__ import annotations

import threading
import time

import pytest
from django.test import Client

from kintsugi.accounts.hash_slots import SignInBusy, hashing_slot
from kintsugi.accounts.models import SignInFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def one_slot(settings, tmp_path):
    settings.KINTSUGI_SIGNIN_CONCURRENCY = 1
    settings.KINTSUGI_SIGNIN_QUEUE = 0
    settings.KINTSUGI_SIGNIN_WAIT_SECONDS = 1
    settings.KINTSUGI_SIGNIN_SLOT_DIR = tmp_path / "slots"
    return settings


def _sign_in(username: str, password: str = PASSWORD):
    return Client().post("/login/", {"username": username, "password": password})


def test_a_free_slot_signs_in(one_slot, owner) -> None:
    assert _sign_in("alice").status_code == 302


def test_no_free_slot_answers_503_with_retry_after_and_counts_nothing(one_slot, owner) -> None:
    with hashing_slot():  # someone else is hashing
        started = time.monotonic()
        busy = _sign_in("alice")
        wrong = _sign_in("alice", "not-the-password")
    assert time.monotonic() - started < 5  # answered at once: the queue is empty
    for response in (busy, wrong):
        assert response.status_code == 503
        assert response["Retry-After"] == "1"
        assert "Many people are signing in" in response.content.decode()
    assert not SignInFailure.objects.exists()  # nothing was checked, nothing counted
    assert _sign_in("alice").status_code == 302  # the slot is free again


def test_a_waiting_sign_in_gets_the_slot_when_it_frees(one_slot, owner) -> None:
    one_slot.KINTSUGI_SIGNIN_QUEUE = 1
    one_slot.KINTSUGI_SIGNIN_WAIT_SECONDS = 10
    results: list[int] = []
    holding = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with hashing_slot():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)
    waiter = threading.Thread(target=lambda: results.append(_sign_in("alice").status_code))
    waiter.start()
    time.sleep(0.3)
    # The queue (1) is full now: a third sign-in is refused at once.
    assert _sign_in("alice").status_code == 503
    release.set()
    waiter.join(20)
    thread.join(5)
    assert results == [302]


def test_a_wait_that_runs_out_is_busy(one_slot) -> None:
    one_slot.KINTSUGI_SIGNIN_QUEUE = 5
    with hashing_slot():
        outcome: list[object] = []

        def second() -> None:
            try:
                with hashing_slot():
                    outcome.append("got it")
            except SignInBusy as busy:
                outcome.append(busy.retry_after)

        started = time.monotonic()
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(10)
    assert outcome == [1]
    assert 0.9 <= time.monotonic() - started < 8


def test_slots_are_per_machine_and_several_may_hash(one_slot) -> None:
    one_slot.KINTSUGI_SIGNIN_CONCURRENCY = 2
    with hashing_slot(), hashing_slot(), pytest.raises(SignInBusy), hashing_slot():
        pass
    files = sorted(p.name for p in (one_slot.KINTSUGI_SIGNIN_SLOT_DIR).iterdir())
    assert files == ["signin-slot-0.lock", "signin-slot-1.lock"]


def test_an_unwritable_slot_folder_does_not_stop_sign_in(one_slot, owner, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    one_slot.KINTSUGI_SIGNIN_SLOT_DIR = blocker / "slots"
    assert _sign_in("alice").status_code == 302


def test_the_admin_login_refuses_a_busy_attempt_without_counting_it(one_slot, admin_user):
    with hashing_slot():
        response = Client().post(
            "/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"}
        )
    assert response.status_code == 200  # the admin's form, not signed in
    assert "_auth_user_id" not in response.client.session
    assert not SignInFailure.objects.exists()
