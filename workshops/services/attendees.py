"""Organizers write to a workshop's couples: everyone confirmed, or everyone on the waitlist.

One e-mail per couple, queued (workshops.mail_queue) in one transaction, so a failure queues none. What the
organizer wrote is kept only in the queue, which forgets sent e-mail after MAIL_KEEP_HOURS. It is sent as they
wrote it; the greeting and signature around it are in each couple's language.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops import emails
from workshops.errors import DomainError
from workshops.models import Enrollment, Workshop

AUDIENCES = {
    "confirmed": (gettext_lazy("Nobody to write to: no couple is confirmed yet."), Enrollment.Status.CONFIRMED),
    "waitlist": (gettext_lazy("Nobody to write to: the waitlist is empty."), Enrollment.Status.WAITLISTED),
}
MAX_SUBJECT = 150
MAX_BODY = 5000


def recipients(workshop, audience):
    """The enrollments a message to ``audience`` goes to, in the order the enrollments page lists them."""
    if audience not in AUDIENCES:
        raise DomainError(_("Choose the confirmed couples or the waitlist."), field="audience")
    status = AUDIENCES[audience][1]
    order = ("confirmed_at", "id") if status == Enrollment.Status.CONFIRMED else ("waitlisted_at", "id")
    return workshop.enrollments.filter(status=status).select_related("workshop__organization").order_by(*order)


def message_check(*, workshop, audience, subject, body):
    """The message as it will be sent ((subject, body) cleaned), or a DomainError naming the field at fault."""
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise DomainError(_("Give the message a subject."), field="subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(_("Keep the subject to %(count)s characters.") % {"count": MAX_SUBJECT}, field="subject")
    if not body:
        raise DomainError(_("Write the message."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_("Keep the message to %(count)s characters.") % {"count": MAX_BODY}, field="body")
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("The workshop is cancelled; its couples were told by e-mail."), code="cancelled")
    if not recipients(workshop, audience).exists():
        raise DomainError(AUDIENCES[audience][0], field="audience")
    return subject, body


@transaction.atomic
def message_send(*, workshop, audience, subject, body):
    """Queue the message for every couple of the audience. Returns how many e-mails were queued."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    subject, body = message_check(workshop=workshop, audience=audience, subject=subject, body=body)
    sent = 0
    for enrollment in recipients(workshop, audience):
        emails.attendee_message(enrollment, subject, body)
        sent += 1
    return sent
