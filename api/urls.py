from django.urls import path, re_path

from api import views

app_name = "api"
urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("schemas/bundle-v1.json", views.bundle_schema, name="bundle_schema"),
    path("open-data.zip", views.open_data, name="open_data"),
    path("drafts", views.drafts, name="drafts"),
    path("drafts/<int:pk>", views.draft, name="draft"),
    path("drafts/<int:pk>/versions", views.versions, name="versions"),
    path("drafts/<int:pk>/versions/<int:number>", views.version, name="version"),
    path("drafts/<int:pk>/versions/<int:number>/akn.xml", views.version_akn, name="version_akn"),
    path("comments", views.comments, name="comments"),
    path("dispositions", views.dispositions, name="dispositions"),
    path("rounds", views.rounds, name="rounds"),
    path("rounds/<int:pk>", views.round_detail, name="round"),
    path("exports", views.exports, name="exports"),
    path("exports/<int:pk>", views.export, name="export"),
    path("exports/<int:pk>/<slug:name>.xml", views.export_document, name="export_document"),
    # Anything else under /api/ answers in JSON too.
    re_path(r"^.+$", views.not_found),
]
