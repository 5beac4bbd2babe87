"""Tokens sealed with the key(s) from the environment (Fernet, MultiFernet for rotation)."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.sealing import SealingError, new_key, reseal, seal, unseal


def test_a_sealed_token_opens_with_its_key_and_does_not_show_it():
    key = new_key()
    sealed = seal("ghp_secret_value", key)
    assert "ghp_secret_value" not in sealed
    assert unseal(sealed, key) == "ghp_secret_value"


def test_rotation_new_key_first_then_reseal_then_drop_the_old():
    old, new = new_key(), new_key()
    sealed = seal("glpat-xyz", old)
    assert unseal(sealed, f"{new},{old}") == "glpat-xyz"  # both open during the switch
    again = reseal(sealed, f"{new}, {old}")
    assert unseal(again, new) == "glpat-xyz"
    with pytest.raises(SealingError, match="none of the keys"):
        unseal(sealed, new)


@pytest.mark.parametrize("keys", ["", " , ", "not-a-key", "x" * 44, ",".join([new_key()] * 11)])
def test_no_or_bad_key_is_refused_clearly(keys):
    with pytest.raises(SealingError, match="KINTSUGI_ENCRYPTION_KEY"):
        seal("token", keys)


@pytest.mark.parametrize("token", ["", "   ", "with space", "x" * 4097])
def test_a_malformed_token_is_refused(token):
    with pytest.raises(ValidationProblem, match="without spaces"):
        seal(token, new_key())


def test_garbage_is_not_opened():
    with pytest.raises(SealingError):
        unseal("garbage\u00e9", new_key())
