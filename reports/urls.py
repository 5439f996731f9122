from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drafts/<int:pk>/", views.draft_report, name="draft"),
    path("drafts/<int:pk>/report.pdf", views.draft_report_pdf, name="draft_pdf"),
    path("drafts/<int:pk>/comments.csv", views.comments_csv, name="comments_csv"),
    path("drafts/<int:pk>/dispositions.csv", views.dispositions_csv, name="dispositions_csv"),
    path("drafts/<int:pk>/votes.csv", views.votes_csv, name="votes_csv"),
]
