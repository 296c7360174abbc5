"""Writes of anonymous feedback. See feedback/models.py for what is stored and why it cannot be linked.

Rules (docs/privacy.md):
- Answering or passing changes no live state anyone else can see: no broadcast, no count, no presence.
- A release happens only when the facilitator shows or closes a prompt, never on the k-th answer, and only
  if it adds at least k answers (max(k, 8) for words and free text) from at least three couples.
- Below that, staff see "not enough answers yet" and nothing else.
"""

import random

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from feedback import pending
from feedback.models import Prompt, Receipt, Release, ReleasedAnswer, Survey
from feedback.prompts import validate_answer, validate_prompt
from feedback.rules import MIN_COUPLES, is_current, threshold
from realtime import events
from realtime.errors import LiveError
from realtime.models import Couple, CoupleSpace, SessionState
from realtime.rules import current_step
from realtime.snapshots import current_state
from workshops.steps import poll_prompt

_shuffle = random.SystemRandom().shuffle


def session_k(session):
    """The session's anonymity threshold: its live state's, or its organization's before the session starts."""
    stored = SessionState.objects.filter(session=session).values_list("anonymity_k", flat=True).first()
    return stored if stored is not None else session.workshop.organization.anonymity_k


def who_can_answer(session):
    """The couples who may answer a prompt that opens now, and how many of them are walk-ins: every couple in the
    session (it has a space in it: it was in the workshop when the session started, or formed in it) that is not
    removed and is admitted (enrolled, or a walk-in a facilitator admitted). Frozen on the prompt as it opens, so
    the room sees before answering how many couples could hide an answer, and no couple that comes, or is
    admitted, later can make up the numbers (docs/privacy.md §3). A phone whose screen locked is still in: it
    may answer once it is back."""
    admitted = Couple.objects.filter(Couple.ADMITTED)
    couples = CoupleSpace.objects.filter(session=session, couple__removed_at__isnull=True, couple__in=admitted)
    rows = list(couples.values_list("couple_id", "couple__enrollment_id"))
    return {"eligible": sorted(c for c, _ in rows), "walk_ins": sum(1 for _, enrolled in rows if enrolled is None)}


def prompt_for_step(session, state):
    """The prompt of the current poll step, made the first time the step is shown (by the command that shows it:
    realtime.services.session)."""
    step = current_step(state)
    asked = poll_prompt(step) if step else None
    if asked is None:
        return None
    existing = Prompt.objects.filter(session=session, source=Prompt.Source.STEP, step_index=state.step_index).first()
    if existing:
        return existing
    cleaned = validate_prompt(asked)
    try:
        with transaction.atomic():
            return Prompt.objects.create(
                session=session,
                source=Prompt.Source.STEP,
                step_index=state.step_index,
                **cleaned,
                **_in_languages(step),
                **who_can_answer(session),
            )
    except IntegrityError:
        return Prompt.objects.get(session=session, source=Prompt.Source.STEP, step_index=state.step_index)


def _in_languages(step):
    """A poll step's question in the languages its step has: what each reader's app shows (the answers are the
    same numbers and option places in every language)."""
    translations = {}
    for code, texts in (step.get("translations") or {}).items():
        asked = validate_prompt(poll_prompt({**step, "config": texts["config"]}))
        translations[code] = {field: asked[field] for field in ("question", "options", "scale")}
    return {"language": step.get("language", "en"), "translations": translations}


@transaction.atomic
def prompt_add_live(*, session, data):
    cleaned = validate_prompt(data)
    position = Prompt.objects.filter(session=session).count()
    prompt = Prompt.objects.create(
        session=session,
        source=Prompt.Source.LIVE,
        position=position,
        **cleaned,
        language=get_language() or "",  # the facilitator's, who writes it as they read their console
        **who_can_answer(session),
    )
    events.feedback_changed(session)
    return prompt


def survey_for(session):
    """The organization's post-session survey (its most recently edited one), if it has any prompts."""
    return (
        Survey.objects.filter(organization_id=session.workshop.organization_id)
        .exclude(prompts=[])
        .order_by("-updated_at")
        .first()
    )


def survey_prompts(session):
    """The survey's prompts for an ended session, made once when first asked for."""
    existing = list(Prompt.objects.filter(session=session, source=Prompt.Source.SURVEY).order_by("position"))
    if existing:
        return existing
    survey = survey_for(session)
    if survey is None:
        return []
    with transaction.atomic():
        if Prompt.objects.filter(session=session, source=Prompt.Source.SURVEY).exists():
            return list(Prompt.objects.filter(session=session, source=Prompt.Source.SURVEY).order_by("position"))
        couples = who_can_answer(session)
        return [
            Prompt.objects.create(
                session=session, source=Prompt.Source.SURVEY, position=n, **validate_prompt(p), **couples
            )
            for n, p in enumerate(survey.prompts)
        ]


def _reshuffle_receipts(prompt):
    rows = list(
        Receipt.objects.filter(prompt=prompt).values(
            "participant_id", "partner", "couple_id_at_answer", "answered", "released"
        )
    )
    Receipt.objects.filter(prompt=prompt).delete()
    _shuffle(rows)
    Receipt.objects.bulk_create(Receipt(prompt=prompt, **row) for row in rows)


