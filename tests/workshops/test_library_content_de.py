"""The German library: every English text has its German one in the same place, none left English, none
beyond what the English has; the merged German steps run; labels fit their limits and a 360-px phone; the
house rules for German (du, no gendered nouns for partners, German quotes) hold."""

import hashlib
import json
import re
import typing

import pytest
from pydantic import BaseModel

from workshops import steps
from workshops.library_content import EXERCISES, PROGRAMS
from workshops.library_content_de import EXERCISES as EXERCISES_DE
from workshops.library_content_de import PROGRAMS as PROGRAMS_DE
from workshops.library_i18n import TEXT_FIELDS, localized, text_skeleton
from workshops.models import Exercise, Program
from workshops.steps import validate_step

BY_KEY = {exercise["key"]: exercise for exercise in EXERCISES}
PROGRAMS_BY_KEY = {program["key"]: program for program in PROGRAMS}
ENTRIES = [("exercise", key, BY_KEY[key], EXERCISES_DE.get(key)) for key in BY_KEY] + [
    ("program", key, PROGRAMS_BY_KEY[key], PROGRAMS_DE.get(key)) for key in PROGRAMS_BY_KEY
]
ENTRY_IDS = [f"{kind}-{key}" for kind, key, _, _ in ENTRIES]

# German texts that may equal the English ones (names, numbers). None needed so far.
SAME_IN_BOTH: frozenset[str] = frozenset()

# What fits a 360-px phone: an option box holds about 28 characters a line; a long German compound must not
# be wider than that, and the two ends of a scale share one line under its numbers.
OPTION_MAX = 40
SCALE_LABEL_MAX = 24
PHASE_LABEL_MAX = 30
WORD_MAX = 24


def _leaves(shape, path=""):
    """(path, text) for every text in a skeleton or overlay."""
    if isinstance(shape, dict):
        for name, value in shape.items():
            yield from _leaves(value, f"{path}.{name}" if path else name)
    elif isinstance(shape, list):
        for index, value in enumerate(shape):
            yield from _leaves(value, f"{path}[{index}]")
    else:
        yield path, shape


def _differences(english, german, path=""):
    """Where the German overlay's shape differs from the English texts' shape."""
    where = path or "(top)"
    if isinstance(english, dict):
        if not isinstance(german, dict):
            return [f"{where}: should be a dict, is {type(german).__name__}"]
        found = [f"{path}.{name}: missing in German".lstrip(".") for name in english if name not in german]
        found += [f"{path}.{name}: not in the English".lstrip(".") for name in german if name not in english]
        for name in [name for name in english if name in german]:
            found += _differences(english[name], german[name], f"{path}.{name}" if path else name)
        return found
    if isinstance(english, list):
        if not isinstance(german, list):
            return [f"{where}: should be a list, is {type(german).__name__}"]
        if len(english) != len(german):
            return [f"{where}: {len(german)} items in German, {len(english)} in the English"]
        found = []
        for index, (item, other) in enumerate(zip(english, german, strict=True)):
            found += _differences(item, other, f"{path}[{index}]")
        return found
    if not isinstance(german, str):
        return [f"{where}: should be text, is {type(german).__name__}"]
    return []


def _german_texts():
    """(where, path, text) for every German text."""
    for kind, key, _, german in ENTRIES:
        for path, text in _leaves(german):
            yield f"{kind} {key}: {path}", path, text


def _merged_exercises():
    return localized(EXERCISES, EXERCISES_DE)


def _strip_texts(value, *, text=False):
    """Everything but the texts (the part that must stay exactly the English)."""
    if isinstance(value, dict):
        return {name: _strip_texts(inner, text=name in TEXT_FIELDS) for name, inner in value.items()}
    if isinstance(value, list):
        return [_strip_texts(item, text=text) for item in value]
    return "<text>" if text and isinstance(value, str) else value


# ------------------------------------------------------------------ coverage


def test_every_exercise_and_program_has_a_german_entry_and_nothing_else():
    assert set(EXERCISES_DE) == set(BY_KEY)
    assert set(PROGRAMS_DE) == set(PROGRAMS_BY_KEY)


@pytest.mark.parametrize(("kind", "key", "english", "german"), ENTRIES, ids=ENTRY_IDS)
def test_german_mirrors_every_english_text_and_adds_none(kind, key, english, german):
    assert german is not None, f"{kind} {key} has no German"
    assert _differences(text_skeleton(english), german) == []


