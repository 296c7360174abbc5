"""Feedback frames: pure reads, built once per change, never on an answer (answering changes nothing anyone sees).

The prompts they show were made when their step was shown or their session ended (feedback.services), never
while reading.
"""

from feedback.models import Prompt, Receipt
from feedback.rules import is_current, threshold
from feedback.selectors import prompts_of, result
from realtime.prepared import Prepared
from realtime.snapshots import current_state


def _describe(prompt):
    return {
        "id": prompt.pk,
        "source": prompt.source,
        "step_index": prompt.step_index,
        "kind": prompt.kind,
        "question": prompt.question,
        "options": prompt.options,
        "scale": prompt.scale,
        "language": prompt.language,
        "translations": prompt.translations,
        "state": prompt.state,
        # Who can answer, frozen when it opened: said on every phone, the projector and the console before anyone
        # answers, so a room of three couples that reads "8 couples can answer" knows before it answers.
        "couples": len(prompt.eligible),
        "walk_ins": prompt.walk_ins,
    }


def _public(state, prompts):
    visible = [p for p in prompts if is_current(p, state) or p.on_projector]
    return {
        "type": "feedback",
        "anonymity_k": state.anonymity_k,  # the phones and the projector say what a release needs
        "prompts": [
            # `eligible`: the couple ids that may answer, so each phone knows whether it may
            {**_describe(p), "threshold": threshold(p, state.anonymity_k), "eligible": p.eligible}
            for p in visible
            if p.state == Prompt.State.OPEN and is_current(p, state)
        ],
        "shown": [
            {
                "prompt_id": p.pk,
                "question": p.question,
                "kind": p.kind,
                "options": p.options,
                "scale": p.scale,
                "language": p.language,
                "translations": p.translations,
                "result": result(p, for_projector=True),
            }
            for p in visible
            if p.on_projector
        ],
    }


def _staff(state, prompts):
    return {
        "type": "feedback",
        "anonymity_k": state.anonymity_k,
        "prompts": [
            {
                **_describe(p),
                "on_projector": p.on_projector,
                "result": result(p),
                "threshold": threshold(p, state.anonymity_k),
            }
            for p in prompts
        ],
    }


def feedback_frames(session, state=None):
    """(public frame, staff frame), from one read of the session's prompts."""
    state = state or current_state(session)
    prompts = prompts_of(session)
    return _public(state, prompts), _staff(state, prompts)


def feedback_public(session, state=None):
    """The participants' and projectors' frame alone (a socket's first snapshots: no staff results built), and how
    many prompts the session has (with none, nobody has answered anything)."""
    prompts = prompts_of(session)
    return _public(state or current_state(session), prompts), len(prompts)


def feedback_staff(session, state=None):
    """The staff's frame alone (a facilitator socket's first snapshots)."""
    return _staff(state or current_state(session), prompts_of(session))


_receipts = Prepared(
    lambda session_id, participant_id: Receipt.objects.filter(
        prompt__session_id=session_id, participant_id=participant_id
    ).values_list("prompt_id", "partner")
)


def my_feedback(session, participant, prompts=None):
    """Which prompts this participant already answered or passed (`done_second`: the second person on a shared
    phone): sent only to their own sockets. `prompts`: how many the session has, when known (none: nothing to
    read)."""
    read = my_feedback_read(session, participant, prompts)
    if read is None:
        return my_feedback_frame([])
    receipts, args = read
    return my_feedback_frame(receipts(*args))


def my_feedback_read(session, participant, prompts=None):
    """my_feedback's read, as (prepared read, its arguments) for realtime.prepared.read_together (a phone's
    connect sends it with its other reads); None when the session has no prompts (nothing to read)."""
    return None if prompts == 0 else (_receipts, (session.pk, participant.pk))


def my_feedback_frame(receipts):
    """my_feedback from the rows of its read."""
    return {
        "type": "my_feedback",
        "done": sorted(prompt_id for prompt_id, partner in receipts if partner == 1),
        "done_second": sorted(prompt_id for prompt_id, partner in receipts if partner == 2),
    }
