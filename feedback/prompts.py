"""What a feedback prompt may ask and what an answer to it may be."""

import re

from django.utils.translation import gettext as _

from realtime.errors import LiveError
from workshops.steps import PollConfig

KINDS = ("scale", "single", "multiple", "words", "text")
# What the organizer's pages call each kind (a poll step's kinds are the same: workshops.steps.PollConfig).
KIND_LABELS = PollConfig.choices["poll_kind"]
WORD = re.compile(r"^[^\s]{1,30}$")
MAX_TEXT = 500
# What a prompt may ask (validate_prompt), named once: the REST API's schema says the same (feedback/survey_api.py).
QUESTION_LENGTH = 300  # after runs of white space are made one space
OPTIONS = (2, 10)  # how many options a single or multiple choice has
OPTION_LENGTH = 120  # each option's, without the white space around it
SCALE_ENDS = (0, 10)  # a scale's lowest number is from 0, its highest up to 10, the lowest below the highest
LABEL_LENGTH = 60  # a scale end's label


def _refused(message, field):
    return LiveError("bad_prompt", message, field=field)


def validate_prompt(data):
    """A prompt definition: {kind, question, options?, scale?}. Returns the cleaned dict or raises LiveError, whose
    message says what is wrong in words (the survey designer and the live console show it as it is) and whose
    ``field`` names the part at fault (kind, question, options or scale)."""
    if not isinstance(data, dict):
        raise LiveError("bad_prompt", _("A prompt is an object."))
    kind = data.get("kind")
    if kind not in KINDS:
        raise _refused(
            _("Choose a kind of question: scale, single choice, multiple choice, one word, free text."), "kind"
        )
    question = " ".join(str(data.get("question") or "").split())
    if not question:
        raise _refused(_("Write the question."), "question")
    if len(question) > QUESTION_LENGTH:
        raise _refused(_("Keep the question to %(count)s characters.") % {"count": QUESTION_LENGTH}, "question")
    options = data.get("options") or []
    if kind in ("single", "multiple"):
        if (
            not isinstance(options, list)
            or not OPTIONS[0] <= len(options) <= OPTIONS[1]
            or not all(isinstance(o, str) and 1 <= len(o.strip()) <= OPTION_LENGTH for o in options)
        ):
            message = _("Give %(fewest)s to %(most)s options, each of 1 to %(length)s characters.")
            raise _refused(message % {"fewest": OPTIONS[0], "most": OPTIONS[1], "length": OPTION_LENGTH}, "options")
        options = [o.strip() for o in options]
    else:
        options = []
    scale = None
    if kind == "scale":
        scale = data.get("scale") or {"min": 1, "max": 5, "min_label": "", "max_label": ""}
        low, high = scale.get("min"), scale.get("max")
        bottom, top = SCALE_ENDS
        if not (isinstance(low, int) and isinstance(high, int) and bottom <= low < high <= top):
            message = _("The scale's lowest number must be smaller than its highest, from %(bottom)s to %(top)s.")
            raise _refused(message % {"bottom": bottom, "top": top}, "scale")
        scale = {
            "min": low,
            "max": high,
            "min_label": str(scale.get("min_label") or "")[:LABEL_LENGTH],
            "max_label": str(scale.get("max_label") or "")[:LABEL_LENGTH],
        }
    return {"kind": kind, "question": question, "options": options, "scale": scale}


def validate_answer(prompt, value):
    """Check one answer against its prompt; returns the value to store."""
    kind = prompt.kind
    if kind == "scale":
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not prompt.scale["min"] <= value <= prompt.scale["max"]
        ):
            message = _("Choose a number from %(low)s to %(high)s.")
            raise LiveError("bad_answer", message % {"low": prompt.scale["min"], "high": prompt.scale["max"]})
        return value
    if kind == "single":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(prompt.options):
            raise LiveError("bad_answer", _("Choose one of the options."))
        return value
    if kind == "multiple":
        if (
            not isinstance(value, list)
            or not value
            or len(set(value)) != len(value)
            or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(prompt.options) for v in value)
        ):
            raise LiveError("bad_answer", _("Choose one or more of the options."))
        return sorted(value)
    if kind == "words":
        word = str(value or "").strip().lower() if isinstance(value, str) else ""
        if not WORD.match(word):
            raise LiveError("bad_answer", _("One word, up to 30 letters."))
        return word
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not 1 <= len(text) <= MAX_TEXT:
        raise LiveError("bad_answer", _("Write 1 to %(count)s characters.") % {"count": MAX_TEXT})
    return text
