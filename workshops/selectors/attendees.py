"""The attendee list organizers export: who holds a place or waits, how to reach them and in which language, what
they answered at registration. Nothing the couples wrote in a session or gave as feedback: the server holds none of
it readable, and none of it belongs in a list with names. Its headings, statuses and language names are in the
organizer's language; its times stay in digits (2030-05-10 18:00), which every spreadsheet sorts."""

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from config.i18n import language_name
from workshops.models import Enrollment, RegistrationAnswer
from workshops.selectors.enrollment import waitlist


def attendee_table(workshop):
    """(header, rows): the confirmed couples in the order they got their place, then the waitlist in offer order.
    Cells are plain values; the CSV writer makes them safe for spreadsheets."""
    zone = ZoneInfo(workshop.timezone)
    questions = list(workshop.questions.all())
    confirmed = list(workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED).order_by("confirmed_at", "id"))
    waiting = waitlist(workshop)
    people = [(e, str(Enrollment.Status.CONFIRMED.label)) for e in confirmed] + [
        (
            e,
            (_("Waitlist %(position)s (offered a seat)") if offer else _("Waitlist %(position)s"))
            % {"position": position},
        )
        for position, (e, offer) in enumerate(waiting, start=1)
    ]
    answers = {}
    for answer in RegistrationAnswer.objects.filter(enrollment__in=[e for e, _status in people]):
        answers[(answer.enrollment_id, answer.question_id)] = answer.value
    header = [
        _("Name or pseudonym"),
        _("E-mail"),
        _("Status"),
        _("Language of their e-mails"),
        _("Registered (%(zone)s)") % {"zone": workshop.timezone},
        *[q.label for q in questions],
    ]
    rows = [
        [
            e.display_name,
            e.contact_email,
            status,
            language_name(e.language),
            f"{e.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
            *[answers.get((e.pk, q.pk), "") for q in questions],
        ]
        for e, status in people
    ]
    return header, rows
