"""The web interface's URLs. Every ``incidents/<pk>/...`` view asks the access module first."""

from django.urls import URLPattern, include, path

from kintsugi.accounts.views import ThrottledLoginView
from kintsugi.sso.views import logout_view
from kintsugi.web.sections import ACTION_ITEMS
from kintsugi.web.views import (
    action_items,
    exports,
    factors,
    five_whys,
    health,
    imports,
    incidents,
    lessons,
    lint,
    reading,
    search,
    tickets,
    timeline,
    tokens,
)
from kintsugi.web.views.section_rows import RowViews


def _row_paths(views: RowViews) -> list[URLPattern]:
    """A list's row, edit and delete URLs, named as kintsugi/web/sections.py says."""
    key, names = views.key, views.section
    return [
        path(f"<int:{key}>/", views.row, name=names.row_url),
        path(f"<int:{key}>/edit/", views.edit, name=names.edit_url),
        path(f"<int:{key}>/delete/", views.delete, name=f"{names.row_url}-delete"),
    ]


timeline_urls = [
    path("", timeline.timeline_section, name="timeline"),
    path("add/", timeline.event_add, name="event-add"),
    *_row_paths(timeline.EVENT_VIEWS),
]

factor_urls = [
    path("", factors.factors_section, name="factors"),
    path("add/", factors.factor_add, name="factor-add"),
    *_row_paths(factors.FACTOR_VIEWS),
    path("<int:factor_pk>/evidence/add/", factors.evidence_add, name="evidence-add"),
    path(
        "<int:factor_pk>/evidence/<int:evidence_pk>/delete/",
        factors.evidence_delete,
        name="evidence-delete",
    ),
]

lesson_urls = [
    path("", lessons.lessons_section, name="lessons"),
    path("add/<str:kind>/", lessons.lesson_add, name="lesson-add"),
    *_row_paths(lessons.LESSON_VIEWS),
]

action_urls = [
    path("", action_items.action_items_section, name="action-items"),
    path("add/", action_items.action_item_add, name="action-item-add"),
    *_row_paths(
        RowViews(
            ACTION_ITEMS,
            "item_pk",
            row=action_items.action_item_row,
            edit=action_items.action_item_edit,
            delete=action_items.action_item_delete,
        )
    ),
    path("<int:item_pk>/ticket/<str:what>/", tickets.ticket_action, name="action-item-ticket"),
    path("tickets/", tickets.tickets_create_missing, name="action-items-tickets"),
]

incident_urls = [
    path("", incidents.postmortem_detail_page, name="postmortem-detail"),
    path("edit/", reading.postmortem_edit_page, name="postmortem-edit"),
    path("executive/", reading.executive_page, name="postmortem-executive"),
    *[
        item
        for section in ("header", "summary", "narrative")
        for item in (
            path(
                f"{section}/",
                incidents.incident_section,
                {"section": section},
                name=f"incident-{section}",
            ),
            path(
                f"{section}/edit/",
                incidents.incident_section_edit,
                {"section": section},
                name=f"incident-{section}-edit",
            ),
        )
    ],
    path("timeline/", include(timeline_urls)),
    path("factors/", include(factor_urls)),
    path("lessons/", include(lesson_urls)),
    path("actions/", include(action_urls)),
    path("export.<str:fmt>", exports.export, name="export"),
    path("import/confirm/", imports.import_notes_confirm, name="import-confirm"),
]

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", logout_view, name="logout"),  # and at the identity provider (kintsugi/sso)
    path("", include("kintsugi.accounts.urls")),  # account page, password change and reset
    path("healthz", health.healthz, name="healthz"),
    path("", incidents.postmortem_list, name="postmortem-list"),
    path("incidents/new/", incidents.incident_create, name="incident-create"),
    path("search/", search.search_page, name="search"),
    path("incidents/<int:pk>/similar/", search.similar_section, name="incident-similar"),
    path("import/", imports.import_page, name="postmortem-import"),
    path("import/confirm/", imports.import_confirm, name="postmortem-import-confirm"),
    path("import/owners/", imports.owners_page, name="import-owners"),
    path("incidents/<int:pk>/", include(incident_urls)),
    # The share link: the id alone, so a new title never breaks it (the read view).
    path("p/<int:pk>/", reading.postmortem_share, name="postmortem-share"),
    path("account/tokens/", tokens.tokens, name="api-tokens"),
    path("account/tokens/<int:token_pk>/revoke/", tokens.token_revoke, name="api-token-revoke"),
]

# Blameless-language hints while writing, and the post-mortem's blamelessness summary.
urlpatterns += [
    path("lint/field/", lint.lint_field, name="lint-field"),
    path("incidents/<int:pk>/lint/", lint.incident_lint, name="incident-lint"),
]

# The 5 Whys editor (issue 3): every write answers with the whole section.
five_whys_urls = [
    path("", five_whys.analysis_section, name="five-whys"),
    path("add/", five_whys.why_add, name="why-add"),
    path("check/", five_whys.why_check, name="why-check"),
    path("<int:node_pk>/edit/", five_whys.why_edit, name="why-edit"),
    path("<int:node_pk>/delete/", five_whys.why_delete, name="why-delete"),
    path("<int:node_pk>/move/<str:direction>/", five_whys.why_move, name="why-move"),
    path(
        "<int:node_pk>/branch/<str:direction>/", five_whys.why_branch_move, name="why-branch-move"
    ),
    path("<int:node_pk>/root-cause/", five_whys.why_root_cause, name="why-root-cause"),
    path("<int:node_pk>/links/", five_whys.why_links, name="why-links"),
]
urlpatterns += [
    path("incidents/<int:pk>/five-whys/", include(five_whys_urls)),
    # The section's old address (until issue 15), kept so bookmarks and scripts keep working:
    # the same views under the namespace "analysis-path", so its URLs are never what a page
    # links to (templates reverse the names above) but are still checked for access.
    path("incidents/<int:pk>/analysis/", include((five_whys_urls, "analysis-path"))),
]
