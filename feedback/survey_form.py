"""The survey designer's question form: only the fields of the chosen kind of question, kept as typed.

The form reads what was typed (lines, whole numbers) and refuses what cannot be stored; what a question may ask
is feedback.prompts.validate_prompt's to say, and its refusal shows next to the field it names.
"""

from dataclasses import dataclass, field

from config import json_input
from feedback.prompts import KIND_LABELS, KINDS, LABEL_LENGTH, validate_prompt
from workshops.errors import DomainError

SCALE = ("min", "max", "min_label", "max_label")
FIELDS = {
    "scale": ("question", *SCALE),
    "single": ("question", "options"),
    "multiple": ("question", "options"),
    "words": ("question",),
    "text": ("question",),
}
ALL_FIELDS = ("question", "options", *SCALE)

# label, hint, widget (text, lines, number)
INPUTS = {
    "question": ("Question", "At most 300 characters.", "text"),
    "options": ("Options", "One per line: 2 to 10 options, each at most 120 characters.", "lines"),
    "min": ("Lowest number", "A whole number from 0 to 9.", "number"),
    "max": ("Highest number", "A whole number from 1 to 10, above the lowest.", "number"),
    "min_label": ("Label of the lowest", f"Optional, e.g. Not at all. At most {LABEL_LENGTH} characters.", "text"),
    "max_label": ("Label of the highest", f"Optional, e.g. Completely. At most {LABEL_LENGTH} characters.", "text"),
}

# What each kind asks of couples, for the kind chooser.
KIND_HINTS = {
    "scale": "A number on a scale between two labelled ends.",
    "single": "One of your options.",
    "multiple": "Any of your options, one or more.",
    "words": "One word each; the report counts the words (shown once at least 8 answers can be).",
    "text": "A few sentences each (shown once at least 8 answers can be).",
}

NUL = "This holds a NUL character, which can't be stored: remove it."


@dataclass
class QuestionForm:
    """One question as typed: its kind, the text of each field (by name) and what is wrong, in words, by field
    ("scale" for the scale as a whole, "kind" for the kind)."""

    kind: str
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    switched_from: str = ""

    @classmethod
    def blank(cls, kind):
        return cls(kind=kind, values={"min": "1", "max": "5"} if kind == "scale" else {})

    @classmethod
    def from_prompt(cls, prompt):
        scale = prompt.get("scale") or {}
        values = {"question": prompt.get("question", ""), "options": "\n".join(prompt.get("options") or [])}
        values |= {name: str(scale.get(name, "")) for name in SCALE if scale}
        return cls(kind=prompt.get("kind", ""), values=values)

    @classmethod
    def from_post(cls, post):
        """The question as posted; one whose kind was changed comes back with that kind's fields (question kept)."""
        kind, shown = post.get("kind", ""), post.get("shown_kind", "")
        form = cls(kind=kind, values={name: post.get(name, "") for name in ALL_FIELDS})
        if shown in KINDS and kind in KINDS and shown != kind:
            form = cls(kind=kind, values=cls.blank(kind).values | {"question": form.values["question"]})
            form.switched_from = shown
        return form

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, "")

    def _typed(self):
        """The prompt the fields describe, for validate_prompt; notes in ``errors`` what cannot be read."""
        names = FIELDS[self.kind]
        for name in names:
            try:
                json_input.check(self.values.get(name, ""))
            except json_input.BadJSON:
                self.errors[name] = NUL
        data = {"kind": self.kind, "question": self.values.get("question", "")}
        if "options" in names:
            data["options"] = [line.strip() for line in self.values.get("options", "").splitlines() if line.strip()]
        if "min" in names:
            data["scale"] = {name: self.values.get(name, "").strip() for name in SCALE}
            for name, words in (("min", "from 0 to 9"), ("max", "from 1 to 10")):
                try:
                    data["scale"][name] = int(data["scale"][name])
                except ValueError:
                    self.errors.setdefault(name, f"Enter a whole number {words}.")
            for name in ("min_label", "max_label"):
                if len(data["scale"][name]) > LABEL_LENGTH:
                    self.errors.setdefault(name, f"Keep it to {LABEL_LENGTH} characters.")
        return data

    def clean(self):
        """The question as the survey stores it, or None with ``errors`` saying what to correct."""
        if self.kind not in KINDS:
            self.errors["kind"] = "Choose a kind of question."
            return None
        data = self._typed()
        if self.errors:
            return None
        try:
            return validate_prompt(data)
        except DomainError as error:
            self.errors[error.field or "question"] = error.message
            return None

    def inputs(self):
        """The kind's fields, for the template: question and options as they are, the scale's four together."""
        names = FIELDS.get(self.kind, ("question",))
        return [self._input(name) for name in names if name not in SCALE]

    def scale_inputs(self):
        return [self._input(name) for name in FIELDS.get(self.kind, ()) if name in SCALE]

    def _input(self, name):
        label, hint, widget = INPUTS[name]
        return {
            "name": name,
            "label": label,
            "hint": hint,
            "widget": widget,
            "value": self.values.get(name, ""),
            "error": self.errors.get(name),
            "maxlength": {"question": 300, "min_label": LABEL_LENGTH, "max_label": LABEL_LENGTH}.get(name),
        }


def describe(prompt):
    """A stored question's details in words, for the list: its options, or its scale's ends."""
    if prompt.get("options"):
        return ", ".join(prompt["options"])
    scale = prompt.get("scale")
    if not scale:
        return ""
    low = f"{scale['min']}" + (f" ({scale['min_label']})" if scale.get("min_label") else "")
    high = f"{scale['max']}" + (f" ({scale['max_label']})" if scale.get("max_label") else "")
    return f"From {low} to {high}"
