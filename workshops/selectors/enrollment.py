from django.db.models import Count, Q

from workshops.models import Enrollment, WaitlistOffer


def seats_taken(workshop):
    """Confirmed couples plus seats held by pending waitlist offers."""
    confirmed = workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED).count()
    held = WaitlistOffer.objects.filter(enrollment__workshop=workshop, status=WaitlistOffer.Status.PENDING).count()
    return confirmed + held


def enrollment_counts(workshop):
    counts = workshop.enrollments.aggregate(
        confirmed=Count("id", filter=Q(status=Enrollment.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Enrollment.Status.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=Enrollment.Status.CANCELLED)),
    )
    counts["offered"] = WaitlistOffer.objects.filter(
        enrollment__workshop=workshop, status=WaitlistOffer.Status.PENDING
    ).count()
    counts["free"] = max(0, workshop.capacity_couples - counts["confirmed"] - counts["offered"])
    return counts


def waitlist(workshop):
    """Waitlisted couples in the order they will be offered a seat, each with its pending offer (or None).

    Call services.enrollment.waitlist_refresh first to apply expired offers.
    """
    entries = list(workshop.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("waitlisted_at", "id"))
    pending = {
        offer.enrollment_id: offer
        for offer in WaitlistOffer.objects.filter(enrollment__in=entries, status=WaitlistOffer.Status.PENDING)
    }
    return [(entry, pending.get(entry.pk)) for entry in entries]
