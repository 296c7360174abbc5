"""Minimum data, short life, for registrations (docs/privacy.md §4).

A workshop's enrollments (each couple's contact e-mail, name, answers to the registration questions, waitlist
offers and sent reminders) are deleted when its last session ended more than the organization's retention period
ago, as realtime.services.retention deletes what the couples wrote. Answers of a cancelled enrollment go sooner:
once its cancellation can no longer be undone. Run by ``run_maintenance``.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from workshops.models import Enrollment, RegistrationAnswer, Workshop
from workshops.services.enrollment import CANCEL_UNDO_MINUTES


@transaction.atomic
def purge_enrollments(now=None):
    """Returns how many workshops had their enrollments deleted (a count only: nothing of what was deleted)."""
    now = now or timezone.now()
    RegistrationAnswer.objects.filter(
        enrollment__status=Enrollment.Status.CANCELLED,
        enrollment__cancelled_at__lte=now - timedelta(minutes=CANCEL_UNDO_MINUTES),
    ).delete()
    purged = 0
    candidates = Workshop.objects.filter(pk__in=Enrollment.objects.values("workshop_id")).select_related("organization")
    for workshop in candidates.annotate(last_end=Max("sessions__ends_at")):
        if workshop.last_end and workshop.last_end + timedelta(days=workshop.organization.retention_days) <= now:
            Enrollment.objects.filter(workshop=workshop).delete()
            purged += 1
    return purged
