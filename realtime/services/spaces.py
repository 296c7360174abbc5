"""Each couple's space in a session: made when the session starts (for every couple it has then) and when a
couple forms (for the session its phones are in), at version 0, which is how a couple without one shows
(realtime.snapshots_couple.space_of): no frame is needed. A couple's first write makes one still missing.
Reading never makes one."""

from django.db import transaction

from realtime.models import Couple, CoupleSpace
from realtime.snapshots_couple import space_of


def make_spaces(session, couple_ids):
    """The spaces of these couples in this session, where they have none yet (one INSERT)."""
    spaces = [CoupleSpace(session=session, couple_id=couple_id, version=0) for couple_id in couple_ids]
    CoupleSpace.objects.bulk_create(spaces, ignore_conflicts=True)


def make_workshop_spaces(session):
    """A space in this session for every couple of its workshop (the session starts)."""
    couples = Couple.objects.filter(workshop_id=session.workshop_id, removed_at__isnull=True)
    make_spaces(session, couples.values_list("pk", flat=True))


def space_for_write(session, couple):
    """The couple's space in this session, made if it is still missing."""
    space = space_of(session, couple)
    if space.pk is None:
        with transaction.atomic():
            space, _ = CoupleSpace.objects.get_or_create(session=session, couple=couple, defaults={"version": 0})
    return space
