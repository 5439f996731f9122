from django.urls import path

from discussions import views

app_name = "discussions"
urlpatterns = [
    path("drafts/<int:draft_pk>/", views.draft_discussion, name="draft"),
    path("drafts/<int:draft_pk>/comment/", views.comment_create, name="create"),
    path("drafts/<int:draft_pk>/dispositions/", views.disposition_table, name="dispositions"),
    path("drafts/<int:draft_pk>/dispositions.csv", views.disposition_csv, name="dispositions_csv"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("comments/<int:pk>/report/", views.comment_report, name="report"),
    path("comments/<int:pk>/moderate/", views.comment_moderate, name="moderate"),
    path("comments/<int:pk>/answer/", views.comment_dispose, name="dispose"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("users/<int:pk>/block/", views.user_block, name="block"),
    path("notifications/", views.notification_list, name="notifications"),
]
