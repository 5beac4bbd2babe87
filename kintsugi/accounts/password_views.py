"""The account page, changing one's password, and resetting a forgotten one by email.

A new password, however it is set, revokes the person's API tokens (``signals.py``) and
signs out their other sessions: Django keeps a hash of the password in each session, and a
session whose hash no longer matches is signed out at its next request. Changing the
password keeps the session that changed it (``update_session_auth_hash``); a reset keeps
none signed in.

The old password asked for on the change page is a password guess like a sign-in: it goes
through the same throttle (``kintsugi.accounts.throttle``), so that a stolen session cannot
be used to find the password out. The reset form never says whether an account has the
address typed (``reset_mail``, ``reset_throttle``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from kintsugi.accounts import reset_mail, reset_throttle, throttle
from kintsugi.accounts.forms import ResetRequestForm
from kintsugi.accounts.tokens import api_tokens_of

logger = logging.getLogger("kintsugi.security")

SIGNED_OUT_ELSEWHERE = (
    "Your other sessions are signed out, and your API tokens are revoked: "
    "create new ones for your scripts."
)


def sso_only_refusal(request: HttpRequest) -> HttpResponse | None:
    """With ``KINTSUGI_SSO_ONLY`` there is no password to reset: the reset pages say so and
    point to the identity provider (a GET is answered, a POST refused with 403)."""
    if not settings.SSO_ONLY:
        return None
    issuer = urlsplit(settings.SSO_ISSUER or settings.SSO_DISCOVERY_URL)
    web = issuer.scheme in ("https", "http") and issuer.netloc
    context = {
        "provider": f"{issuer.scheme}://{issuer.netloc}/" if web else "",
        "provider_host": issuer.netloc if web else "",
        "sso_label": settings.SSO_LABEL,
    }
    status = 200 if request.method in ("GET", "HEAD") else 403
    return render(request, "accounts/password_reset_sso.html", context, status=status)


class AccountView(TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        active = [t for t in api_tokens_of(user=self.request.user) if t.is_active]
        context.update(nav="account", active_tokens=len(active))
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.user.get_username()
        found = throttle.lockout(request, username)
        if found is None:
            return super().post(request, *args, **kwargs)
        throttle.refused(request, username, found)
        context = self.get_context_data(
            form=self.get_form_class()(request.user),
            throttle_message=found.message(throttle.clock()),
        )
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = found.retry_after(throttle.clock())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        if "old_password" in form.errors:
            throttle.record_failure(self.request, self.request.user.get_username())
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves, keeps this session signed in
        throttle.record_success(form.user.get_username())
        messages.success(self.request, f"Your password is changed. {SIGNED_OUT_ELSEWHERE}")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(nav="account", **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an address; answers the same whether or not an account has it."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset_request.html"
    success_url = reverse_lazy("password-reset-sent")

    @method_decorator(login_not_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return sso_only_refusal(request) or super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = reset_throttle.address_lockout(request)
        if found is None:
            return super().post(request, *args, **kwargs)
        context = self.get_context_data(
            form=self.get_form_class()(), throttle_message=reset_throttle.lockout_message(found)
        )
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = found.retry_after(throttle.clock())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # Junk counts against the address too, so that it cannot be sent without limit.
        reset_throttle.record(self.request, "")
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        may_send = reset_throttle.record(self.request, email)
        outgoing = reset_mail.messages_for(form.get_users(email), email)
        if may_send:
            reset_mail.send_in_background(outgoing)
        elif outgoing:
            logger.warning(
                "Password reset email not sent: too many requests for one address (%s)",
                throttle.account_key(email)[:12],
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(minutes=settings.PASSWORD_RESET_TIMEOUT // 60, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    @method_decorator(login_not_required)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A link sent before single sign-on became the only way in sets no password now.
        return sso_only_refusal(request) or super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The mailbox proved who this is: failed sign-ins no longer lock them out.
        throttle.record_success(form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
