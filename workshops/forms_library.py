"""The exercise editor's steps: each step's settings are a form made from its kind's config model.

The fields come from the model (workshops/steps.py): a text is a text input (a textarea when it may be long), a
list of texts is a textarea with one per line, a number an input with the model's bounds, a Literal a select
named by the model's ``choices``, a bool a checkbox, a nested model a group of fields, and a list of models a few
rows of fields. The form only maps what was typed onto the model's shape (blank means "not given"); the model
decides what is valid, and its refusals are said in words next to the field they concern.

The models' titles, hints and choices' names are English, marked for translation (workshops/steps.py): the form is
made from them once, and each word is translated when a page shows it, in the reader's language.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from types import NoneType, UnionType
from typing import Annotated, Literal, Union, get_args, get_origin

from django.utils.translation import gettext, gettext_noop, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from workshops.steps import CONFIG_BY_KIND, KIND_LABELS, PATTERN_WORDS, STEP_KINDS, StepSpec

# A valid config for each kind: a new step starts with it, as an example to change (example_config: its texts in
# the organizer's language).
EXAMPLE_CONFIGS = {
    "instruction": {},
    "reflection": {"prompts": [gettext_noop("When did you last feel really heard by your partner?")]},
    "answer_reveal": {
        "prompt": gettext_noop("How comfortable are you talking about this topic?"),
        "answer_kind": "scale",
        "scale": {"min": 1, "max": 5, "min_label": gettext_noop("Not at all"), "max_label": gettext_noop("Completely")},
    },
    "worksheet": {
        "sections": [
            {"key": "non_negotiables", "label": gettext_noop("Non-negotiables")},
            {
                "key": "negotiables",
                "label": gettext_noop("Negotiables"),
                "hint": gettext_noop("Things we can talk about."),
            },
        ]
    },
    "dialogue": {
        "topic_prompt": gettext_noop("A decision you are making together"),
        "rounds": 2,
        "phases": [
            {
                "key": "state",
                "label": gettext_noop("State"),
                "instructions": gettext_noop("Say what matters to you."),
                "seconds": 120,
            },
            {
                "key": "summarize",
                "label": gettext_noop("Summarize"),
                "instructions": gettext_noop("Say back what you heard."),
                "seconds": 60,
            },
        ],
    },
    "agreement": {
        "agreement_kind": "trial_period",
        "prompt": gettext_noop("What will you try for the next few weeks?"),
        "suggestions": [gettext_noop("A weekly check-in")],
        "default_trial_days": 14,
    },
    "poll": {
        "question": gettext_noop("How was this exercise for you?"),
        "poll_kind": "single",
        "options": [gettext_noop("Easy"), gettext_noop("Hard")],
    },
    "break": {},
}
# The example's fields that are names the live apps know, not words: never translated.
_IDENTIFIERS = frozenset({"key", "answer_kind", "agreement_kind", "poll_kind"})


def example_config(kind):
    """The kind's example, its texts in the reader's language (its short names and choices as they are)."""

    def translated(value, name=""):
        if isinstance(value, dict):
            return {key: translated(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [translated(item, name) for item in value]
        if isinstance(value, str) and name not in _IDENTIFIERS:
            return gettext(value)
        return value

    return translated(EXAMPLE_CONFIGS[kind])


SPARE_ROWS = 2  # blank rows offered under a list of rows (sections, phases), up to the model's maximum
LONG_TEXT = 120  # a text allowed to be longer than this gets a textarea


# --- The form of a model ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One field: a text, a number, a choice, a checkbox, or a list of texts typed one per line ("lines").

    label, hint and the choices' names are English (translated where shown: ``shown_label``, ``help``)."""

    name: str
    label: str
    hint: str
    widget: str
    required: bool
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None  # characters of a text; lines of a list
    min_items: int | None = None
    choices: tuple = ()

    @property
    def shown_label(self):
        return gettext(self.label)

    @property
    def help(self):
        """The hint under the field, in the reader's language: the model's, then what a number or list takes."""
        words = ""
        if self.widget == "number" and self.minimum is not None and self.maximum is not None:
            words = gettext("A whole number from %(min)s to %(max)s.") % {"min": self.minimum, "max": self.maximum}
        elif self.widget == "lines":
            words = (
                gettext("One per line, at most %(count)s.") % {"count": self.max_length}
                if self.max_length
                else gettext("One per line.")
            )
        return _hint(gettext(self.hint) if self.hint else "", words)

    @property
    def shown_choices(self):
        return tuple((value, gettext(name)) for value, name in self.choices)


