from django.urls import path

from voting import views

app_name = "voting"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("open/<int:draft_pk>/", views.round_open, name="open"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/result/", views.round_result, name="result"),
    path("<int:pk>/result.json", views.round_result_json, name="result_json"),
    path("<int:pk>/receipt/<int:agency_pk>.json", views.receipt, name="receipt"),
    path("public-key/", views.public_key, name="public_key"),
    path("public-key.pem", views.public_key_pem, name="public_key_pem"),
]
