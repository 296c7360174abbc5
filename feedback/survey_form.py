"""The survey designer's question form: only the fields of the chosen kind of question, kept as typed.

The form reads what was typed (lines, whole numbers) and refuses what cannot be stored; what a question may ask
is feedback.prompts.validate_prompt's to say, and its refusal shows next to the field it names.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

# label, hint, widget (text, lines, number); the hints of the scale's labels name their length (_input).
INPUTS = {
    "question": (_("Question"), _("At most 300 characters."), "text"),
    "options": (_("Options"), _("One per line: 2 to 10 options, each at most 120 characters."), "lines"),
    "min": (_("Lowest number"), _("A whole number from 0 to 9."), "number"),
    "max": (_("Highest number"), _("A whole number from 1 to 10, above the lowest."), "number"),
    "min_label": (_("Label of the lowest"), _("Optional, e.g. Not at all. At most %(count)s characters."), "text"),
    "max_label": (_("Label of the highest"), _("Optional, e.g. Completely. At most %(count)s characters."), "text"),
}

# What each kind asks of couples, for the kind chooser.
KIND_HINTS = {
    "scale": _("A number on a scale between two labelled ends."),
    "single": _("One of your options."),
    "multiple": _("Any of your options, one or more."),
    "words": _("One word each; the report counts the words (shown once at least 8 answers can be)."),
    "text": _("A few sentences each (shown once at least 8 answers can be)."),
}

NUL = _("This holds a NUL character, which can't be stored: remove it.")


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
        """The kind's name in the reader's language (feedback.prompts names it in English, marked for translation)."""
        return gettext(KIND_LABELS[self.kind]) if self.kind in KIND_LABELS else ""

    def _typed(self):
        """The prompt the fields describe, for validate_prompt; notes in ``errors`` what cannot be read."""
        names = FIELDS[self.kind]
        for name in names:
            try:
                json_input.check(self.values.get(name, ""))
            except json_input.BadJSON:
                self.errors[name] = str(NUL)
        data = {"kind": self.kind, "question": self.values.get("question", "")}
        if "options" in names:
            data["options"] = [line.strip() for line in self.values.get("options", "").splitlines() if line.strip()]
        if "min" in names:
            data["scale"] = {name: self.values.get(name, "").strip() for name in SCALE}
            for name, low, high in (("min", 0, 9), ("max", 1, 10)):
                try:
                    data["scale"][name] = int(data["scale"][name])
                except ValueError:
                    self.errors.setdefault(
                        name, gettext("Enter a whole number from %(min)s to %(max)s.") % {"min": low, "max": high}
                    )
            for name in ("min_label", "max_label"):
                if len(data["scale"][name]) > LABEL_LENGTH:
                    self.errors.setdefault(name, gettext("Keep it to %(count)s characters.") % {"count": LABEL_LENGTH})
        return data

    def clean(self):
        """The question as the survey stores it, or None with ``errors`` saying what to correct."""
        if self.kind not in KINDS:
            self.errors["kind"] = gettext("Choose a kind of question.")
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
            "label": str(label),
            "hint": hint % {"count": LABEL_LENGTH} if name in ("min_label", "max_label") else str(hint),
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
    return gettext("From %(low)s to %(high)s") % {"low": low, "high": high}
