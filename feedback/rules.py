"""When anonymous feedback may be answered and released, written once (docs/privacy.md). Pure: no database."""

from feedback.models import Prompt
from realtime.rules import RUNNING

MIN_COUPLES = 3  # a release needs answers from at least this many couples
MIN_FREE_TEXT = 8  # and words and free text at least this many answers, whatever the session's k


def threshold(prompt, k):
    """How many answers a release of this prompt must add."""
    return max(k, MIN_FREE_TEXT) if prompt.kind in ("words", "text") else k


def is_current(prompt, state):
    """A poll step's prompt is open to answers only while its step shows; live and survey prompts until closed."""
    if prompt.source != Prompt.Source.STEP:
        return True
    return state.status in RUNNING and prompt.step_index == state.step_index
