import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers once the database answers.

    A database that is down is the one failure this page exists to report, so it is a 503
    in JSON (what a probe parses), not the HTML 500 page. The driver's reason goes to the
    log only: it can name hosts and users, and this page needs no sign-in.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("healthz: the database did not answer: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={"Retry-After": "10", "Cache-Control": "no-store"},
        )
    return JsonResponse({"status": "ok"})