@pytest.mark.parametrize(("kind", "key", "english", "german"), ENTRIES, ids=ENTRY_IDS)
def test_german_is_written_where_the_english_is_and_empty_where_it_is_empty(kind, key, english, german):
    english_texts = dict(_leaves(text_skeleton(english)))
    for path, text in _leaves(german):
        source = english_texts[path]
        if not source.strip():
            assert text == "", (kind, key, path)
            continue
        assert text.strip(), (kind, key, path)
        assert text == text.strip() and "  " not in text, ("stray spaces", kind, key, path)
        if text == source:
            assert text in SAME_IN_BOTH, ("still English", kind, key, path, text)


def test_the_checks_above_would_catch_a_missing_an_extra_and_an_english_text():
    english = text_skeleton(BY_KEY["pause-signal"])
    german = {**EXERCISES_DE["pause-signal"], "steps": list(EXERCISES_DE["pause-signal"]["steps"])}
    german["steps"][1] = {**german["steps"][1], "config": {"prompt": "Welches Zeichen?", "options": ["Ja", "Nein"]}}
    del german["practice"]
    german["steps"][0] = {**german["steps"][0], "kind": "instruction"}
    assert _differences(english, german) == [
        "practice: missing in German",
        "steps[0].kind: not in the English",
        "steps[1].config.options: 2 items in German, 6 in the English",
    ]


def test_german_texts_are_counted():
    # The report's numbers: every exercise and program, every text field of the English.
    english_count = sum(len(list(_leaves(text_skeleton(english)))) for _, _, english, _ in ENTRIES)
    german_count = len(list(_german_texts()))
    assert german_count == english_count > 400


