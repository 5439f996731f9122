from django.urls import path

from impact import views

app_name = "impact"
urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/r<int:number>/", views.assessment_detail, name="revision"),
    path("<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("<int:pk>/history/", views.assessment_history, name="history"),
    path("<int:pk>/calculator/", views.calculator_page, name="calculator"),
    path("<int:pk>/obligations/add/", views.obligation_add, name="obligation_add"),
    path("<int:pk>/obligations/<slug:key>/edit/", views.obligation_edit, name="obligation_edit"),
    path(
        "<int:pk>/obligations/<slug:key>/remove/", views.obligation_remove, name="obligation_remove"
    ),
]
