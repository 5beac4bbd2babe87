"""People, read-only: for picking owners and authors by username."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from kintsugi.accounts.models import User
from kintsugi.api.pagination import paginate
from kintsugi.api.schemas.common import ErrorOut
from kintsugi.api.schemas.teams import UserPage, UserQuery

router = Router(tags=["users"])


@router.get("/users", response={200: UserPage, 401: ErrorOut, 422: ErrorOut})
def list_users(request: HttpRequest, params: Query[UserQuery]) -> dict[str, object]:
    """Active users only, without e-mail addresses: enough to pick someone, no more."""
    users = User.objects.filter(is_active=True).order_by("username")
    if params.q and params.q.strip():
        words = params.q.strip()
        users = users.filter(
            Q(username__icontains=words)
            | Q(first_name__icontains=words)
            | Q(last_name__icontains=words)
        )
    return paginate(request, users, params)
