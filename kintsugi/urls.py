from django.contrib import admin
from django.urls import include, path

from kintsugi.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("debt/", include("kintsugi.debt.urls")),
    path("insights/", include("kintsugi.insights.urls")),
    path("", include("kintsugi.trackers.urls")),
    path("", include("kintsugi.capture.urls")),
    path("", include("kintsugi.reviews.urls")),
    path("", include("kintsugi.history.urls")),
    path("", include("kintsugi.operations.urls")),
    path("", include("kintsugi.administration.urls")),  # /manage/, /invite/, /welcome/
    path("", include("kintsugi.sso.urls")),  # single sign-on (OpenID Connect)
    path("", include("kintsugi.web.urls")),
]

# A bad request refused before any view (a Host not in ALLOWED_HOSTS): JSON under /api/.
handler400 = "kintsugi.api.transport.bad_request"
