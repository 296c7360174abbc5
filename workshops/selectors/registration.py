"""Where a workshop's registration stands, so every page words it for the state it is in."""

from django.utils import timezone

from workshops.models import Workshop


def registration_phase(workshop, now=None):
    """One of: ``draft`` (opens once published), ``not_yet`` (published, opens later), ``open``, ``closed`` (its
    closing time passed) and ``cancelled``. The same rules as services.enrollment.registration_state."""
    now = now or timezone.now()
    if workshop.status == Workshop.Status.CANCELLED:
        return "cancelled"
    if workshop.status == Workshop.Status.DRAFT:
        return "draft"
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        return "closed"
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        return "not_yet"
    return "open"
