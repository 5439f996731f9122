from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from drafts import views as draft_views


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", draft_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("sovaz.accounts.urls")),
    path("drafts/", include("drafts.urls")),
    path("impact/", include("impact.urls")),
    path("discussions/", include("discussions.urls")),
    path("voting/", include("voting.urls")),
    path("eparliament/", include("eparliament.urls")),
    path("reports/", include("reports.urls")),
    path("live/", include("live.urls")),
    path("api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