def answer(*, prompt, participant, value=None, passed=False, as_partner=1):
    """Record that the participant answered (or passed), then, in a separate transaction, the answer itself. On a
    couple's shared phone the second person answers for themself (`as_partner` 2); both count for one couple."""
    prompt = Prompt.objects.select_related("session__workshop").get(pk=prompt.pk)  # its state as stored now
    if prompt.session.workshop_id != participant.workshop_id:
        raise LiveError("not_yours", _("That question is not for this workshop."))
    if prompt.state != Prompt.State.OPEN:
        raise LiveError("prompt_closed", _("This question is closed."))
    if prompt.source == Prompt.Source.STEP and not is_current(prompt, current_state(prompt.session)):
        raise LiveError("prompt_closed", _("That question's step has passed."))
    if participant.couple_id not in prompt.eligible:
        raise LiveError(
            "not_eligible",
            _("Only couples who were in the session, and admitted, when this question opened can answer it."),
        )
    if as_partner == 2 and not (participant.couple_id and participant.couple.one_phone):
        raise LiveError("bad_partner", _("as_partner=2 is only for a couple sharing one phone."))
    if not participant.feedback_consent and not passed:
        raise LiveError("no_feedback_consent", _("You chose not to give anonymous feedback; you can simply pass."))
    stored = None if passed else validate_answer(prompt, value)
    # Each transaction rewrites every receipt (or pending answer) of the prompt, so two answers at once must not
    # interleave: one would re-insert rows the other had already re-inserted (a duplicate receipt, refused as
    # "already answered", or a pending answer counted twice). The prompt's row lock orders them.
    try:
        with transaction.atomic():
            _lock(prompt)
            Receipt.objects.create(
                prompt=prompt,
                participant=participant,
                partner=as_partner,
                couple_id_at_answer=participant.couple_id,
                answered=not passed,
            )
            _reshuffle_receipts(prompt)
    except IntegrityError:
        raise LiveError("already_answered", _("You have already answered this question.")) from None
    if not passed:
        try:
            with transaction.atomic():
                if _lock(prompt) != Prompt.State.OPEN:
                    return  # closed meanwhile: closing deletes what was not released, so nothing is kept
                _add_pending(prompt, participant, as_partner, stored)
        except LiveError:  # the key store failed (feedback/keys.py): no answer kept, so no receipt either
            Receipt.objects.filter(prompt=prompt, participant=participant, partner=as_partner).delete()
            raise


def _add_pending(prompt, participant, as_partner, value):
    """Add the answer to the prompt's sealed set. If the answers waiting there can't be read any more (their key
    is lost), they are dropped and their authors may answer again; this answer starts a new set."""
    try:
        pending.add(prompt, value)
    except pending.KeyLost:
        _answers_lost(prompt, keep=Q(participant=participant, partner=as_partner))
        pending.add(prompt, value)


def _answers_lost(prompt, keep=None):
    """The prompt's pending answers can't be read: drop them, and their receipts, so their authors may answer
    again (their phones are told). `keep`: the receipt of the answer that comes now."""
    pending.drop(prompt)
    lost = Receipt.objects.filter(prompt=prompt, answered=True, released=False)
    if keep is not None:
        lost = lost.exclude(keep)
    authors = list(lost.values_list("participant_id", flat=True))
    lost.delete()
    events.feedback_again(prompt.session, authors, prompt.pk)


def _lock(prompt):
    """Lock the prompt's row for this transaction; returns its state as stored now."""
    return Prompt.objects.select_for_update().filter(pk=prompt.pk).values_list("state", flat=True).first()


def _couples_pending(prompt):
    """Distinct couples among the pending answers' receipts. A participant in no couple counts for none: walk-ins
    cannot make up the three couples without forming couples, which the projector's couple count shows."""
    rows = Receipt.objects.filter(prompt=prompt, answered=True, released=False).exclude(couple_id_at_answer=None)
    return rows.aggregate(n=Count("couple_id_at_answer", distinct=True))["n"]


@transaction.atomic
def release(*, prompt):
    """Move the pending answers into the released table if there are enough; returns the Release or None."""
    prompt = Prompt.objects.select_for_update().select_related("session").get(pk=prompt.pk)
    try:
        waiting = pending.waiting(prompt)
    except pending.KeyLost:
        _answers_lost(prompt)
        return None
    if len(waiting) < threshold(prompt, session_k(prompt.session)) or _couples_pending(prompt) < MIN_COUPLES:
        return None
    made = Release.objects.create(prompt=prompt, answers=len(waiting), couples=_couples_pending(prompt))
    pending.drop(prompt)
    _shuffle(waiting)
    ReleasedAnswer.objects.bulk_create(ReleasedAnswer(prompt=prompt, release=made, value=v) for v in waiting)
    Receipt.objects.filter(prompt=prompt).update(released=True)
    released = Receipt.objects.filter(prompt=prompt, answered=True).exclude(couple_id_at_answer=None)
    prompt.released_couples = released.values("couple_id_at_answer").distinct().count()
    prompt.save(update_fields=["released_couples"])
    _reshuffle_receipts(prompt)
    return made


@transaction.atomic
def show(*, prompt):
    """Show the prompt's results on the projector, releasing what can be released. Returns the new Release or None."""
    made = release(prompt=prompt)
    if prompt.released.exists():
        Prompt.objects.filter(pk=prompt.pk).update(on_projector=True)
    events.feedback_changed(prompt.session)
    return made


@transaction.atomic
def close(*, prompt):
    """Close the prompt. Answers that could not be released now never will be: they are deleted."""
    made = release(prompt=prompt)
    Prompt.objects.filter(pk=prompt.pk).update(state=Prompt.State.CLOSED)
    pending.drop(prompt)
    events.feedback_changed(prompt.session)
    return made


@transaction.atomic
def hide(*, prompt, answer_id, hidden):
    if prompt.kind not in ("words", "text"):
        raise LiveError("not_hideable", _("Only words and free text can be hidden."))
    if not ReleasedAnswer.objects.filter(prompt=prompt, pk=answer_id).update(hidden=bool(hidden)):
        raise LiveError("no_answer", _("No such released answer."))
    events.feedback_changed(prompt.session)