@dataclass(frozen=True)
class RowWords:
    """What a list of rows calls one row and says about how many it holds: whole sentences per list, as other
    languages decline the noun (German: "einen Abschnitt", "eine Phase")."""

    row: str  # "Section %(number)s"
    at_most: object  # ngettext_lazy, by "count"
    at_least: object  # ngettext_lazy, by "count"


ROW_WORDS = {
    "sections": RowWords(
        row=_("Section %(number)s"),
        at_most=ngettext_lazy("At most %(count)s section.", "At most %(count)s sections.", "count"),
        at_least=ngettext_lazy("Fill in at least one section.", "Fill in at least %(count)s sections.", "count"),
    ),
    "phases": RowWords(
        row=_("Phase %(number)s"),
        at_most=ngettext_lazy("At most %(count)s phase.", "At most %(count)s phases.", "count"),
        at_least=ngettext_lazy("Fill in at least one phase.", "Fill in at least %(count)s phases.", "count"),
    ),
}
OTHER_ROWS = RowWords(
    row=_("Row %(number)s"),
    at_most=ngettext_lazy("At most %(count)s row.", "At most %(count)s rows.", "count"),
    at_least=ngettext_lazy("Fill in at least one row.", "Fill in at least %(count)s rows.", "count"),
)


@dataclass(frozen=True)
class Group:
    """A nested model: its fields together (rows=0), or a list of up to ``rows`` of them, one row each."""

    name: str
    label: str
    hint: str
    inputs: tuple
    rows: int = 0
    min_rows: int = 0

    @property
    def row_label(self):
        """One row's English name (a section's short name is made from it: never translated)."""
        return self.label.removesuffix("s")

    @property
    def row_words(self):
        return ROW_WORDS.get(self.name, OTHER_ROWS)

    @property
    def shown_label(self):
        return gettext(self.label)

    @property
    def help(self):
        return gettext(self.hint) if self.hint else ""


