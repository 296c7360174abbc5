"""The live engine's rules, written once: pure functions of a state, read by the services that enforce them and
the snapshots that show their outcome. None reads or writes the database.

Privacy-critical: what a partner may see of the other's private entries (private_scope, is_revealed) is decided
here and nowhere else.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from realtime.errors import LiveError
from workshops.steps import PRIVATE_ENTRIES, STEP_KIND

RUNNING = ("running", "paused")  # the statuses with a current step


def breakout_closed_by_deadline(state, now):
    """The breakout's closing warning has run out, whether or not a write has recorded it yet."""
    return state.breakout_open and state.breakout_closes_at is not None and state.breakout_closes_at <= now


def effective_breakout(state, now=None):
    """Open, closing (a warning is counting down) or closed; derived from deadlines, so no process has to
    be alive when a breakout closes."""
    now = now or timezone.now()
    if not state.breakout_open or breakout_closed_by_deadline(state, now):
        return "closed"
    return "closing" if state.breakout_closes_at else "open"


def current_step(state):
    """The frozen step the session shows (None in the lobby and once it has ended)."""
    if state.status not in RUNNING or not state.steps:
        return None
    return state.steps[state.step_index]


def check_writable(state, step_index, entry_kind, *, paused):
    """A couple writes an entry of the kind the current step accepts, during its couple phase (or while the
    couple has paused, which keeps the breakout open for them). Raises LiveError otherwise."""
    if state.status not in RUNNING:
        raise LiveError("not_running", _("The session is not running."))
    if step_index != state.step_index:
        raise LiveError("wrong_step", _("That step is no longer showing."))
    if STEP_KIND[state.steps[step_index]["kind"]].entry != entry_kind:
        raise LiveError("wrong_kind", _("This step doesn't take that kind of entry."))
    if effective_breakout(state) == "closed" and not paused:
        raise LiveError("breakout_closed", _("The breakout has closed; what you saved is kept."))


def is_private(entry_kind):
    """Each partner's own entry (a reflection, an answer), not the couple's shared item."""
    return entry_kind in PRIVATE_ENTRIES


def private_scope(participant_id, as_partner=1):
    """Whose private entry this is: a participant's own, or, on a couple's single phone, the second partner's."""
    return f"p{participant_id}" if as_partner == 1 else f"p{participant_id}.2"


def partner_scopes(partner_ids, *, one_phone):
    """The private scopes of a couple's partners now: each participant's own and, on a shared phone, the second
    person's. An entry in any other scope is a former partner's (who unpaired): it counts towards no reveal and
    shows to no one, so what a leaver had not revealed never reaches anyone, and whoever pairs into the couple
    later sees nothing private of theirs."""
    scopes = {private_scope(pid, 1) for pid in partner_ids}
    if one_phone:
        scopes |= {private_scope(pid, 2) for pid in partner_ids}
    return scopes


def shared_visible(author_id, written_at, partner_ids, viewer_since):
    """Whether a shared item or agreement shows to a partner who entered the couple at `viewer_since`: what the
    couple's partners wrote always does; what a former partner (who unpaired) wrote only to whoever was in the
    couple when they wrote it, so a newly paired partner sees nothing the old partner wrote."""
    return author_id in partner_ids or viewer_since is None or written_at >= viewer_since


def scope_partner(scope):
    """Which partner on the phone a private scope is: 1, or 2 on a couple's single phone."""
    return 2 if scope.endswith(".2") else 1


def answers_expected(*, one_phone, partners):
    """Two people answer, on one phone or two; a participant continuing alone reveals to themself."""
    return 2 if one_phone else max(1, partners)


def is_revealed(answer_scopes, partner_ids, *, one_phone):
    """Whether the answers under one key are revealed: once every partner the couple has now has answered or
    passed. `answer_scopes`: the scopes of the answers given under that key; a former partner's counts for
    nothing (partner_scopes)."""
    partners_now = partner_scopes(partner_ids, one_phone=one_phone)
    answered = sum(1 for scope in answer_scopes if scope in partners_now)
    return answered >= answers_expected(one_phone=one_phone, partners=len(partner_ids))
