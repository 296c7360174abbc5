"""Workshop content in the reader's language (issue 17): the built-in library carries its German texts into the
rows, a session freezes them with its steps, the frames hand each app the translations its reader may need, and
editing an exercise keeps only the translations that are still true."""

import pytest
from django.utils import translation

from feedback.services import prompt_for_step
from realtime.snapshots import lobby_state, session_public, session_staff
from tests import factories
from workshops.models import Exercise, Program
from workshops.services import library, scheduling

pytestmark = pytest.mark.django_db


def _builtin_session():
    org = factories.organization()
    program = library.program_copy(program=Program.objects.get(key="online-90", organization=None), organization=org)
    workshop = scheduling.workshop_create(
        organization=org, program=program, title="Online", timezone_name="Europe/Berlin", capacity_couples=8
    )
    return factories.session(workshop)


def test_the_built_in_library_is_in_english_and_german():
    pulse = Exercise.objects.get(key="arrival-pulse", organization=None)
    assert pulse.language == "en"
    assert pulse.translations["de"]["title"] == "Ankommen: ein anonymes Stimmungsbild"
    poll = pulse.steps.filter(kind="poll").first()
    german = poll.translations["de"]["config"]
    assert german["question"] == "Wie sicher fühlt sich dieser Raum gerade für dich an?"
    # The same scale in both: a 4 means the same whichever language it was given in.
    assert (german["poll_kind"], german["scale"]["min"], german["scale"]["max"]) == (
        poll.config["poll_kind"],
        poll.config["scale"]["min"],
        poll.config["scale"]["max"],
    )
    assert all(step.translations.get("de") for step in Exercise.objects.filter(organization=None).first().steps.all())


def test_a_session_hands_each_reader_the_step_in_their_language_and_staff_notes_only_to_staff():
    state = lobby_state(_builtin_session())
    state.status, state.step_index = "running", 0
    public = session_public(state)["step"]
    assert public["language"] == "en" and public["title"] == "Welcome"
    assert public["translations"]["de"]["title"] == "Willkommen"
    assert public["translations"]["de"]["exercise"] == "Ankommen: ein anonymes Stimmungsbild"
    assert "facilitator_notes" not in public["translations"]["de"]
    staff_step = session_staff(state)["run_of_show"][0]
    notes = staff_step["translations"]["de"]["facilitator_notes"]
    # The program's note for the item, then the step's own, both in German.
    assert notes.startswith("Gib allen zuerst Zeit") and "Stell dich vor" in notes
    assert "Let people settle" in staff_step["facilitator_notes"]


def test_a_poll_asks_the_same_question_in_each_language_with_options_in_the_same_places():
    session = _builtin_session()
    state = lobby_state(session)
    state.status = "running"
    state.step_index = next(i for i, step in enumerate(state.steps) if step["kind"] == "poll")
    state.save()
    prompt = prompt_for_step(session, state)
    assert prompt.language == "en"
    german = prompt.translations["de"]
    assert german["question"] != prompt.question and german["question"]
    assert len(german["options"]) == len(prompt.options)
    assert (german["scale"] or {}).get("max") == (prompt.scale or {}).get("max")


def test_an_organizations_own_exercise_is_in_the_language_its_author_wrote_it_in():
    org = factories.organization()
    with translation.override("de"):
        own = factories.exercise(org, title="Ankommen")
    assert own.language == "de" and own.translations == {}


def test_an_edit_keeps_only_the_translations_that_are_still_true():
    org = factories.organization()
    builtin = Exercise.objects.get(key="arrival-pulse", organization=None)
    mine = library.exercise_copy(exercise=builtin, organization=org)
    assert mine.translations == builtin.translations
    specs = [step.as_spec() for step in mine.steps.all()]
    specs[0]["participant_text"] = "Welcome, in our own words."  # a text changed: its German is no longer true
    specs[1]["config"] = {**specs[1]["config"], "scale": {**specs[1]["config"]["scale"], "max": 7}}  # a number
    library.exercise_update(exercise=mine, organization=org, steps=specs, summary="Our own summary.")
    mine.refresh_from_db()
    steps = list(mine.steps.all())
    assert steps[0].translations == {}
    german = steps[1].translations["de"]["config"]
    assert german["question"] == "Wie sicher fühlt sich dieser Raum gerade für dich an?"
    assert german["scale"]["max"] == 7 and german["scale"]["max_label"] == "Sehr sicher"
    assert steps[2].translations == builtin.steps.get(position=3).translations
    # The title is unchanged, so its German stays; the summary changed, so its German went.
    assert mine.translations == {
        "de": {"title": builtin.translations["de"]["title"], "practice": builtin.translations["de"]["practice"]}
    }


def test_a_program_edit_keeps_its_items_translations_where_exercise_and_notes_are_the_same():
    org = factories.organization()
    program = library.program_copy(program=Program.objects.get(key="online-90", organization=None), organization=org)
    items = [
        {
            "exercise": i.exercise_id,
            "part": i.part,
            "duration_minutes": i.duration_minutes,
            "facilitator_notes": i.facilitator_notes,
        }
        for i in program.items.all()
    ]
    items[0]["facilitator_notes"] = "Our own note."
    library.program_update(program=program, organization=org, items=items, title=program.title)
    kept = list(program.items.all())
    assert kept[0].translations == {}
    assert kept[1].translations["de"]["facilitator_notes"]
    assert program.translations["de"]["title"]
