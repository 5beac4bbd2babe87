"""The one thing the WSGI entry point does before Django: give an API request's chunked
body, as the server decoded it, a length.

Kept out of ``kintsugi.api`` so that ``kintsugi.wsgi`` (which ``kintsugi serve`` loads)
imports no app: the API's guard (``kintsugi.api.transport``) reads the mark set here and
answers in the API's error shape.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# 1 MiB: a very long post-mortem in JSON or Markdown is a few hundred KiB. Bigger bodies
# are refused before they are read, so a client cannot make the server buffer them.
MAX_BODY_BYTES = 1024 * 1024
# The methods whose body the API checks (its schema documents 411 and 413 on them).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# Put in the WSGI environ by ``sized_chunked_bodies`` when a decoded chunked body is over
# the limit (PEP 3333 leaves keys with a dot to servers and middleware).
CHUNKED_BODY_TOO_LARGE = "kintsugi.chunked_body_too_large"


def sized_chunked_bodies(application: WSGIApplication) -> WSGIApplication:
    """Around the WSGI application: an API request's chunked body, as the server decoded
    it, handed to Django with a Content-Length, up to the limit.

    Django builds its request to read exactly Content-Length bytes, so without one it
    would see an empty body and, for example, lint nothing and answer 200. gunicorn
    decodes the chunks and says so (``wsgi.input_terminated``); then the body is read
    here, before Django reads anything, and the request goes on as if it had been sent
    with its length. Done in the WSGI environ (public, PEP 3333) rather than by giving
    Django's request another body, which only its private attributes allow. A server
    that hands over the raw chunks (Django's development server) sets no such flag: the
    guard answers a clear 411 instead (``body_refused``).
    """

    def with_sized_bodies(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO", "").startswith("/api/")
            and environ.get("REQUEST_METHOD", "").upper() in BODY_METHODS
            and environ.get("wsgi.input_terminated")
            and not (environ.get("CONTENT_LENGTH") or "").strip()
            and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            data = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
            if len(data) > MAX_BODY_BYTES:
                environ[CHUNKED_BODY_TOO_LARGE] = True  # refused by the guard, in JSON
            else:
                environ["wsgi.input"] = io.BytesIO(data)
                environ["CONTENT_LENGTH"] = str(len(data))
                del environ["HTTP_TRANSFER_ENCODING"]  # decoded: no longer chunked
        return application(environ, start_response)

    return with_sized_bodies
