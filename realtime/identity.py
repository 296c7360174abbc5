"""Who is on the other end of a socket or a join request: a participant by their device's session cookie,
or staff by their login."""

import weakref
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.http.cookie import parse_cookie
from django.utils import timezone

from realtime.models import Couple, Participant
from realtime.prepared import Prepared
from workshops.models import Session

DEVICE_KEY = "attune.live"  # session key: {workshop id: participant id}


def device_session_data(scope):
    """The Django session data of a socket's device, from the session cookie in its handshake (a database read:
    call it in a database thread). Empty without a cookie, or for a session that expired or never was."""
    cookie = b";".join(value for name, value in scope.get("headers", ()) if name == b"cookie")
    key = parse_cookie(cookie.decode("latin1")).get(settings.SESSION_COOKIE_NAME) if cookie else None
    if not key:
        return {}
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return store.load()
    # Django's database sessions, read with a prepared query (realtime/prepared.py): every phone's connect reads one.
    row = _session_row.first(key)
    if row is None or row[1] <= timezone.now():
        return {}
    return store.decode(row[0])


_session_row = Prepared(
    lambda key: DjangoSession.objects.filter(session_key=key).values_list("session_data", "expire_date")
)


def device_participant(django_session, workshop_id):
    mapping = django_session.get(DEVICE_KEY) or {}
    participant_id = mapping.get(str(workshop_id))
    if not participant_id:
        return None
    participant = participant_with_couple(participant_id)
    return participant if participant is not None and participant.workshop_id == workshop_id else None


# A participant and their couple, read where sockets need them as they are now (a connect, each command, a couple
# frame): prepared reads (realtime/prepared.py), the two rows in one (their columns side by side, the couple's
# empty for a participant in none).
_PARTICIPANT_COLUMNS = [field.attname for field in Participant._meta.concrete_fields]
_COUPLE_COLUMNS = [field.attname for field in Couple._meta.concrete_fields]
_participant_and_couple = Prepared(
    lambda pk: Participant.objects.filter(pk=pk).values_list(
        *_PARTICIPANT_COLUMNS, *(f"couple__{field.name}" for field in Couple._meta.concrete_fields)
    )
)
couple_by_id = Prepared(lambda couple_id: Couple.objects.filter(pk=couple_id))


def participant_with_couple(participant_id):
    """The participant as they are now (pairing changes their couple), with their couple; None if there is none."""
    return participant_from(_participant_and_couple(participant_id))


def participant_read(participant_id):
    """participant_with_couple's read, to send with others (realtime.prepared.read_together); participant_from
    makes its rows the participant."""
    return _participant_and_couple, (participant_id,)


def participant_from(rows):
    if not rows:
        return None
    row = rows[0]
    split = len(_PARTICIPANT_COLUMNS)
    participant = Participant.from_db("default", _PARTICIPANT_COLUMNS, row[:split])
    if participant.couple_id is not None:
        participant.couple = Couple.from_db("default", _COUPLE_COLUMNS, row[split:])
    return participant


def remember_participant(django_session, participant):
    mapping = dict(django_session.get(DEVICE_KEY) or {})
    mapping[str(participant.workshop_id)] = participant.pk
    django_session[DEVICE_KEY] = mapping


def session_with_workshop(session_id):
    return Session.objects.select_related("workshop__organization", "workshop__program").filter(pk=session_id).first()


_shared_sessions = weakref.WeakValueDictionary()  # session id -> the instance this process's live sockets share


def shared_session(session_id):
    """One instance of a live session (with its workshop, organization and program) for all of this process's
    sockets of it, instead of one per socket: a socket only reads it, and a room of a thousand phones held a
    thousand copies (about 2 KB each). It is read from the database by the first socket and kept while any
    socket holds it, so the sockets connecting after it (a room arrives together) do not read it again. None
    if there is no such session."""
    existing = known_session(session_id)
    if existing is not None:
        return existing
    session = session_with_workshop(session_id)
    if session is not None:
        session = _shared_sessions.setdefault(session_id, session)
    return session


def known_session(session_id):
    """The instance of a live session this process's sockets share, if any of them holds it now (no database read:
    called in the event loop); else None."""
    return _shared_sessions.get(session_id)
