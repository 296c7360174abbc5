from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config import ratelimit
from config.links import PasswordResetView
from workshops.errors import DomainError
from workshops.forms import QueuedPasswordResetForm
from workshops.services.organizations import user_sign_up


@require_http_methods(["GET", "POST"])
def signup(request):
    """A new staff account (the e-mail is the login). Afterwards: create an organization or accept an invitation."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    errors, values = {}, {"email": "", "first_name": ""}
    if request.method == "POST":
        values = {"email": request.POST.get("email", ""), "first_name": request.POST.get("first_name", "")}
        try:
            ratelimit.hit_client(ratelimit.SIGN_UP_PER_CLIENT, request)
        except ratelimit.RateLimited as limited:
            context = {"errors": errors, "values": values, "next": next_url}
            return ratelimit.page_answer(request, "registration/signup.html", context, limited)
        try:
            user = user_sign_up(password=request.POST.get("password", ""), **values)
        except DomainError as error:
            errors[error.field or "form"] = error.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "org_create")
    return render(
        request,
        "registration/signup.html",
        {"errors": errors, "values": values, "next": next_url},
        status=400 if errors else 200,
    )


class LimitedPasswordResetView(PasswordResetView):
    """Django's password reset, limited per client and per e-mail (whether or not it has an account, so the
    answer tells nothing about which addresses do): nobody's inbox can be filled with reset mails. Its e-mail is
    queued like every other."""

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        try:
            ratelimit.hit_client(ratelimit.PASSWORD_RESET_PER_CLIENT, request)
        except ratelimit.RateLimited as limited:
            return self.too_many(self.get_form(), limited)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            ratelimit.hit(ratelimit.PASSWORD_RESET_PER_EMAIL, form.cleaned_data["email"].strip().lower())
        except ratelimit.RateLimited as limited:
            return self.too_many(form, limited)
        return super().form_valid(form)

    def too_many(self, form, limited):
        return ratelimit.page_answer(self.request, self.template_name, self.get_context_data(form=form), limited)
