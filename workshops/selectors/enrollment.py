from django.db.models import Count, Q

from workshops.models import Enrollment, WaitlistOffer


def enrollment_counts(workshop):
    """The one count of a workshop's seats, which every page and the API show.

    Each couple is counted once: ``confirmed`` hold a place, ``offered`` are waitlisted couples a pending offer
    holds a seat for, ``waitlisted`` wait without an offer, ``free`` seats are neither confirmed nor held. So
    confirmed + offered + free is the capacity, and the waitlist is offered + waitlisted couples long.
    """
    counts = workshop.enrollments.aggregate(
        confirmed=Count("id", filter=Q(status=Enrollment.Status.CONFIRMED)),
        on_waitlist=Count("id", filter=Q(status=Enrollment.Status.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=Enrollment.Status.CANCELLED)),
    )
    offered = WaitlistOffer.objects.filter(
        enrollment__workshop=workshop,
        enrollment__status=Enrollment.Status.WAITLISTED,
        status=WaitlistOffer.Status.PENDING,
    ).count()
    return {
        "confirmed": counts["confirmed"],
        "offered": offered,
        "waitlisted": counts["on_waitlist"] - offered,
        "cancelled": counts["cancelled"],
        "free": max(0, workshop.capacity_couples - counts["confirmed"] - offered),
    }


def seats_taken(workshop):
    """Confirmed couples plus seats held by pending waitlist offers."""
    counts = enrollment_counts(workshop)
    return counts["confirmed"] + counts["offered"]


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
