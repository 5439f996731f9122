from django.urls import path

from drafts import views

app_name = "drafts"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_create, name="create"),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/publish/", views.version_publish, name="publish"),
    path("<int:pk>/history/", views.version_history, name="history"),
    path("<int:pk>/v<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/diff/", views.version_diff, name="diff"),
    path("<int:pk>/status/", views.draft_status, name="status"),
]
