from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from workshops.errors import DomainError
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