def _constraints(metadata):
    found = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            found |= _constraints(item.metadata)
        for name in ("min_length", "max_length", "ge", "le", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _unwrap(annotation, metadata=()):
    """(the type without None and Annotated, its constraints)."""
    if get_origin(annotation) in (Union, UnionType):
        (annotation,) = [arg for arg in get_args(annotation) if arg is not NoneType]
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata = [*metadata, *extra]
    return annotation, _constraints(metadata)


def _is_model(annotation):
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _hint(*parts):
    return " ".join(part for part in parts if part)


def _input(model, name, info, in_row=False):
    base, limits = _unwrap(info.annotation, info.metadata)
    label = info.title or name.replace("_", " ").capitalize()
    hint = model.hints.get(name, "")
    common = {"name": name, "label": label, "required": info.is_required()}
    if get_origin(base) is Literal:
        named = model.choices.get(name, {})
        choices = tuple((value, named.get(value, value)) for value in get_args(base))
        if in_row or info.is_required():
            choices = (("", gettext_noop("Choose…")), *choices)
        return Input(**common, hint=hint, widget="select", choices=choices)
    if base is bool:
        return Input(**common, hint=hint, widget="checkbox")
    if base is int:
        low, high = limits.get("ge"), limits.get("le")
        return Input(**common, hint=hint, widget="number", minimum=low, maximum=high)
    if base is str:
        longest = limits.get("max_length")
        widget = "textarea" if longest is None or longest > LONG_TEXT else "text"
        return Input(**common, hint=hint, widget=widget, max_length=longest)
    if get_origin(base) is list and _unwrap(get_args(base)[0])[0] is str:
        most = limits.get("max_length")
        return Input(
            **common,
            hint=hint,
            widget="lines",
            max_length=most,
            min_items=limits.get("min_length"),
        )
    raise TypeError(f"{model.__name__}.{name}: the editor has no input for {base!r}")


def _field(model, name, info):
    base, limits = _unwrap(info.annotation, info.metadata)
    label = info.title or name.replace("_", " ").capitalize()
    if _is_model(base):
        return Group(name, label, model.hints.get(name, ""), _inputs(base, in_row=False))
    if get_origin(base) is list and _is_model(get_args(base)[0]):
        inputs = _inputs(get_args(base)[0], in_row=True)
        rows, min_rows = limits.get("max_length", 6), limits.get("min_length", 0)
        return Group(name, label, model.hints.get(name, ""), inputs, rows=rows, min_rows=min_rows)
    return _input(model, name, info)


def _inputs(model, in_row):
    return tuple(_input(model, name, info, in_row) for name, info in model.model_fields.items())


FORMS = {
    kind: tuple(_field(model, n, i) for n, i in model.model_fields.items()) for kind, model in CONFIG_BY_KIND.items()
}
COMMON = tuple(_input(StepSpec, name, StepSpec.model_fields[name]) for name in ("title", "duration_minutes"))
COMMON_TEXTS = tuple(
    _input(StepSpec, name, StepSpec.model_fields[name])
    for name in ("participant_text", "facilitator_notes", "content_note")
)
COMMON_BY_NAME = {item.name: item for item in COMMON + COMMON_TEXTS}


# --- From the stored config to the form's text, and back ---------------------------------------------------------


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def config_values(kind, config):
    """The form's values (name: text as shown) for a stored config."""
    values = {}
    config = config if isinstance(config, dict) else {}
    for item in FORMS.get(kind, ()):
        stored = config.get(item.name)
        if isinstance(item, Input):
            values[item.name] = _as_text(stored)
            continue
        rows = [stored] if item.rows == 0 else stored
        for number, row in enumerate(rows if isinstance(rows, list) else []):
            for part in item.inputs:
                prefix = item.name if item.rows == 0 else f"{item.name}-{number}"
                values[f"{prefix}-{part.name}"] = _as_text(row.get(part.name) if isinstance(row, dict) else None)
    return values


def config_names(kind, rows_of=None):
    """Every input name of the kind's form; ``rows_of`` gives how many rows each list of rows shows."""
    names = []
    for item in FORMS.get(kind, ()):
        if isinstance(item, Input):
            names.append(item.name)
        elif item.rows == 0:
            names += [f"{item.name}-{part.name}" for part in item.inputs]
        else:
            count = item.rows if rows_of is None else rows_of(item)
            names += [f"{item.name}-{n}-{part.name}" for n in range(count) for part in item.inputs]
    return names


def _lines(text):
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


_OMIT = object()


def _parsed(item, raw, errors, name):
    """The value an input's text stands for; _OMIT for a blank one (the model's default applies, or it is missing)."""
    raw = raw.replace("\r\n", "\n")
    if item.widget == "checkbox":
        return bool(raw)
    if not raw.strip():
        return _OMIT
    if item.widget == "lines":
        return [line for _, line in _lines(raw)]
    if item.widget == "number":
        try:
            return int(raw.strip())
        except ValueError:
            errors[name] = _number_words(item)
            return _OMIT
    return raw.strip()


def _derived_key(row, label, number):
    """A worksheet section's short name, made from its label when left empty."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_label).strip("_")[:40].strip("_")
    return key if key[:1].isalpha() else f"{row}_{number}"


def _parse_row(group, values, prefix, errors):
    row = {}
    for part in group.inputs:
        name = f"{prefix}-{part.name}"
        value = _parsed(part, values.get(name, ""), errors, name)
        if value is not _OMIT and value is not False:
            row[part.name] = value
    return row


def config_from_values(kind, values):
    """(the config the typed values stand for, typing errors by input name, where each list item was typed)."""
    config, errors, where = {}, {}, {}
    for item in FORMS.get(kind, ()):
        if isinstance(item, Input):
            value = _parsed(item, values.get(item.name, ""), errors, item.name)
            if value is not _OMIT:
                config[item.name] = value
            if item.widget == "lines":
                where[item.name] = [number for number, _ in _lines(values.get(item.name, ""))]
            continue
        if item.rows == 0:
            row = _parse_row(item, values, item.name, errors)
            if row:
                config[item.name] = row
            continue
        rows, where[item.name] = [], []
        for number in range(item.rows):
            row = _parse_row(item, values, f"{item.name}-{number}", errors)
            if not row:
                continue
            key_input = next((p for p in item.inputs if p.name == "key" and p.widget != "select"), None)
            if key_input and "key" not in row and row.get("label"):
                row["key"] = _derived_key(item.row_label.lower(), row["label"], number + 1)
            rows.append(row)
            where[item.name].append(number)
        if rows:
            config[item.name] = rows
    return config, errors, where


# --- The model's refusals, in words next to the field they concern ----------------------------------------------


def _number_words(item):
    if item.minimum is not None and item.maximum is not None:
        return gettext("Enter a whole number from %(min)s to %(max)s.") % {"min": item.minimum, "max": item.maximum}
    return gettext("Enter a whole number.")


def _sentence(text):
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."


NUMBER_ERRORS = {"int_parsing", "int_type", "int_from_float", "greater_than_equal", "less_than_equal"}


def _list_words(item, kind, ctx):
    """A list's length refused: for a list of texts (lines) or of rows."""
    rows = isinstance(item, Group)
    most = ctx.get("max_length")
    least = (item.min_rows if rows else item.min_items) or 1
    if rows:
        words = item.row_words
        return words.at_most % {"count": most} if kind == "too_long" else words.at_least % {"count": least}
    if kind == "too_long":
        return gettext("At most %(count)s, one per line.") % {"count": most}
    return ngettext("Write at least one, on a line of its own.", "Write at least %(count)s, one per line.", least) % {
        "count": least
    }


def words(error, item):
    """One pydantic error about ``item`` (an Input, a Group, or None for the whole configuration), in words."""
    kind, ctx = error["type"], error.get("ctx") or {}
    is_list = isinstance(item, Group) and item.rows or isinstance(item, Input) and item.widget == "lines"
    if is_list and kind in ("missing", "too_short", "too_long"):
        return _list_words(item, kind, ctx)
    if kind in NUMBER_ERRORS and isinstance(item, Input):
        return _number_words(item)
    if kind in ("missing", "string_too_short"):
        return gettext("Fill this in.")
    if kind == "string_too_long":
        return gettext("Keep it to %(count)s characters.") % {"count": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        pattern = PATTERN_WORDS.get(ctx.get("pattern"))
        return gettext(pattern) if pattern else gettext("This is not in the form it should be.")
    if kind == "literal_error":
        return gettext("Choose one of the options.")
    if kind == "extra_forbidden":
        return gettext("This is not a setting of this kind of step.")
    # A validator's refusal (workshops/steps.py: marked for translation there).
    return _sentence(gettext(error["msg"].removeprefix("Value error, ")))


def _part(group, name):
    return next((part for part in group.inputs if part.name == name), None)


def _target(kind, loc, where):
    """(the input or group name, its Input or Group, the line it is on or None) that a refusal at ``loc`` concerns;
    the name "" is the whole configuration."""
    item = next((i for i in FORMS.get(kind, ()) if loc and i.name == loc[0]), None)
    if item is None:
        return "", None, None
    rest = loc[1:]
    if isinstance(item, Input):
        if item.widget == "lines" and rest and isinstance(rest[0], int):
            lines = where.get(item.name, [])
            return item.name, item, lines[rest[0]] if rest[0] < len(lines) else rest[0] + 1
        return item.name, item, None
    if item.rows and len(rest) >= 2 and isinstance(rest[0], int) and _part(item, rest[1]):
        rows = where.get(item.name, [])
        name = f"{item.name}-{rows[rest[0]] if rest[0] < len(rows) else rest[0]}-{rest[1]}"
        return name, _part(item, rest[1]), None
    if not item.rows and rest and _part(item, rest[0]):
        return f"{item.name}-{rest[0]}", _part(item, rest[0]), None
    return item.name, item, None


def config_errors(kind, config, where):
    """The kind's model's refusals of ``config``, in words, by input name ("" for the whole configuration)."""
    try:
        CONFIG_BY_KIND[kind].model_validate(config)
    except ValidationError as exc:
        found = {}
        for error in exc.errors():
            name, item, line = _target(kind, error["loc"], where)
            message = words(error, item)
            if line is not None:
                message = gettext("Line %(number)s: %(message)s") % {"number": line, "message": message}
            found.setdefault(name, message)
        return found
    return {}


def common_errors(step):
    """StepSpec's refusals of a step's own fields (title, minutes, texts), in words, by field name."""
    try:
        StepSpec.model_validate({**step, "config": {}})
    except ValidationError as exc:
        found = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "title"
            found.setdefault(name, words(error, COMMON_BY_NAME.get(name)))
        return found
    return {}


def field_view(item, html_id, value, error):
    """What the editor template needs to render one input."""
    hint = item.help
    return {
        "id": html_id,
        "label": item.shown_label,
        "hint": hint,
        "widget": item.widget,
        "value": value,
        "error": error,
        "choices": item.shown_choices,
        "min": item.minimum,
        "max": item.maximum,
        "maxlength": item.max_length if item.widget in ("text", "textarea") else None,
        "rows": min(max(value.count("\n") + 2, 3), 12) if item.widget in ("lines", "textarea") else None,
        "describedby": " ".join(f"{html_id}_{part}" for part, shown in (("helptext", hint), ("error", error)) if shown),
    }


# --- One step as typed in the editor ----------------------------------------------------------------------------

TEXT_NAMES = ("title", "duration_minutes", "participant_text", "facilitator_notes", "content_note")


@dataclass
class StepDraft:
    """One step as typed in the exercise editor; every text is kept as typed, so nothing is lost on an error.

    texts: the step's own fields by name; values: its settings by input name; errors: by field name ("kind",
    "title", ...), by "config-<input name>" for a setting, and "config" for the settings as a whole."""

    kind: str = "instruction"
    texts: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    index: int = 0
    switched_from: str = ""

    @classmethod
    def new(cls, kind):
        kind = kind if kind in STEP_KINDS else "instruction"
        return cls(kind=kind, texts={"duration_minutes": "5"}, values=config_values(kind, example_config(kind)))

    @classmethod
    def from_step(cls, step):
        texts = {name: str(getattr(step, name)) for name in TEXT_NAMES}
        return cls(kind=step.kind, texts=texts, values=config_values(step.kind, step.config))

    @classmethod
    def from_post(cls, data, index):
        """The step as posted; a step whose kind was changed comes back with the new kind's example settings."""
        prefix = f"step-{index}-"
        kind = data.get(prefix + "kind", "")
        shown = data.get(prefix + "shown_kind", kind)
        form_kind = shown if shown in STEP_KINDS else kind
        texts = {name: data.get(prefix + name, "") for name in TEXT_NAMES}
        values = {name: data.get(f"{prefix}config-{name}", "") for name in config_names(form_kind)}
        draft = cls(kind=form_kind, texts=texts, values=values, index=index)
        if kind != form_kind and kind in STEP_KINDS:
            draft.switch_to(kind)
        return draft

    def switch_to(self, kind):
        """Another kind: its settings start from the kind's example; the step's own fields stay as typed."""
        self.switched_from = self.kind
        self.kind = kind
        self.values = config_values(kind, example_config(kind)) if kind in STEP_KINDS else {}

    @property
    def kind_label(self):
        return gettext(KIND_LABELS[self.kind]) if self.kind in KIND_LABELS else self.kind

    @property
    def title(self):
        return self.texts.get("title", "")

    @property
    def prefix(self):
        return f"step-{self.index}-"

    @property
    def config_error(self):
        return self.errors.get("config")

    def check(self):
        """The dict the services take; what the models refuse is noted in ``errors``, in words."""
        step = {name: self.texts.get(name, "") for name in ("participant_text", "facilitator_notes", "content_note")}
        step |= {"kind": self.kind, "title": self.title.strip()}
        if self.kind not in STEP_KINDS:
            self.errors["kind"] = gettext("Choose a kind of step.")
        if not step["title"]:
            self.errors["title"] = gettext("Give the step a title.")
        try:
            step["duration_minutes"] = int(self.texts.get("duration_minutes", "").strip())
        except ValueError:
            self.errors["duration_minutes"] = gettext("Enter the minutes as a whole number from 1 to 240.")
        for name, message in common_errors(step).items():
            self.errors.setdefault(name, message)
        if self.kind in STEP_KINDS:
            config, typed, where = config_from_values(self.kind, self.values)
            step["config"] = config
            for name, message in [*typed.items(), *config_errors(self.kind, config, where).items()]:
                self.errors.setdefault(f"config-{name}" if name else "config", message)
        return step

    def add_error(self, path, message):
        """A service's refusal, by path ('title', 'config.scale.min'): next to that field, or above the settings."""
        name = path.partition(".")[0]
        self.errors.setdefault(name if name in TEXT_NAMES or name == "kind" else "config", message)

    # What the editor template renders.

    def _own(self, item):
        return field_view(item, self.prefix + item.name, self.texts.get(item.name, ""), self.errors.get(item.name))

    def _setting(self, item, name):
        html_id = f"{self.prefix}config-{name}"
        return field_view(item, html_id, self.values.get(name, ""), self.errors.get(f"config-{name}"))

    def common_inputs(self):
        return [self._own(item) for item in COMMON]

    def text_inputs(self):
        return [self._own(item) for item in COMMON_TEXTS]

    def _shown_rows(self, group):
        filled = [
            n for n in range(group.rows) if any(self.values.get(f"{group.name}-{n}-{p.name}") for p in group.inputs)
        ]
        return min(group.rows, max((filled[-1] + 1 if filled else 0) + SPARE_ROWS, group.min_rows))

    def settings(self):
        """The kind's settings: inputs, groups of inputs (a scale) and rows of them (sections, phases)."""
        blocks = []
        for item in FORMS.get(self.kind, ()):
            if isinstance(item, Input):
                blocks.append({"type": "input", "input": self._setting(item, item.name)})
                continue
            group = {
                "type": "group",
                "legend": item.shown_label,
                "hint": item.help,
                "id": f"{self.prefix}config-{item.name}",
            }
            group["error"] = self.errors.get(f"config-{item.name}")
            if not item.rows:
                group["inputs"] = [self._setting(part, f"{item.name}-{part.name}") for part in item.inputs]
            else:
                group["rows"] = [
                    {
                        "legend": item.row_words.row % {"number": n + 1},
                        "inputs": [self._setting(part, f"{item.name}-{n}-{part.name}") for part in item.inputs],
                    }
                    for n in range(self._shown_rows(item))
                ]
            blocks.append(group)
        return blocks


def step_drafts_from_exercise(exercise):
    return [StepDraft.from_step(step) for step in exercise.steps.all()]


def step_drafts_from_post(data, max_steps):
    try:
        count = min(int(data.get("step_count", 0)), max_steps + 1)
    except ValueError:
        count = 0
    return [StepDraft.from_post(data, index) for index in range(max(count, 0))]


# --- The stored settings, for reading ---------------------------------------------------------------------------


def _shown(item, value):
    if item.widget == "select":
        return dict(item.shown_choices).get(value, value)
    if item.widget == "checkbox":
        return gettext("Yes") if value else gettext("No")
    return "" if value is None else str(value)


def settings_summary(kind, config):
    """A step's settings in words: [{label, text | lines | fields | columns and rows}], leaving out what is unset."""
    config = config if isinstance(config, dict) else {}
    rows = []
    for item in FORMS.get(kind, ()):
        value = config.get(item.name)
        if value in (None, [], ""):
            continue
        if isinstance(item, Input):
            key = "lines" if item.widget == "lines" else "text"
            rows.append({"label": item.shown_label, key: value if key == "lines" else _shown(item, value)})
        elif not item.rows:
            fields = [
                (p.shown_label, _shown(p, value.get(p.name))) for p in item.inputs if value.get(p.name) is not None
            ]
            rows.append({"label": item.shown_label, "fields": fields})
        else:
            table = [[_shown(p, row.get(p.name)) for p in item.inputs] for row in value]
            rows.append({"label": item.shown_label, "columns": [p.shown_label for p in item.inputs], "rows": table})
    return rows
