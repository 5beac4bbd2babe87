"""Personal API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.accounts.tokens import (
    api_token_issue,
    api_token_own,
    api_token_revoke,
    api_tokens_of,
)
from kintsugi.web.forms.tokens import TokenForm

TEMPLATE = "web/tokens.html"


def _render(
    request: HttpRequest, form: TokenForm, *, raw: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "nav": "tokens",
        "form": form,
        "raw_token": raw,
        "tokens": api_tokens_of(user=request.user),
        "now": timezone.now(),
    }
    template = f"{TEMPLATE}#tokens" if request.htmx else TEMPLATE
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    # The page may hold a secret: never keep it in a cache or the history snapshot.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """POST answers with the page itself (no redirect): the raw token exists only in this
    response, never in the session or a cookie."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, raw = api_token_issue(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
            return _render(request, TokenForm(), raw=raw)
        return _render(request, form, status=422)
    return _render(request, TokenForm())


@require_POST
def token_revoke(request: HttpRequest, token_pk: int) -> HttpResponse:
    # Another person's token is "not found", as one that does not exist.
    token = api_token_own(user=request.user, pk=token_pk)
    if token is None:
        raise Http404("No such API token.")
    api_token_revoke(user=request.user, token=token)
    if request.htmx:
        return _render(request, TokenForm())
    return redirect("api-tokens")
