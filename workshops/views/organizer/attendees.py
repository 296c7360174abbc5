"""Organizer pages for a workshop's couples: add one by hand, export the attendee list, write to them all."""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops import emails, forms, forms_language
from workshops.errors import DomainError
from workshops.selectors import attendees as attendee_selectors
from workshops.services import attendees as attendee_services
from workshops.services import enrollment as enrollment_services
from workshops.views.organizer.base import form_status, org_page, post_data, render_page
from workshops.views.organizer.scheduling import workshop_or_404

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _enrollments_url(organization, workshop):
    return reverse("enrollments", args=[organization.slug, workshop.pk])


@org_page("enrollment.manage", methods=("GET", "POST"), section="workshops")
def enrollment_add(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    # The couple's e-mails are in the language the organizer chooses, preset to their own.
    form = forms_language.with_language(forms.AddCoupleForm(post_data(request)), "couple")
    if request.method == "POST" and form.is_valid():
        try:
            enrollment, _raw = enrollment_services.enrollment_add_by_organizer(workshop=workshop, **form.cleaned_data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            names = {"name": enrollment.display_name}
            if enrollment.status == enrollment.Status.CONFIRMED:
                done = _("%(name)s has a place; their e-mail with their personal link is on its way.") % names
            else:
                done = (
                    _(
                        "The workshop is full, so %(name)s is on the waitlist; their e-mail with their personal link "
                        "is on its way."
                    )
                    % names
                )
            messages.success(request, done)
            return redirect(_enrollments_url(organization, workshop) + f"#enrollment-{enrollment.pk}")
    return render_page(
        request,
        "organizer/enrollment_add.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
    )


def safe_cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@org_page("enrollment.view", section="workshops")
def attendees_export(request, organization, pk):
    """The confirmed couples and the waitlist as CSV: names or pseudonyms, contact e-mails, status and the answers
    to the registration questions. Nothing the couples wrote in a session or in feedback (the server has none)."""
    workshop = workshop_or_404(organization, pk)
    enrollment_services.waitlist_refresh(workshop=workshop)
    header, rows = attendee_selectors.attendee_table(workshop)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    # A byte-order mark, so spreadsheet apps read names in any script as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="attendees-{workshop.public_id}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@org_page("enrollment.manage", methods=("GET", "POST"), section="workshops")
def attendees_message(request, organization, pk):
    """Write, preview (with the number of couples it goes to), then send. Sending re-checks the number: if it
    changed since the preview, the preview is shown again with the new number instead."""
    workshop = workshop_or_404(organization, pk)
    initial = {"audience": request.GET.get("to") if request.GET.get("to") in attendee_services.AUDIENCES else None}
    form = forms.MessageForm(post_data(request), initial=initial)
    preview = None
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid() and action in ("preview", "send"):
        data = form.cleaned_data
        try:
            subject, body = attendee_services.message_check(workshop=workshop, **data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            recipients = list(attendee_services.recipients(workshop, data["audience"]))
            if action == "send" and request.POST.get("expected") == str(len(recipients)):
                sent = attendee_services.message_send(workshop=workshop, **data)
                messages.success(
                    request,
                    ngettext(
                        "Your message is on its way to %(count)s couple.",
                        "Your message is on its way to %(count)s couples.",
                        sent,
                    )
                    % {"count": sent},
                )
                return redirect(_enrollments_url(organization, workshop))
            preview = {
                "count": len(recipients),
                "changed": action == "send",
                "first": recipients[0],
                "subject": subject,
                "text": emails.attendee_message_text(recipients[0], body),
            }
    return render_page(
        request,
        "organizer/attendees_message.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
        preview=preview,
    )
