"""What a feedback prompt may ask and what an answer to it may be."""

import re

from realtime.errors import LiveError

KINDS = ("scale", "single", "multiple", "words", "text")
WORD = re.compile(r"^[^\s]{1,30}$")
MAX_TEXT = 500


def validate_prompt(data):
    """A prompt definition: {kind, question, options?, scale?}. Returns the cleaned dict or raises LiveError."""
    if not isinstance(data, dict):
        raise LiveError("bad_prompt", "A prompt is an object.")
    kind = data.get("kind")
    if kind not in KINDS:
        raise LiveError("bad_prompt", f"kind must be one of {', '.join(KINDS)}.")
    question = " ".join(str(data.get("question") or "").split())
    if not 1 <= len(question) <= 300:
        raise LiveError("bad_prompt", "question must be 1 to 300 characters.")
    options = data.get("options") or []
    if kind in ("single", "multiple"):
        if (
            not isinstance(options, list)
            or not 2 <= len(options) <= 10
            or not all(isinstance(o, str) and 1 <= len(o.strip()) <= 120 for o in options)
        ):
            raise LiveError("bad_prompt", "options: 2 to 10 labels of up to 120 characters.")
        options = [o.strip() for o in options]
    else:
        options = []
    scale = None
    if kind == "scale":
        scale = data.get("scale") or {"min": 1, "max": 5, "min_label": "", "max_label": ""}
        low, high = scale.get("min"), scale.get("max")
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
            raise LiveError("bad_prompt", "scale: whole numbers with 0 <= min < max <= 10.")
        scale = {
            "min": low,
            "max": high,
            "min_label": str(scale.get("min_label") or "")[:60],
            "max_label": str(scale.get("max_label") or "")[:60],
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
            raise LiveError("bad_answer", f"Choose a number from {prompt.scale['min']} to {prompt.scale['max']}.")
        return value
    if kind == "single":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(prompt.options):
            raise LiveError("bad_answer", "Choose one of the options.")
        return value
    if kind == "multiple":
        if (
            not isinstance(value, list)
            or not value
            or len(set(value)) != len(value)
            or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(prompt.options) for v in value)
        ):
            raise LiveError("bad_answer", "Choose one or more of the options.")
        return sorted(value)
    if kind == "words":
        word = str(value or "").strip().lower() if isinstance(value, str) else ""
        if not WORD.match(word):
            raise LiveError("bad_answer", "One word, up to 30 letters.")
        return word
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not 1 <= len(text) <= MAX_TEXT:
        raise LiveError("bad_answer", f"Write 1 to {MAX_TEXT} characters.")
    return text
