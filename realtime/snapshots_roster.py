"""What staff see of the room, and projectors of its size: pure reads, never any content.

Per couple: names, devices online, a status (working, done, paused, needs help, offline) and whether they are
ready; the unpaired participants; the help queue. Presence rows that were not renewed for PRESENCE_TTL_S are
offline.

A couple is done at a step when it said so ("we're done"), or, at a step whose answers are revealed together,
once its answers are revealed (both answered or passed: rules.is_revealed): a couple that has seen the reveal
has finished the step whether or not it also pressed the button. That takes one read of the step's answers'
structure (who answered under which key, never what), not one per couple.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from realtime import rules
from realtime.models import PRESENCE_TTL_S, Couple, CoupleEntry, CoupleSpace, HelpRequest, Participant, Presence


def alive(now=None):
    """The presence rows renewed within PRESENCE_TTL_S."""
    return Q(last_seen__gt=(now or timezone.now()) - timedelta(seconds=PRESENCE_TTL_S))


def online_participants(session_id):
    """[(participant id, couple id)] with at least one live socket."""
    rows = (
        Presence.objects.filter(alive(), session_id=session_id, participant__isnull=False)
        .values_list("participant_id", "participant__couple_id")
        .distinct()
    )
    return list(rows)


def couples_present(session):
    """How many couples have at least one phone connected (what a projector shows)."""
    return len({couple for _, couple in online_participants(session.pk) if couple})


def _devices_online(session, now):
    """participant id -> how many of their sockets are alive."""
    online = {}
    rows = Presence.objects.filter(alive(now), session=session, participant__isnull=False).values_list("participant_id")
    for (participant_id,) in rows:
        online[participant_id] = online.get(participant_id, 0) + 1
    return online


def _open_help(session):
    return list(
        HelpRequest.objects.filter(session=session, resolved_at__isnull=True)
        .order_by("created_at")
        .values(
            "pk", "couple_id", "participant_id", "participant__display_name", "private", "created_at", "acknowledged_at"
        )
    )


def _answer_scopes(session, step_index):
    """couple id -> {key: [the scopes of its answers]} at this step of the session: one query, structure only. At
    a step of another kind there are none (a step takes only its own kind of entry: rules.check_writable)."""
    scopes = {}
    rows = CoupleEntry.objects.filter(
        space__session=session, step_index=step_index, kind=CoupleEntry.Kind.ANSWER, deleted=False
    ).values_list("space__couple_id", "key", "scope")
    for couple_id, key, scope in rows:
        scopes.setdefault(couple_id, {}).setdefault(key, []).append(scope)
    return scopes


def _all_revealed(answers, members, one_phone):
    """Every prompt the couple answered at the step is revealed to it. An answer step asks one prompt (its key
    "0"), so a couple with no answer yet has nothing revealed."""
    partner_ids = [p["pk"] for p in members]
    return bool(answers) and all(
        rules.is_revealed(scopes, partner_ids, one_phone=one_phone) for scopes in answers.values()
    )


def _status(devices, needs_help, space, done):
    if devices == 0:
        return "offline"
    if needs_help:
        return "needs_help"
    if space is not None and space["paused_by_id"]:
        return "paused"
    return "done" if done else "working"


def _couples(session, step_index, online, help_rows):
    """(rows of the roster's couples, participants by couple id: None for the unpaired). Plain rows, not model
    instances: the roster is rebuilt after every change a room makes."""
    spaces = {
        row["couple_id"]: row
        for row in CoupleSpace.objects.filter(session=session).values("couple_id", "done_step", "paused_by_id")
    }
    needs_help = {row["couple_id"] for row in help_rows}
    answers = _answer_scopes(session, step_index)
    by_couple = {}
    participants = Participant.objects.filter(workshop_id=session.workshop_id, couple__removed_at__isnull=True)
    for participant in participants.order_by("pk").values("pk", "couple_id", "display_name"):
        by_couple.setdefault(participant["couple_id"], []).append(participant)
    couples = []
    live = Couple.objects.filter(workshop_id=session.workshop_id, removed_at__isnull=True).order_by("pk")
    for couple_id, one_phone, enrollment_id, admitted_at in live.values_list(
        "pk", "one_phone", "enrollment_id", "admitted_at"
    ):
        members = by_couple.get(couple_id, [])
        devices = sum(online.get(p["pk"], 0) for p in members)
        space = spaces.get(couple_id)
        said_done = space is not None and space["done_step"] is not None and space["done_step"] == step_index
        done = said_done or _all_revealed(answers.get(couple_id), members, one_phone)
        couples.append(
            {
                "couple_id": couple_id,
                "names": " & ".join(p["display_name"] for p in members) or "(empty)",
                "partners": len(members),
                "one_phone": one_phone,
                # a walk-in couple waits for a facilitator to admit it to the anonymous feedback
                "walk_in": enrollment_id is None,
                "admitted": Couple.is_admitted(enrollment_id, admitted_at),
                "devices": devices,
                "status": _status(devices, couple_id in needs_help, space, done),
                "done": done,
            }
        )
    return couples, by_couple


def _help_queue(help_rows, couples):
    names = {couple["couple_id"]: couple["names"] for couple in couples}
    return [
        {
            "id": row["pk"],
            "couple_id": row["couple_id"],
            "names": names.get(row["couple_id"], ""),
            "private": row["private"],
            "who": row["participant__display_name"] if row["private"] else None,
            "asked_at": row["created_at"].isoformat(),
            "acknowledged": row["acknowledged_at"] is not None,
        }
        for row in help_rows
    ]


def roster(session, step_index):
    """The staff's roster frame: per couple, names, devices online, status and ready (at the step `step_index`);
    the help queue."""
    now = timezone.now()
    online = _devices_online(session, now)
    help_rows = _open_help(session)
    couples, by_couple = _couples(session, step_index, online, help_rows)
    unpaired = [
        {"participant_id": p["pk"], "name": p["display_name"], "online": online.get(p["pk"], 0) > 0}
        for p in by_couple.get(None, [])
    ]
    return {
        "type": "roster",
        "step_index": step_index,  # "done" is per step
        "couples": couples,
        "unpaired": unpaired,
        "help": _help_queue(help_rows, couples),
        "ready": sum(1 for c in couples if c["done"]),
        "couples_present": sum(1 for c in couples if c["devices"] > 0),
        "at": now.isoformat(),
    }
