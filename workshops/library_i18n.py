"""The built-in library in another language: the English content with a language's texts laid over it.

Pure data, no Django. A language's overlay (e.g. workshops/library_content_de.py) mirrors the English
entries but holds only their human-readable texts (the fields in ``TEXT_FIELDS``); keys, kinds, numbers and
durations always come from the English, so every language runs the same steps and a choice or scale answer
has the same place in every language.
"""

import copy

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
