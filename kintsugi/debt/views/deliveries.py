"""Every delivery and failure, visible: what was sent, to whom, and what went wrong."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kintsugi.accounts.models import User
from kintsugi.debt.clock import get_clock
from kintsugi.debt.models import Delivery, DeliveryStatus
from kintsugi.debt.services.deliveries import delivery_retry_now
from kintsugi.postmortems import access

PAGE_SIZE = 50


def visible_deliveries(user: User) -> QuerySet[Delivery]:
    """The deliveries ``user`` may see (``access.deliveries_visible_to`` decides)."""
    return Delivery.objects.filter(access.deliveries_visible_to(user))


def deliveries(request: HttpRequest) -> HttpResponse:
    rows = visible_deliveries(request.user).select_related("team", "action_item")
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    counts = dict(
        visible_deliveries(request.user).order_by().values_list("status").annotate(n=Count("id"))
    )
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The link to an item carries its incident's id: only for incidents the reader may see.
    items = [d for d in page.object_list if d.action_item_id]
    hidden = access.hidden_among({d.action_item.incident_id for d in items}, [request.user])
    unseen = hidden[request.user.pk]
    context = {
        "nav": "debt",
        "debt_nav": "deliveries",
        "page": page,
        "linkable": {d.pk for d in items if d.action_item.incident_id not in unseen},
        "status": status,
        "statuses": DeliveryStatus.choices,
        "counts": counts,
        "may_retry": access.can_retry_deliveries(request.user),
        "now": get_clock().now(),
    }
    return render(request, "debt/deliveries.html", context)


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(visible_deliveries(request.user), pk=pk)
    delivery_retry_now(user=request.user, delivery=delivery, now=get_clock().now())
    return redirect("debt-deliveries")
