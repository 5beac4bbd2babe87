"""The administration pages under /manage/ (the Django admin keeps /admin/), and the
invitation link and first-run guide."""

from django.urls import path

from kintsugi.administration.views import onboarding, pages, teams, users

urlpatterns = [
    path("manage/", pages.home, name="administration"),
    path("manage/users/", users.user_list, name="admin-users"),
    path("manage/invite/", users.invite, name="admin-invite"),
    path(
        "manage/invitations/<int:invitation_id>/withdraw/",
        users.invitation_withdraw,
        name="admin-invitation-withdraw",
    ),
    path("manage/users/<str:username>/", users.user_detail, name="admin-user"),
    path("manage/users/<str:username>/active/", users.user_active, name="admin-user-active"),
    path("manage/users/<str:username>/role/", users.user_role, name="admin-user-role"),
    path(
        "manage/users/<str:username>/tokens/<int:token_pk>/revoke/",
        users.user_token_revoke,
        name="admin-user-token-revoke",
    ),
    path("manage/teams/", teams.team_list, name="admin-teams"),
    path("manage/my-team/", teams.my_team, name="admin-my-team"),
    path("manage/teams/<slug:slug>/", teams.team_detail, name="admin-team"),
    path("manage/teams/<slug:slug>/members/", teams.member_add, name="admin-member-add"),
    path("manage/teams/<slug:slug>/review/", teams.team_approvals, name="admin-team-approvals"),
    path(
        "manage/teams/<slug:slug>/members/<str:username>/role/",
        teams.member_role,
        name="admin-member-role",
    ),
    path(
        "manage/teams/<slug:slug>/members/<str:username>/remove/",
        teams.member_remove,
        name="admin-member-remove",
    ),
    path("manage/services/", teams.service_list, name="admin-services"),
    path(
        "manage/services/<slug:service_slug>/rename/",
        teams.service_rename,
        name="admin-service-rename",
    ),
    path("manage/severities/", pages.severities, name="admin-severities"),
    path("manage/severities/<str:level>/", pages.severity_edit, name="admin-severity-edit"),
    path("manage/audit/", pages.audit, name="admin-audit"),
    path("manage/language/", pages.language, name="admin-language"),
    path("invite/<str:token>/", onboarding.invitation_accept, name="invitation-accept"),
    path("welcome/", onboarding.welcome, name="welcome"),
]
