"""Login is required everywhere except the login page, static files and the API.

The API authenticates each request itself (token or session) and answers 401 in JSON; a
redirect to an HTML login page would only confuse scripts.

An htmx request from someone whose session ended must not get the login page swapped into
a section of the post-mortem: it gets ``HX-Redirect``, a full-page visit to the login page
that returns to the page (not the fragment) afterwards.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django_htmx.http import HttpResponseClientRedirect

OPEN_PREFIXES = ("/api/", "/static/", "/healthz")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):  # type: ignore[no-untyped-def]
        if request.headers.get("HX-Request") != "true":
            return super().handle_no_permission(request, view_func)
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        page = current.path if current.path.startswith("/") else "/"
        if current.query:
            page += "?" + current.query
        login = redirect_to_login(
            page, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
        )
        return HttpResponseClientRedirect(login["Location"])
