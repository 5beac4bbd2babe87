"""GitHub's example from "Validating webhook deliveries" (docs.github.com/webhooks/securing):
secret "It's a Secret to Everybody", payload "Hello, World!" gives
sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17."""

from __future__ import annotations

from kintsugi.core.trackers.signatures import github_signature, github_signature_ok, gitlab_token_ok

DOC_SECRET = "It's a Secret to Everybody"
DOC_BODY = b"Hello, World!"
DOC_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_it_matches_githubs_documented_example():
    assert github_signature(DOC_BODY, DOC_SECRET) == DOC_SIGNATURE
    assert github_signature_ok(DOC_BODY, DOC_SIGNATURE, DOC_SECRET)


def test_it_refuses_a_wrong_body_header_or_secret():
    assert not github_signature_ok(DOC_BODY + b" ", DOC_SIGNATURE, DOC_SECRET)
    assert not github_signature_ok(DOC_BODY, DOC_SIGNATURE.upper(), DOC_SECRET)
    assert not github_signature_ok(DOC_BODY, "", DOC_SECRET)
    assert not github_signature_ok(DOC_BODY, DOC_SIGNATURE, "other")
    assert not github_signature_ok(DOC_BODY, "sha1=" + DOC_SIGNATURE[7:], DOC_SECRET)


def test_an_empty_secret_never_matches():
    assert not github_signature_ok(DOC_BODY, github_signature(DOC_BODY, ""), "")
    assert not gitlab_token_ok("", "")


def test_gitlab_token_is_compared_exactly():
    assert gitlab_token_ok("s3cret", "s3cret")
    assert not gitlab_token_ok("s3cret ", "s3cret")
    assert not gitlab_token_ok("S3CRET", "s3cret")
    assert not gitlab_token_ok("é", "s3cret")
