"""Which address and which account a sign-in attempt counts against."""

from __future__ import annotations

from django.test import RequestFactory

from kintsugi.accounts.throttle import account_key, client_address


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().post("/login/", **extra))


def test_remote_addr_counts_and_forwarded_for_is_ignored_by_default(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert _address("192.0.2.1", "203.0.113.5") == "192.0.2.1"


def test_a_trusted_proxy_hop_is_read_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert _address("10.0.0.2", "6.6.6.6, 203.0.113.5") == "203.0.113.5"
    settings.TRUSTED_PROXY_HOPS = 2
    assert _address("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.9") == "203.0.113.5"
    # Fewer entries than trusted proxies: the request skipped them; use the peer.
    assert _address("10.0.0.2", "203.0.113.5") == "10.0.0.2"
    settings.TRUSTED_PROXY_HOPS = 1
    assert _address("10.0.0.2", "not-an-address") == "10.0.0.2"
    assert _address("", "") == "unknown"


def test_ipv6_counts_per_64(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    one = _address("2001:db8:1:2::1")
    assert one == _address("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert _address("2001:db8:1:3::1") != one


def test_account_keys_fold_case_and_compatibility_forms():
    assert account_key("Alice") == account_key("ALICE") == account_key("ａｌｉｃｅ")  # noqa: RUF001
    assert account_key("alice") != account_key("alicia")
    assert account_key("") == "" and account_key(None) == ""
    assert len(account_key("x" * 10_000)) == 64
