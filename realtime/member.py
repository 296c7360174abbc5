"""A live socket's place in its session, shared by the phone's and the staff's transports (realtime.sockets):
who it is (identified and authorized once, on connect), which groups it hears, what it may send, the commands it
runs (from the registry, realtime/registry.py) and the snapshots it gets.

Every method runs in a database thread (realtime.threads.in_db_thread), unless it says otherwise.
"""

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from feedback import snapshots as feedback_snapshots
from realtime import groups, protocol
from realtime.broadcast import encode
from realtime.identity import (
    device_participant,
    device_session_data,
    participant_from,
    participant_read,
    participant_with_couple,
)
from realtime.models import PRESENCE_RENEW_S, CoupleSpace, Participant, ProcessedCommand
from realtime.prepared import Prepared, read_together
from realtime.registry import FACILITATOR, PARTICIPANT, AlreadyApplied
from realtime.services import presence
from realtime.snapshots import (
    current_state,
    current_step_index,
    current_version,
    session_frames,
    session_public_frame,
    version_from,
    version_read,
)
from realtime.snapshots_couple import couple_frame_with
from realtime.snapshots_roster import couples_present, roster
from workshops.permissions import may_run_session

PROJECTOR = "projector"
STAFF_ROLES = (FACILITATOR, PROJECTOR)
# A process hands the session's public frames read for one connecting socket to the others connecting after it
# (a room's phones arrive together) while no change of the session reaches it, for this long at most.
PUBLIC_FRAMES_TTL_S = 2.0

# What a pong carries, read every PRESENCE_RENEW_S for every socket (realtime/prepared.py).
_couple_version = Prepared(
    lambda session_id, participant_id: CoupleSpace.objects.filter(
        session_id=session_id, couple__participants=participant_id
    ).values_list("version")
)


class PublicFrames(NamedTuple):
    """What every phone and projector of a session gets first, encoded once: the public session snapshot and the
    public feedback frame, with the state they were built from, how many prompts the session has, and how long
    a process may hand them to connecting sockets while no change of the session reaches it (Hub.remember)."""

    state: object
    session: str
    feedback: str
    prompts: int
    ttl: float

    @classmethod
    def read(cls, session):
        state = current_state(session)
        now = timezone.now()
        feedback, prompts = feedback_snapshots.feedback_public(session, state)
        ttl = PUBLIC_FRAMES_TTL_S
        if state.breakout_closes_at is not None and state.breakout_closes_at > now:
            ttl = min(ttl, (state.breakout_closes_at - now).total_seconds())  # the frame shows "closed" after
        return cls(state, encode(session_public_frame(state, now)), encode(feedback), prompts, ttl)


class FirstFrames(NamedTuple):
    """A socket's snapshots (on connect, or again on sync): the versions they carry, the frames encoded, and
    the session's public frames if they were read for it (for the process to hand on: Hub.remember)."""

    versions: dict
    frames: list
    read: PublicFrames | None


