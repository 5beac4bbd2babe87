"""The page a browser gets when Django's CSRF check refuses a form.

Django renders a custom ``403_csrf.html`` with the request only, not the reason. One
reason deserves its own words: ``Origin: null``, which browsers send for every form on a
page served with ``Referrer-Policy: no-referrer`` (added by a proxy or an extension).
Reloading does not help there, unlike an expired token, so the page says what will.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_ORIGIN_NULL = "Origin checking failed - null "


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    context = {"origin_null": reason.startswith(_ORIGIN_NULL)}
    return render(request, "403_csrf.html", context, status=403)
