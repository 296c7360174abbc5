from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from workshops.selectors.organizations import organization_of, upcoming_sessions


@login_required
def dashboard(request, slug):
    organization = organization_of(request.user, slug)
    return render(
        request,
        "organizer/dashboard.html",
        {"organization": organization, "sessions": upcoming_sessions(organization)},
    )


@login_required
def org_create(request):
    return render(request, "organizer/dashboard.html", {"organization": None, "sessions": []})
