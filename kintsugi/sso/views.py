"""Signing in with the identity provider, and signing out of both.

``/sso/login/`` sends the browser to the provider with a fresh state, nonce and PKCE
challenge (kept in the session by Authlib); ``/sso/callback/`` takes the code back,
exchanges it, checks the ID token and signs the person in. Anything wrong on the way (a
state or nonce that does not match, an error from the provider, a provider that does not
answer) is a page that says so, and no one is signed in.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from joserfc.errors import JoseError

from kintsugi.core.sso_logout import LogoutTokenError
from kintsugi.sso import client as oidc
from kintsugi.sso import sessions
from kintsugi.sso.services import Refused, sign_in

log = logging.getLogger(__name__)

BACKEND = "kintsugi.accounts.backends.UserBackend"
NEXT_KEY = "sso_next"
ID_TOKEN_KEY = "sso_id_token"  # noqa: S105 - a session key's name


def _failed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "sso/failed.html", {"message": message}, status=status)


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_GET
def sso_login(request: HttpRequest) -> HttpResponse:
    if not settings.SSO_ENABLED:
        raise Http404("Single sign-on is not set up.")
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    callback = request.build_absolute_uri(reverse("sso-callback"))
    try:
        return oidc.client().authorize_redirect(request, callback)  # type: ignore[no-any-return]
    except (requests.RequestException, ValueError, AuthlibBaseError) as error:
        log.warning("sso: cannot reach the identity provider: %s", error)
        return _failed(
            request, "The identity provider cannot be reached. Try again in a moment.", 502
        )


@login_not_required
@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not settings.SSO_ENABLED:
        raise Http404("Single sign-on is not set up.")
    if request.GET.get("error"):
        reason = request.GET.get("error_description") or request.GET["error"]
        return _failed(request, f"The identity provider refused the sign-in: {reason[:200]}", 400)
    app = oidc.client()
    try:
        token = app.authorize_access_token(request)
        claims = _claims(app, token)
    except requests.RequestException as error:
        log.warning("sso: the identity provider did not answer: %s", error)
        return _failed(request, "The identity provider did not answer. Try signing in again.", 502)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        log.warning("sso: sign-in refused: %s", error)
        return _failed(
            request,
            "This sign-in could not be verified (it may have expired or been used already). "
            "Start again from the sign-in page.",
            400,
        )
    issuer = str(app.load_server_metadata().get("issuer", ""))
    try:
        result = sign_in(issuer, claims)
    except Refused as refusal:
        return _failed(request, str(refusal), 403)
    target = request.session.get(NEXT_KEY) or reverse(settings.LOGIN_REDIRECT_URL)
    login(request, result.user, backend=BACKEND)
    request.session[ID_TOKEN_KEY] = token.get("id_token", "")
    request.session.save()  # the key the provider's back-channel logout will end
    sid = claims.get("sid")
    sessions.remember(
        issuer=issuer,
        subject=str(claims["sub"]),
        sid=sid if isinstance(sid, str) else "",
        session_key=str(request.session.session_key),
    )
    return redirect(_safe_next(request, str(target)))


def _claims(app: Any, token: Mapping[str, Any]) -> dict[str, object]:
    """The ID token's claims (already checked), completed by the userinfo endpoint's for
    the claims a provider leaves out of the ID token (groups, often)."""
    userinfo = token.get("userinfo")
    if not userinfo:
        raise ValueError("the token response carried no ID token")
    claims: dict[str, object] = dict(userinfo)
    if app.load_server_metadata().get("userinfo_endpoint"):
        extra = dict(app.userinfo(token=token))
        if extra.get("sub") != claims.get("sub"):
            raise ValueError("the userinfo subject differs from the ID token's")
        for key, value in extra.items():
            claims.setdefault(key, value)
    return claims


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Signs out here, then at the provider when it offers RP-initiated logout and the
    person signed in through it; a password sign-in just ends here."""
    id_token = request.session.get(ID_TOKEN_KEY)
    sessions.forget(request.session.session_key)
    logout(request)
    done = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    if id_token and settings.SSO_ENABLED:
        try:
            endpoint = oidc.end_session_endpoint()
        except (requests.RequestException, ValueError, AuthlibBaseError) as error:
            log.warning("sso: cannot reach the provider to sign out there: %s", error)
            endpoint = None
        if endpoint:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "post_logout_redirect_uri": done,
                    "client_id": settings.SSO_CLIENT_ID,
                }
            )
            separator = "&" if "?" in endpoint else "?"
            # A page that moves on by itself, not a redirect: the sign-out form posts here,
            # and the policy's form-action 'self' would stop a redirect to the provider.
            return render(
                request, "sso/signing_out.html", {"provider_url": f"{endpoint}{separator}{query}"}
            )
    return HttpResponseRedirect(done)


# A logout token is a few hundred bytes; anything much larger is not one.
MAX_LOGOUT_BODY = 16_384


def _logout_refused(description: str) -> JsonResponse:
    response = JsonResponse(
        {"error": "invalid_request", "error_description": description}, status=400
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the provider's server posts here, not a browser; the token is the proof
@login_not_required
@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    """OpenID Connect Back-Channel Logout: the provider says someone signed out there, and
    their Kintsugi sessions end now rather than when they expire."""
    if not settings.SSO_ENABLED:
        raise Http404("Single sign-on is not set up.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_LOGOUT_BODY + 1
    if length > MAX_LOGOUT_BODY:
        return _logout_refused(f"The body is larger than {MAX_LOGOUT_BODY} bytes.")
    token = request.POST.get("logout_token", "")
    if not token or len(token) > MAX_LOGOUT_BODY:
        return _logout_refused("Send the logout token as the form field logout_token.")
    try:
        issuer, target = sessions.verified_logout(token)
    except LogoutTokenError as refusal:
        log.warning("sso: back-channel logout refused: %s", refusal)
        return _logout_refused(str(refusal))
    except (requests.RequestException, AuthlibBaseError) as error:
        log.warning("sso: cannot fetch the provider's keys for a logout: %s", error)
        return _logout_refused("The identity provider's keys cannot be fetched.")
    ended = sessions.end_sessions(issuer, target)
    log.info("sso: back-channel logout ended %d session(s)", ended)
    response = HttpResponse(status=200)
    response["Cache-Control"] = "no-store"
    return response
