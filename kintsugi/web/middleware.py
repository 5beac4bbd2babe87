"""Login is required everywhere except the login page, static files and the API.

The API authenticates each request itself (token or session) and answers 401 in JSON; a
redirect to an HTML login page would only confuse scripts.

An htmx request from someone whose session ended must not get the login page swapped into
a section of the post-mortem: it gets ``HX-Redirect``, a full-page visit to the login page
that returns to the page (not the fragment) afterwards.

Every response also carries the Content Security Policy and the Permissions Policy from the
settings (``ContentSecurityPolicyMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django_htmx.http import HttpResponseClientRedirect

from kintsugi.web import csp

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


# Django's own error pages in DEBUG (the yellow traceback, the URL list of a 404) are styled
# and scripted inline; in development only, they may be.
_DEBUG_PAGE_RELAXATION = {"script-src": ("'unsafe-inline'",), "style-src": ("'unsafe-inline'",)}


def relaxed_for_debug_pages(policy: str) -> str:
    """``policy`` with inline script and style allowed, for DEBUG's error pages only."""
    return csp.with_sources(policy, _DEBUG_PAGE_RELAXATION)


class ContentSecurityPolicyMiddleware:
    """Puts ``CONTENT_SECURITY_POLICY`` and ``PERMISSIONS_POLICY`` on every response.

    The policy allows no inline script, style or event handler: an HTML injection that gets
    past escaping runs nothing. A response that set its own policy (the standalone HTML
    export, with its one embedded stylesheet) keeps it. It sits outside WhiteNoise, so that
    static files carry it too (an SVG opened on its own is a document).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = settings.CONTENT_SECURITY_POLICY
            if settings.DEBUG and response.status_code in (404, 500):
                policy = relaxed_for_debug_pages(policy)
            response["Content-Security-Policy"] = policy
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