def _english_fingerprint(kind, english):
    """The English texts and the order of steps or items that an entry's German was written against."""
    order = [step["kind"] for step in english["steps"]] if kind == "exercise" else english["items"]
    order = [item if isinstance(item, str) else item["exercise"] for item in order]
    source = json.dumps([text_skeleton(english), order], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(source.encode()).hexdigest()[:12]


# The English each German entry was written against. When an English text changes, or its steps or items are
# reordered, the German must be rewritten to match: then put the new fingerprint here.
WRITTEN_AGAINST = {
    "arrival-pulse": "420b4a22736e",
    "check-in-ground-rules": "d13ca31b8a47",
    "pause-signal": "7e51ab7e34f6",
    "naming-moments": "84f24e98fd6a",
    "boundary-map": "d798a593f904",
    "goals-to-actions": "7e49cca4a8fa",
    "structured-disagreement": "13c754f1955d",
    "trial-period": "7815f157c3ba",
    "consent-check-in": "00183496e949",
    "emotion-labeling": "fcae9d63d2ab",
    "curiosity-experiment": "3719c753ae97",
    "invitations-not-demands": "1b8026c3fe45",
    "conflict-pre-agreement": "a28e93f0ff88",
    "co-created-ritual": "95f4e3d3ec50",
    "old-scripts": "ba0857130072",
    "breather": "f8036c75fd63",
    "closing-appreciation": "268752870d9b",
    "online-90": "362e172b97c5",
    "retreat-2-day": "c691da669db2",
}


@pytest.mark.parametrize(("kind", "key", "english", "german"), ENTRIES, ids=ENTRY_IDS)
def test_german_was_written_against_the_current_english(kind, key, english, german):
    fingerprint = _english_fingerprint(kind, english)
    assert WRITTEN_AGAINST.get(key) == fingerprint, (
        f"The English of {kind} {key} changed since its German was written: update workshops/"
        f"library_content_de.py to match, then set WRITTEN_AGAINST[{key!r}] = {fingerprint!r}"
    )


# ------------------------------------------------------------ merged content


@pytest.mark.parametrize("key", list(BY_KEY))
def test_merged_german_steps_validate(key):
    merged = localized(BY_KEY[key], EXERCISES_DE[key])
    for step in merged["steps"]:
        spec = validate_step(step)
        assert spec.title == step["title"]


def test_merging_keeps_everything_but_the_texts_english_and_takes_every_german_text():
    merged = _merged_exercises()
    assert _strip_texts(merged) == _strip_texts(EXERCISES)
    assert {exercise["key"]: text_skeleton(exercise) for exercise in merged} == EXERCISES_DE
    programs = localized(PROGRAMS, PROGRAMS_DE)
    assert _strip_texts(programs) == _strip_texts(PROGRAMS)
    assert {program["key"]: text_skeleton(program) for program in programs} == PROGRAMS_DE


def test_titles_and_summaries_fit_the_models():
    limits = {
        "exercise": {name: Exercise._meta.get_field(name).max_length for name in ("title", "summary", "practice")},
        "program": {name: Program._meta.get_field(name).max_length for name in ("title", "description")},
    }
    for kind, key, _, german in ENTRIES:
        for name, limit in limits[kind].items():
            assert 0 < len(german[name]) <= limit, (kind, key, name, len(german[name]))


def test_choices_and_labels_fit_a_small_phone():
    for exercise in _merged_exercises():
        for index, step in enumerate(exercise["steps"]):
            config = step["config"]
            where = (exercise["key"], index)
            labels = [step["title"], *config.get("options", []), *config.get("suggestions", [])]
            for option in config.get("options", []):
                assert len(option) <= OPTION_MAX, (*where, option)
            if config.get("scale"):
                for end in ("min_label", "max_label"):
                    assert len(config["scale"][end]) <= SCALE_LABEL_MAX, (*where, config["scale"][end])
                    labels.append(config["scale"][end])
            for phase in config.get("phases", []):
                assert len(phase["label"]) <= PHASE_LABEL_MAX, (*where, phase["label"])
                labels.append(phase["label"])
            labels += [section["label"] for section in config.get("sections", [])]
            for label in labels:
                longest = max(re.findall(r"[\w-]+", label), key=len)
                assert len(longest) <= WORD_MAX, (*where, longest)


def test_options_in_one_step_are_distinct():
    # A choice answer is kept as the option's text: two equal options could not be told apart.
    for exercise in _merged_exercises():
        for step in exercise["steps"]:
            options = step["config"].get("options", [])
            assert len(options) == len(set(options)), (exercise["key"], step["title"])


# ------------------------------------------------------- cross-references


def _step(key, index):
    return EXERCISES_DE[key]["steps"][index]


def test_notes_name_the_labels_they_refer_to():
    disagreement = _step("structured-disagreement", 2)
    phases = [phase["label"] for phase in disagreement["config"]["phases"]]
    notes = disagreement["facilitator_notes"]
    assert f"„{phases[1]}“" in notes and f"„{phases[3]}“" in notes
    boundary_sections = [section["label"] for section in _step("boundary-map", 2)["config"]["sections"]]
    assert f"„{boundary_sections[2]}“" in _step("boundary-map", 3)["facilitator_notes"]
    experiment_sections = [section["label"] for section in _step("curiosity-experiment", 3)["config"]["sections"]]
    assert f"„{experiment_sections[2]}“" in _step("curiosity-experiment", 3)["facilitator_notes"]
    # "Not right now" is one phrase: the low end of the scale and the notes that quote it.
    low_end = _step("curiosity-experiment", 1)["config"]["scale"]["min_label"]
    assert f"„{low_end.lower()}“" in _step("curiosity-experiment", 0)["content_note"]
    assert f"„{low_end.lower()}“" in _step("curiosity-experiment", 1)["facilitator_notes"]


def test_conflict_plan_names_its_three_parts_as_the_participants_are_told():
    step = _step("conflict-pre-agreement", 3)
    prompt = step["config"]["prompt"]
    for part in ("Auszeit", "Versöhnung", "Nachgespräch"):
        assert f"{part}:" in prompt and part in step["participant_text"], part


# ------------------------------------------------------------ house rules

# Formal address in the middle of a sentence ("..., dass Sie ..."); the informal forms capitalised there.
FORMAL = re.compile(r"[a-zäöüß,;] (Sie|Ihnen|Ihr|Ihre[mnrs]?)\b")
CAPITAL_DU = re.compile(r"[a-zäöüß,;] (Du|Dich|Dir|Dein|Deine[mnrs]?|Euch|Euer|Eure[mnrs]?)\b")
GENDER_MARKS = re.compile(r"\w[*:_/]in(nen)?\b|\wInnen\b")
# Gendered nouns for a partner, a facilitator or a participant (the pair "Partner oder Partnerin" is allowed).
GENDERED = re.compile(r"\b(Partner(in|innen|n|s)?|Moderator(in|innen|en)?|Teilnehmer(in|innen|n)?)\b")


def test_house_rule_patterns_catch_what_they_are_for():
    assert FORMAL.search("Schön, dass Sie da sind.") and FORMAL.search("Danke für Ihre Zeit.")
    assert not FORMAL.search("Eine Grenze ist eine Landkarte: Sie zeigt, wo du stehst.")
    assert CAPITAL_DU.search("Schön, dass Du da bist.") and not CAPITAL_DU.search("„Du hetzt mich“")
    assert GENDER_MARKS.search("alle Teilnehmer*innen") and GENDER_MARKS.search("Partner:innen")
    assert GENDERED.search("dein Partner sagt") and not GENDERED.search("in eurer Partnerschaft")


def test_german_uses_du_and_no_formal_address():
    for where, _, text in _german_texts():
        assert not FORMAL.search(text), (where, FORMAL.search(text).group(0))
        assert not CAPITAL_DU.search(text), (where, CAPITAL_DU.search(text).group(0))


def test_german_names_no_gender_for_partners_and_staff():
    for where, _, text in _german_texts():
        assert not GENDER_MARKS.search(text), where
        for match in GENDERED.finditer(text.replace("Partner oder Partnerin", "")):
            pytest.fail(f"{where}: {match.group(0)}")


def test_german_quotes_and_ellipses():
    for where, _, text in _german_texts():
        assert '"' not in text and "'" not in text, where
        assert "..." not in text, where
        assert text.count("„") == text.count("“"), where


def test_german_uses_the_house_terms():
    texts = " ".join(text for _, _, text in _german_texts())
    for other_word in ("Facilitator", "Consent", "Boundar", "Pausensignal", "Pause-Signal", "Sitzung"):
        assert other_word not in texts, other_word
    for term in ("Pausenzeichen", "Einverständnis", "Grenzen", "auslassen", "Moderation", "Gegenüber"):
        assert term in texts, term


# ------------------------------------------------------------ the merge itself


def test_localized_takes_texts_only_from_the_overlay():
    english = {
        "kind": "poll",
        "title": "Energy",
        "duration_minutes": 1,
        "config": {"question": "How?", "poll_kind": "scale", "scale": {"min": 1, "max": 5, "min_label": "Low"}},
    }
    overlay = {
        "kind": "break",
        "title": "Energie",
        "duration_minutes": 9,
        "config": {"question": "Wie?", "poll_kind": "words", "scale": {"max": 9, "min_label": "Wenig"}},
    }
    assert localized(english, overlay) == {
        "kind": "poll",
        "title": "Energie",
        "duration_minutes": 1,
        "config": {"question": "Wie?", "poll_kind": "scale", "scale": {"min": 1, "max": 5, "min_label": "Wenig"}},
    }


def test_localized_keeps_the_english_where_the_overlay_has_nothing_usable():
    english = {"title": "Pick", "summary": "Choose one", "practice": "P", "options": ["A", "B", "C"]}
    overlay = {"title": "", "summary": None, "options": ["Eins", "Zwei"]}
    assert localized(english, overlay) == english
    assert localized(english, None) == english
    assert localized("Hello", "Hallo") == "Hallo"
    assert localized("", "") == ""


def test_localized_matches_keyed_lists_by_key_and_other_lists_by_place():
    english = [{"key": "a", "title": "A", "items": [{"title": "x"}, {"title": "y"}]}, {"key": "b", "title": "B"}]
    overlay = {"b": {"title": "Be"}, "a": {"items": [{"title": "ix"}, {"title": "ypsilon"}]}}
    assert localized(english, overlay) == [
        {"key": "a", "title": "A", "items": [{"title": "ix"}, {"title": "ypsilon"}]},
        {"key": "b", "title": "Be"},
    ]


def test_localized_shares_nothing_mutable_with_the_english():
    merged = localized(EXERCISES, {})
    assert merged == EXERCISES
    merged[0]["steps"][1]["config"]["scale"]["min_label"] = "changed"
    assert EXERCISES[0]["steps"][1]["config"]["scale"]["min_label"] != "changed"


def _nested_models(model, seen):
    if model in seen:
        return
    seen.append(model)
    for field in model.model_fields.values():
        for inner in _types_in(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                _nested_models(inner, seen)


def _types_in(annotation):
    yield annotation
    for argument in typing.get_args(annotation):
        yield from _types_in(argument)


def _is_text(field):
    # A text field of steps.py is a str checked against the printable pattern (a key has its own pattern).
    described = repr(field.annotation) + repr(field.metadata)
    return steps._PRINTABLE.replace("\\", "\\\\") in described or steps._PRINTABLE in described


def test_text_fields_are_exactly_the_text_fields_of_the_step_models():
    models = []
    for model in (steps.StepSpec, *steps.CONFIG_BY_KIND.values()):
        _nested_models(model, models)
    assert steps.DialoguePhase in models and steps.ScaleRange in models and steps.WorksheetSection in models
    text, other = set(), set()
    for model in models:
        for name, field in model.model_fields.items():
            (text if _is_text(field) else other).add(name)
    assert text <= TEXT_FIELDS
    assert not (other & TEXT_FIELDS), other & TEXT_FIELDS
    assert {"key", "kind", "answer_kind", "poll_kind", "agreement_kind", "seconds", "min"} <= other
