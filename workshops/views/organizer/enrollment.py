"""Organizer pages for a workshop's enrollments: the lists, cancelling a place, resending a personal link."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from workshops.errors import DomainError
from workshops.models import Enrollment, RegistrationAnswer
from workshops.selectors import enrollment as enrollment_selectors
from workshops.services import enrollment as enrollment_services
from workshops.views.organizer.base import confirm_page, org_page, render_page
from workshops.views.organizer.scheduling import workshop_or_404

# Each enrollment's answers to the registration questions, in the questions' order.
ANSWERS = Prefetch("answers", queryset=RegistrationAnswer.objects.select_related("question"))


@org_page("schedule.view", section="workshops")
def enrollments(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    # Applies expired offers and offers free seats, so what is shown is what holds now.
    enrollment_services.waitlist_refresh(workshop=workshop)
    confirmed = list(
        workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED)
        .order_by("confirmed_at", "id")
        .prefetch_related(ANSWERS)
    )
    waitlist = enrollment_selectors.waitlist(workshop)
    prefetch_related_objects([entry for entry, _offer in waitlist], ANSWERS)
    return render_page(
        request,
        "organizer/enrollments.html",
        organization,
        "workshops",
        workshop=workshop,
        counts=enrollment_selectors.enrollment_counts(workshop),
        questions=list(workshop.questions.all()),
        confirmed=confirmed,
        waitlist=waitlist,
        cancelled=workshop.enrollments.filter(status=Enrollment.Status.CANCELLED).order_by("-cancelled_at", "id"),
    )


def _enrollment(workshop, pk):
    return get_object_or_404(Enrollment, pk=pk, workshop=workshop)


@org_page("enrollment.manage", methods=("GET", "POST"), section="workshops")
def enrollment_cancel(request, organization, pk, enrollment_pk):
    workshop = workshop_or_404(organization, pk)
    enrollment = _enrollment(workshop, enrollment_pk)
    back = reverse("enrollments", args=[organization.slug, workshop.pk])
    if request.method == "GET":
        names = {"name": enrollment.display_name}
        if enrollment.status == Enrollment.Status.CONFIRMED:
            title, button = _("Cancel %(name)s's place?") % names, _("Cancel the place")
        else:
            title, button = _("Cancel %(name)s's waitlist spot?") % names, _("Cancel the waitlist spot")
        return confirm_page(
            request,
            organization,
            "workshops",
            title=title,
            text=_(
                "They get an e-mail saying their place is cancelled. A freed seat is offered to the next couple on "
                "the waitlist by e-mail."
            ),
            button=button,
            cancel_url=back,
        )
    try:
        enrollment_services.enrollment_cancel(enrollment=enrollment, by="organizer")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is cancelled.") % {"name": enrollment.display_name})
    return redirect(back)


@org_page("enrollment.manage", methods=("POST",), section="workshops")
def enrollment_resend(request, organization, pk, enrollment_pk):
    workshop = workshop_or_404(organization, pk)
    enrollment = _enrollment(workshop, enrollment_pk)
    try:
        enrollment_services.enrollment_resend_invitation(enrollment=enrollment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new personal link went to %(name)s; the old one stopped working.") % {"name": enrollment.display_name},
        )
    return redirect("enrollments", slug=organization.slug, pk=workshop.pk)