class Member:
    def __init__(self, channel_name, wanted_role):
        self.channel_name = channel_name  # its presence's key
        self.wanted_role = wanted_role if wanted_role in STAFF_ROLES else PARTICIPANT  # the role it asks for
        self.session = self.role = self.user = self.identity = None
        self.last_roster = self.last_count = None  # what this socket was sent last, to send only a change
        self.read_with_command = None  # its participant, read with the command it is running (run)

    # --- who it is ---------------------------------------------------------------------------------------------

    def admit(self, scope, public=None):
        """Identify and authorize the socket in its session (set by the socket), record its presence and read its
        first snapshots, in one trip to a database thread: (None, its FirstFrames), or (the close code that refuses
        it, None). A phone's presence is sent with its snapshots' reads, in one round trip to PostgreSQL.
        `public`: as for first_frames."""
        refused = self._identify(scope)
        if refused is not None:
            return refused, None
        entry = presence.entry(
            session_id=self.session.pk,
            channel_name=self.channel_name,
            participant_id=self.identity.pk if self.identity else None,
            role=self.role,
        )
        if self.role != PARTICIPANT:
            entry.run()
            return None, self.first_frames(public=public)
        return None, self.first_frames(fresh=True, public=public, presence=entry)

    def _identify(self, scope):
        """Staff and projectors by their login (the scope's user, through the session middleware); a phone by its
        device cookie, read here (a phone's socket needs its session data only now)."""
        if self.wanted_role in STAFF_ROLES:
            user = scope.get("user")
            if user is None or not user.is_authenticated:
                return protocol.CLOSE_UNAUTHENTICATED
            if not may_run_session(user, self.session):
                return protocol.CLOSE_FORBIDDEN
            self.user, self.role = user, self.wanted_role
            return None
        participant = device_participant(device_session_data(scope), self.session.workshop_id)
        if participant is None:
            return protocol.CLOSE_UNAUTHENTICATED
        if participant.couple is not None and participant.couple.removed_at is not None:
            return protocol.CLOSE_REMOVED
        self.identity, self.role = participant, PARTICIPANT
        return None

    def groups(self):
        """The groups whose frames this socket gets (through its process's hub). Before it is admitted, those of the
        role it asks for; a participant's own group once they are known. Called in the event loop."""
        sid = self.session.pk
        role = self.role or self.wanted_role
        if role == FACILITATOR:
            return [groups.session_staff(sid)]
        if role == PROJECTOR:
            return [groups.session_everyone(sid), groups.session_projectors(sid)]
        if self.identity is None:
            return [groups.session_everyone(sid)]
        return [groups.session_everyone(sid), groups.participant(sid, self.identity.pk)]

    def left(self):
        presence.disconnected(channel_name=self.channel_name)

    def participant(self):
        """The participant as they are now (pairing changes their couple), with their couple: read here, or, in a
        command, as it was read with the command's record (run)."""
        participant = self.read_with_command or participant_with_couple(self.identity.pk)
        if participant is None:
            raise Participant.DoesNotExist
        self.identity = participant
        return participant

    # --- what it sends -----------------------------------------------------------------------------------------

    def may_send(self, command_class):
        """Whether this socket's role may send the command (called in the event loop)."""
        return command_class.role == self.role

    def run(self, message):
        """Apply a command: (duplicate, the reply frame to send before the ack, or None). Raises LiveError.
        A participant's command is recorded and their participant read (its services start from it) in one round
        trip, which also begins the transaction."""
        if not message.once:
            try:
                return False, message.apply(self)
            except AlreadyApplied:
                return True, None
        with transaction.atomic():
            if self.identity is None:
                recorded = ProcessedCommand.record(f"u{self.user.pk}", message.id).run()
            else:
                recorded, rows = read_together(
                    ProcessedCommand.record(f"p{self.identity.pk}", message.id), participant_read(self.identity.pk)
                )
                self.read_with_command = participant_from(rows)
            try:
                return (True, None) if not recorded else (False, message.apply(self))
            finally:
                self.read_with_command = None

    # --- what it gets ------------------------------------------------------------------------------------------

    def versions(self):
        """The versions a pong carries (a client that is behind asks for a sync). Every phone pings every
        PRESENCE_RENEW_S, so these are two prepared one-column reads (a lobby's too), sent together; its presence
        is renewed with its process's other sockets (presence.Renewals), not here."""
        if self.identity is None:
            return {"session": current_version(self.session)}
        session, couple = read_together(  # the couple they are in now
            version_read(self.session), (_couple_version, (self.session.pk, self.identity.pk))
        )
        return {"session": version_from(session), "couple": couple[0][0] if couple else 0}

    def first_frames(self, *, fresh=False, public=None, presence=None):
        """This socket's snapshots, from one read of the session's state. `fresh`: its participant was read moments
        ago (the connect's identify). `public`: the session's public frames when this process has them already;
        else they are read here, and returned for the process to remember. `presence`: a phone's presence entry,
        written with its reads."""
        if self.role == FACILITATOR:
            state = current_state(self.session)
            _, staff = session_frames(state)
            frame = roster(self.session, state.step_index)
            self.last_roster = _without_time(frame)
            frames = [staff, frame, feedback_snapshots.feedback_staff(self.session, state)]
            return FirstFrames({"session": state.version}, [encode(f) for f in frames], None)
        public = public or PublicFrames.read(self.session)
        versions = {"session": public.state.version}
        if self.role == PROJECTOR:
            self.last_count = couples_present(self.session)
            count = encode({"type": "presence", "couples_present": self.last_count})
            return FirstFrames(versions, [public.session, count, public.feedback], public)
        participant = self.identity if fresh else self.participant()
        # The couple frame's reads, the presence entry and the feedback receipts go to the database together.
        receipts = feedback_snapshots.my_feedback_read(self.session, participant, prompts=public.prompts)
        also = [statement for statement in (presence, receipts) if statement is not None]
        couple, results = couple_frame_with(self.session, participant, public.state, *also)
        mine = feedback_snapshots.my_feedback_frame(results[-1] if receipts else [])
        versions["couple"] = couple["version"]
        return FirstFrames(versions, [public.session, encode(couple), public.feedback, encode(mine)], public)

    def hello(self, versions):
        """The first frame (encoded), before the snapshots. Called in the event loop."""
        return encode(
            {
                "type": "hello",
                "role": self.role,
                "server_time": timezone.now().isoformat(),
                "versions": versions,
                "ping_interval_s": PRESENCE_RENEW_S,
            }
        )

    def roster_if_changed(self):
        """The staff's roster frame (encoded), or None when nothing in it changed since the last one sent."""
        frame = roster(self.session, current_step_index(self.session))
        content = _without_time(frame)
        if content == self.last_roster:
            return None
        self.last_roster = content
        return encode(frame)

    def couple_count_if_changed(self):
        """A projector's couple count frame (encoded), or None when the count is the one sent last."""
        count = couples_present(self.session)
        if count == self.last_count:
            return None
        self.last_count = count
        return encode({"type": "presence", "couples_present": count})


def _without_time(roster_frame):
    return encode({k: v for k, v in roster_frame.items() if k != "at"})
