"""A team set up from nothing to its first published post-mortem, in Chromium, without the
Django admin or a shell (issue 19): a site admin creates the team and invites its lead (the
link read from a real SMTP server on loopback), the lead accepts, sets a password, creates
the team's service, invites a member; the member accepts; the lead writes a post-mortem and
publishes it through the review workflow (kintsugi/reviews).

The shortest legitimate path through the review: the publish checklist's open problems are
waived with a reason each (the workflow's own way to accept them), the member is asked to
review and approves (nobody reviews their own request), the lead publishes."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from kintsugi.accounts.models import User
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Membership, Service
from tests.administration.conftest import link_path, smtp  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

LEAD_PASSWORD = "lead-chooses-a-long-passphrase-1"
MEMBER_PASSWORD = "member-chooses-another-passphrase-2"


def _mail_to(sink, address: str, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in sink.messages:
            if message["To"] == address:
                return message
        time.sleep(0.05)
    raise AssertionError(f"no email to {address}: {[m['To'] for m in sink.messages]}")


def _sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def _accept(page, sink, address: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(link_path(_mail_to(sink, address)))
    expect(page.get_by_test_id("invitation-for")).to_contain_text(address)
    page.get_by_test_id("invite-username").fill(username)
    page.get_by_test_id("invite-password1").fill(password)
    page.get_by_test_id("invite-password2").fill(password)
    page.get_by_test_id("invitation-accept").click()
    expect(page.get_by_test_id("first-run-guide")).to_be_visible()


def test_a_lead_sets_up_a_team_and_publishes_its_first_postmortem(page, login, admin_user, smtp):  # noqa: F811
    page.set_default_timeout(30_000)  # a long walk on a shared machine
    # The site admin: the team, then its lead invited as team admin.
    login("root")
    page.get_by_test_id("nav-admin").click()
    page.get_by_test_id("admin-link-teams").click()
    page.get_by_test_id("team-name").fill("Checkout SRE")
    page.get_by_test_id("team-slug").fill("checkout-sre")
    page.get_by_test_id("team-create").click()
    expect(page.locator("h1")).to_have_text("Checkout SRE")
    page.get_by_test_id("team-invite").click()
    page.get_by_test_id("invite-email").fill("lee@example.com")
    page.get_by_test_id("invite-role").select_option("editor")
    page.get_by_test_id("invite-team-role").select_option("admin")
    page.get_by_test_id("invite-send").click()
    expect(page.get_by_test_id("messages")).to_contain_text("Invitation sent to lee@example.com")

    # The lead: accepts, lands on the guide, sets up the team.
    _accept(page, smtp, "lee@example.com", "lee", LEAD_PASSWORD)
    page.get_by_test_id("welcome-team-admin").click()
    page.get_by_test_id("service-name").fill("Checkout API")
    page.get_by_test_id("service-slug").fill("checkout-api")
    page.get_by_test_id("service-create").click()
    expect(page.locator("[data-testid=team-service][data-slug=checkout-api]")).to_be_visible()
    page.get_by_test_id("team-invite").click()
    page.get_by_test_id("invite-email").fill("mo@example.com")
    page.get_by_test_id("invite-team-role").select_option("editor")
    page.get_by_test_id("invite-send").click()
    expect(page.get_by_test_id("messages")).to_contain_text("Invitation sent to mo@example.com")

    # The member accepts; the guide leads to the team's post-mortems.
    _accept(page, smtp, "mo@example.com", "mo", MEMBER_PASSWORD)
    page.get_by_test_id("welcome-continue").click()
    page.wait_for_url("**/?team=checkout-sre")

    # The lead writes the post-mortem.
    _sign_in(page, "lee", LEAD_PASSWORD)
    page.get_by_test_id("nav-new").click()
    form = page.get_by_test_id("incident-create-form")
    form.locator("[name=title]").fill("Checkout API returned errors after a config push")
    form.locator("input[name=severity][value=SEV2]").check()
    form.locator("[name=started_at]").fill("2026-12-01T09:00:00Z")
    form.locator("[name=team]").select_option(label="Checkout SRE")
    form.get_by_label("Checkout API").check()
    page.get_by_test_id("incident-create-submit").click()
    expect(page.get_by_test_id("incident-title")).to_have_text(
        "Checkout API returned errors after a config push"
    )
    url = page.url

    # The checklist's open problems, each waived with a reason; then the review asked.
    review = page.get_by_test_id("section-review")
    problems = review.get_by_test_id("check-problem")
    expect(problems.first).to_be_visible()
    for _ in range(40):
        if problems.count() == 0:
            break
        before = problems.count()
        first = problems.first
        first.get_by_test_id("waive-reason").fill(
            "First post-mortem of the team: filled in at the review meeting."
        )
        first.get_by_test_id("waive").click()
        expect(problems).not_to_have_count(before)
    expect(problems).to_have_count(0)
    review.get_by_test_id("review-reviewers").fill("mo")
    review.get_by_test_id("review-request-save").click()
    expect(review.get_by_test_id("review-status")).to_have_text("In review")

    # The member approves.
    _sign_in(page, "mo", MEMBER_PASSWORD)
    page.goto(url)
    page.get_by_test_id("section-review").get_by_test_id("review-approve").click()
    expect(page.get_by_test_id("section-review").get_by_test_id("review-status")).to_have_text(
        "Approved"
    )

    # The lead publishes.
    _sign_in(page, "lee", LEAD_PASSWORD)
    page.goto(url)
    publish = page.get_by_test_id("section-review").get_by_test_id("review-publish")
    expect(publish).to_be_enabled()
    publish.click()
    expect(page.get_by_test_id("section-review").get_by_test_id("review-status")).to_have_text(
        "Published"
    )

    incident = Incident.objects.get()
    assert incident.status == "published" and incident.team.slug == "checkout-sre"
    assert [s.slug for s in incident.services.all()] == ["checkout-api"]
    lee, mo = User.objects.get(username="lee"), User.objects.get(username="mo")
    assert Membership.objects.get(user=lee).role == "admin"
    assert (mo.role, Membership.objects.get(user=mo).role) == ("viewer", "editor")
    assert Service.objects.get(slug="checkout-api").team == incident.team
    assert not User.objects.filter(is_staff=True).exclude(username="root").exists()
    assert page.js_errors == []
