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


def _mine(participant):
    return CoupleEntry.objects.filter(
        Q(scope__in=[f"p{participant.pk}", f"p{participant.pk}.2"]) | Q(scope="shared", author=participant),
        space__couple__workshop_id=participant.workshop_id,
        deleted=False,
    )


def export_mine(participant):
    """Everything this participant wrote (their private entries and the shared items they last edited)."""
    return {
        "name": participant.display_name,
        "workshop": participant.workshop.title,
        "deleted_after": (deletion_date(participant.workshop) or timezone.now()).isoformat(),
        "entries": [
            {
                "session_id": e.space.session_id,
                "step_index": e.step_index,
                "kind": e.kind,
                "key": e.key,
                "passed": e.passed,
                "payload": e.payload,
                "updated_at": e.updated_at.isoformat(),
            }
            for e in _mine(participant).select_related("space").order_by("space__session_id", "step_index", "pk")
        ],
    }


@transaction.atomic
def erase_mine(participant, session):
    """Erase what this participant wrote. Returns the number of entries erased. The couple's phones in `session`
    (the live session the device is in) show it gone."""
    erased = _mine(participant).delete()[0]
    if participant.couple_id:
        events.couple_changed(session, participant.couple_id)
    return erased


def prune_bookkeeping(now=None):
    """Forget applied message ids after a day (a retry comes within seconds) and presence rows of dead sockets."""
    now = now or timezone.now()
    ProcessedCommand.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    Presence.objects.filter(last_seen__lt=now - timedelta(hours=1)).delete()
