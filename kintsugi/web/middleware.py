"""Login is required everywhere except the login page, static files and the API.

The API authenticates each request itself (token or session) and answers 401 in JSON; a
redirect to an HTML login page would only confuse scripts.
"""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

OPEN_PREFIXES = ("/api/", "/static/", "/healthz")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
