"""Minimum data, short life: couple content is deleted after the organization's retention period, and each
partner can export and erase what they wrote. Anonymous feedback has no author, so it can be neither."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from realtime import events
from realtime.models import (
    Couple,
    CoupleEntry,
    CoupleSpace,
    HelpRequest,
    PairingRequest,
    Participant,
    Presence,
    ProcessedCommand,
)
from workshops.models import Workshop


def deletion_date(workshop):
    """When this workshop's couple content is deleted: its last session's end plus the retention period."""
    last_end = workshop.sessions.aggregate(last=Max("ends_at"))["last"]
    if last_end is None:
        return None
    return last_end + timedelta(days=workshop.organization.retention_days)


def workshops_past_retention(now=None):
    now = now or timezone.now()
    due = []
    candidates = Workshop.objects.filter(couples__isnull=False).select_related("organization").distinct()
    for workshop in candidates.annotate(last_end=Max("sessions__ends_at")):
        if workshop.last_end and workshop.last_end + timedelta(days=workshop.organization.retention_days) <= now:
            due.append(workshop)
    return due


@transaction.atomic
def purge_workshop(workshop):
    """Delete everything couples and participants left in a workshop: content, requests, names."""
    counts = {
        "entries": CoupleEntry.objects.filter(space__couple__workshop=workshop).delete()[0],
        "spaces": CoupleSpace.objects.filter(couple__workshop=workshop).delete()[0],
        "help_requests": HelpRequest.objects.filter(session__workshop=workshop).delete()[0],
    }
    PairingRequest.objects.filter(couple__workshop=workshop).delete()
    Presence.objects.filter(session__workshop=workshop).delete()
    counts["participants"] = Participant.objects.filter(workshop=workshop).delete()[0]
    counts["couples"] = Couple.objects.filter(workshop=workshop).delete()[0]
    return counts


def purge_expired(now=None):
    """For the periodic maintenance job. Returns how many workshops were purged (counts only, no content)."""
    purged = 0
    for workshop in workshops_past_retention(now):
        purge_workshop(workshop)
        purged += 1
    return purged


def _written_by(participant):
    """Every entry this participant owns: their private entries, and the shared items they last wrote (also the
    ones removed since, whose rows remain)."""
    return CoupleEntry.objects.filter(
        Q(scope__in=[f"p{participant.pk}", f"p{participant.pk}.2"]) | Q(scope="shared", author=participant),
        space__couple__workshop_id=participant.workshop_id,
    )


@transaction.atomic
def erase_mine(participant, session):
    """Erase every row this participant owns but the participant itself (their name stays until the workshop's
    retention ends, so the phone keeps taking part): their entries, private help requests and pairing exchanges.
    The bookkeeping of their sockets and message ids holds no content and is pruned within a day. Returns the
    number of entries erased (the visible ones: a removed item was already gone for them). The couple's phones
    in `session` (the live session the device is in) show it gone."""
    entries = _written_by(participant)
    erased = entries.filter(deleted=False).count()
    entries.delete()
    HelpRequest.objects.filter(participant=participant).delete()
    PairingRequest.objects.filter(joiner=participant).delete()
    if participant.couple_id:
        events.couple_changed(session, participant.couple_id)
    return erased


def prune_bookkeeping(now=None):
    """Forget applied message ids after a day (a retry comes within seconds) and presence rows of dead sockets."""
    now = now or timezone.now()
    ProcessedCommand.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    Presence.objects.filter(last_seen__lt=now - timedelta(hours=1)).delete()
