"""The sign-in page: Django's ``LoginView`` behind the failed sign-in throttle.

With ``KINTSUGI_SSO_ONLY`` the page offers single sign-on only and a posted password is
refused (403) without being checked. A locked account or address gets 429 and says for how long, without the password being
looked at. Failures the form catches before any password check (an empty or overlong
username) count for the address too, so that junk cannot be sent without limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from kintsugi.accounts import throttle
from kintsugi.accounts.backends import FAILURE_RECORDED, SIGNIN_BUSY

TEMPLATE = "web/login.html"
SSO_ONLY_MESSAGE = "Password sign-in is turned off here: sign in with single sign-on."
BUSY_MESSAGE = (
    "Many people are signing in at this moment, so yours was not checked. "
    "Please try again in a few seconds."
)


class ThrottledLoginView(auth_views.LoginView):
    template_name = TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=settings.SSO_ENABLED,
            sso_only=settings.SSO_ONLY,
            sso_label=settings.SSO_LABEL,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.SSO_ONLY:
            context = self.get_context_data(form=self.get_form_class()(request, data=None))
            context["throttle_message"] = SSO_ONLY_MESSAGE
            return self.render_to_response(context, status=403)
        username = request.POST.get("username", "")
        found = throttle.lockout(request, username)
        if found is None:
            return super().post(request, *args, **kwargs)
        throttle.refused(request, username, found)
        now = throttle.clock()
        form = self.get_form_class()(request, data=None)
        context = self.get_context_data(form=form, throttle_message=found.message(now))
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = found.retry_after(now)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        busy = getattr(self.request, SIGNIN_BUSY, None)
        if busy is not None:
            # No slot to check the password in (hash_slots.py): not a failure, try again.
            form = self.get_form_class()(self.request, data=None)
            context = self.get_context_data(form=form, throttle_message=BUSY_MESSAGE)
            response = self.render_to_response(context, status=503)
            response["Retry-After"] = str(busy.retry_after)
            return response
        if not getattr(self.request, FAILURE_RECORDED, False):
            throttle.record_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)
