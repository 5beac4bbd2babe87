from django.urls import path

from kintsugi.sso import views

urlpatterns = [
    path("sso/login/", views.sso_login, name="sso-login"),
    path("sso/callback/", views.sso_callback, name="sso-callback"),
    path("sso/backchannel-logout/", views.backchannel_logout, name="sso-backchannel-logout"),
]
