"""The REST API at /api/v1/: one NinjaAPI, one router per area, one error shape.

Every endpoint requires authentication (token or session). The OpenAPI schema is served
at /api/v1/openapi.json and the interactive docs at /api/v1/docs, from the Swagger files
bundled with Django Ninja (no CDN: the app must work offline).
"""

from __future__ import annotations

from ninja import Swagger

from kintsugi.api.auth import api_auth
from kintsugi.api.handlers import install_error_handlers
from kintsugi.api.routers import (
    action_items,
    documents,
    factors,
    incidents,
    lessons,
    services,
    teams,
    timeline,
    users,
)
from kintsugi.api.transport import KintsugiAPI

api = KintsugiAPI(
    title="Kintsugi API",
    version="1",
    description="Blameless post-mortems: incidents, timelines, contributing factors, "
    "lessons and action items. See docs/api.md.",
    urls_namespace="api",
    auth=api_auth,
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

for module in (
    incidents,
    documents,
    timeline,
    factors,
    lessons,
    action_items,
    teams,
    services,
    users,
):
    api.add_router("", module.router)
api.add_router("", "kintsugi.api.routers.lint.router")  # blameless language (issue 4)
api.add_router("", "kintsugi.api.routers.five_whys.router")  # 5 Whys (issue 3)
api.add_router("", "kintsugi.api.routers.insights.router")  # Insights (issue 16)
api.add_router("", "kintsugi.api.routers.trackers.router")  # trackers (issue 17)
api.add_router("", "kintsugi.api.routers.reviews.router")  # reviews and comments (issue 18)
api.add_router("", "kintsugi.api.routers.search.router")  # Search (issue 18)
api.add_router("", "kintsugi.api.routers.history.router")  # History (issue 18)
api.add_router("", "kintsugi.api.routers.administration.router")  # administration (issue 19)
