from django.urls import path

from kintsugi.reviews import meeting_views, views

urlpatterns = [
    path("incidents/<int:pk>/review/", views.review_section, name="review"),
    path("incidents/<int:pk>/review/request/", views.review_request, name="review-request"),
    path("incidents/<int:pk>/review/decide/", views.review_decide, name="review-decide"),
    path("incidents/<int:pk>/review/publish/", views.review_publish, name="review-publish"),
    path("incidents/<int:pk>/review/send-back/", views.review_send_back, name="review-send-back"),
    path("incidents/<int:pk>/review/waivers/", views.waiver_add, name="review-waive"),
    path(
        "incidents/<int:pk>/review/waivers/<int:waiver_pk>/delete/",
        views.waiver_remove,
        name="review-unwaive",
    ),
    path("incidents/<int:pk>/comments/", views.comments_section, name="comments"),
    path("incidents/<int:pk>/comments/new/", views.thread_start, name="thread-start"),
    path(
        "incidents/<int:pk>/comments/<int:thread_pk>/reply/",
        views.thread_reply,
        name="thread-reply",
    ),
    path(
        "incidents/<int:pk>/comments/<int:thread_pk>/resolve/",
        views.thread_resolve,
        name="thread-resolve",
    ),
    # The review meeting: agenda, notes, follow-up to the attendees.
    path("incidents/<int:pk>/meeting/", meeting_views.meeting_page, name="review-meeting"),
    path(
        "incidents/<int:pk>/meeting/notes/",
        meeting_views.meeting_notes,
        name="review-meeting-notes",
    ),
    path(
        "incidents/<int:pk>/meeting/follow-up/",
        meeting_views.meeting_follow_up,
        name="review-meeting-follow-up",
    ),
]
