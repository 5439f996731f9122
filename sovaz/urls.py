from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from drafts import views as draft_views


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the PDF, the JSON API);
    the icon is the SVG in static/, under its hashed name once collected."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("", draft_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
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
