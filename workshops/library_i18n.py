"""The built-in library in another language: the English content with a language's texts laid over it.

Pure data, no Django. A language's overlay (e.g. workshops/library_content_de.py) mirrors the English
entries but holds only their human-readable texts (the fields in ``TEXT_FIELDS``); keys, kinds, numbers and
durations always come from the English, so every language runs the same steps and a choice or scale answer
has the same place in every language.
"""

import copy
import json

# The fields that hold words a person reads. Everything else (key, kind, exercise, format, part,
# duration_minutes, answer_kind, poll_kind, agreement_kind, min, max, seconds, rounds, ...) stays English.
TEXT_FIELDS = frozenset(
    {
        # exercises and programs
        "title",
        "summary",
        "practice",
        "description",
        # steps (workshops.steps.StepSpec) and program items
        "participant_text",
        "facilitator_notes",
        "content_note",
        # step configs (workshops.steps): prompts, questions, options, scale ends, sections, phases, agreements
        "prompts",
        "prompt",
        "question",
        "options",
        "min_label",
        "max_label",
        "label",
        "hint",
        "topic_prompt",
        "instructions",
        "suggestions",
    }
)


# What each kind of row keeps of a language's version in its ``translations`` (workshops/models/library.py): the
# texts a reader sees, a step's whole config (so a phone swaps it as it is, options in their English places).
EXERCISE_TEXTS = ("title", "summary", "practice")
STEP_TEXTS = ("title", "participant_text", "facilitator_notes", "content_note", "config")
PROGRAM_TEXTS = ("title", "description")
ITEM_TEXTS = ("facilitator_notes",)


def pick(entry, fields):
    """The ``fields`` of a localized entry, for a row's ``translations``."""
    return {field: entry[field] for field in fields if field in entry}


def localized(english, overlay):
    """``english`` (an exercise, a program, a step, a list of them, or a text) in the overlay's language.

    Same shape as ``english``: each text field comes from the overlay, everything else from the English.
    A list of keyed entries (``EXERCISES``, ``PROGRAMS``) takes an overlay keyed by their ``key``; other
    lists take an overlay list of the same length, item by item. What the overlay lacks, has empty, or has
    in another shape (a list of another length) stays English, so an incomplete overlay never breaks a step
    and never shifts an option to another place. The result shares nothing mutable with either argument.
    """
    return _merge(english, overlay, text=True)


def _merge(english, overlay, *, text):
    if isinstance(english, dict):
        if not isinstance(overlay, dict):
            return copy.deepcopy(english)
        return {
            name: _merge(value, overlay[name], text=name in TEXT_FIELDS) if name in overlay else copy.deepcopy(value)
            for name, value in english.items()
        }
    if isinstance(english, list):
        if isinstance(overlay, dict) and all(isinstance(item, dict) and "key" in item for item in english):
            return [_merge(item, overlay.get(item["key"]), text=text) for item in english]
        if isinstance(overlay, list) and len(overlay) == len(english):
            return [_merge(item, other, text=text) for item, other in zip(english, overlay, strict=True)]
        return copy.deepcopy(english)
    if isinstance(english, str) and text and isinstance(overlay, str) and overlay.strip():
        return overlay
    return english


def text_skeleton(english):
    """The texts of ``english`` in the shape an overlay has: only the text fields, lists kept in order,
    containers left with no text dropped (an instruction's empty config). Empty English texts stay, as ""."""
    shape = _texts(english, text=True)
    return {} if shape is None and isinstance(english, dict) else shape


def _texts(english, *, text):
    if isinstance(english, dict):
        shape = {}
        for name, value in english.items():
            inner = _texts(value, text=name in TEXT_FIELDS)
            if inner is not None:
                shape[name] = inner
        return shape or None
    if isinstance(english, list):
        items = [_texts(item, text=text) for item in english]
        if not items or all(item is None for item in items):
            return None
        return items
    if isinstance(english, str) and text:
        return english
    return None


# --- what an edit leaves true ------------------------------------------------------------------------------------


def unchanged_texts(translations, before, after):
    """A row's translations after its texts were edited: in each language, only the texts whose source (the
    field in the row's own language) is the same as before. The others show in the row's own language until
    someone translates them again; a stale translation would say something the author no longer says."""
    kept = {}
    for code, texts in (translations or {}).items():
        same = {field: text for field, text in texts.items() if field in before and before[field] == after.get(field)}
        if same:
            kept[code] = same
    return kept


def _step_source(spec):
    return json.dumps(text_skeleton({field: spec.get(field) for field in STEP_TEXTS}), sort_keys=True)


def carried_step_translations(old_steps, new_spec):
    """The translations a step written by an edit keeps: those of an old step of the exercise with the very same
    texts (steps may have moved, been added or removed). Its numbers and kinds come from the new step, its texts
    from the old translation; a step whose texts changed has none."""
    source = _step_source(new_spec)
    for old_spec, translations in old_steps:
        if translations and _step_source(old_spec) == source:
            return {
                code: {**texts, "config": localized(new_spec.get("config") or {}, texts.get("config") or {})}
                for code, texts in translations.items()
            }
    return {}
