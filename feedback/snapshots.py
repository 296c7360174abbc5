"""Feedback frames: built once per change, never on an answer (answering changes nothing anyone sees)."""

from feedback import services
from feedback.models import Prompt, Receipt
from feedback.selectors import prompts_of, result
from realtime.prepared import Prepared
from realtime.services.session import state_for


def _prompts(session, state=None):
    """The session's state and all its prompts (the current poll step's and, once ended, the survey's made first)."""
    state = state or state_for(session)
    services.prompt_for_step(session, state)
    if state.status == "ended":
        services.survey_prompts(session)
    return state, prompts_of(session)


def _visible(prompts, state):
    return [p for p in prompts if is_current(p, state) or p.on_projector]


def is_current(prompt, state):
    """A poll step's prompt is open to answers only while its step shows; live and survey prompts until closed."""
    if prompt.source != Prompt.Source.STEP:
        return True
    return state.status in ("running", "paused") and prompt.step_index == state.step_index


def _describe(prompt):
    return {
        "id": prompt.pk,
        "source": prompt.source,
        "step_index": prompt.step_index,
        "kind": prompt.kind,
        "question": prompt.question,
        "options": prompt.options,
        "scale": prompt.scale,
        "state": prompt.state,
    }


def feedback_frames(session):
    state, prompts = _prompts(session)
    return _public(state, _visible(prompts, state)), _staff(state, prompts)


def feedback_public(session, state=None):
    """The participants' and projectors' frame alone (a socket's first snapshots: no staff results built), and how
    many prompts the session has (with none, nobody has answered anything)."""
    state, prompts = _prompts(session, state)
    return _public(state, _visible(prompts, state)), len(prompts)


def feedback_staff(session, state=None):
    """The staff's frame alone (a facilitator socket's first snapshots)."""
    state, prompts = _prompts(session, state)
    return _staff(state, prompts)


def _public(state, prompts):
    return {
        "type": "feedback",
        "prompts": [_describe(p) for p in prompts if p.state == Prompt.State.OPEN and is_current(p, state)],
        "shown": [
            {
                "prompt_id": p.pk,
                "question": p.question,
                "kind": p.kind,
                "options": p.options,
                "scale": p.scale,
                "result": result(p, for_projector=True),
            }
            for p in prompts
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
                "threshold": services.threshold(p, state.anonymity_k),
            }
            for p in prompts
        ],
    }


def my_feedback(session, participant, prompts=None):
    """Which prompts this participant already answered or passed: sent only to their own sockets. `prompts`: how
    many the session has, when known (none: nothing to read)."""
    if prompts == 0:
        return {"type": "my_feedback", "done": []}
    done = _receipts(session.pk, participant.pk)
    return {"type": "my_feedback", "done": sorted(prompt_id for (prompt_id,) in done)}


_receipts = Prepared(
    lambda session_id, participant_id: Receipt.objects.filter(
        prompt__session_id=session_id, participant_id=participant_id
    ).values_list("prompt_id")
)


def publish_feedback(session):
    from realtime import groups
    from realtime.services.publish import publish

    public, staff = feedback_frames(session)
    publish([(groups.session_everyone(session.pk), public), (groups.session_staff(session.pk), staff)])
