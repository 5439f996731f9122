from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sovaz import ratelimit
from sovaz.accounts.forms import LoginForm, RegistrationForm
from sovaz.accounts.services import user_register


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Only wrong passwords count, so people switching accounts are never locked out.
        ratelimit.check("login", ratelimit.client_ip(request))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.record("login", ratelimit.client_ip(self.request))
        return super().form_invalid(form)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Accounts made per address are limited; a typo in the form costs nothing.
        ratelimit.check("register", ratelimit.client_ip(request))
        if form.is_valid():
            try:
                user = user_register(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                ratelimit.record("register", ratelimit.client_ip(request))
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                target = request.POST.get("next", "")
                if url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    return redirect(target)
                return redirect("home")
        status = 400
    return render(request, "accounts/register.html", {"form": form}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("agency").order_by("agency__code")
    return render(request, "accounts/profile.html", {"memberships": memberships})
