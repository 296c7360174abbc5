"""The library pages: listing, reading, copying, and the step editor (errors in place, nothing lost)."""

import pytest

from workshops.forms_library import EXAMPLE_CONFIGS
from workshops.models import Exercise
from workshops.services import library as library_services
from workshops.steps import STEP_KINDS, validate_step

from .conftest import instruction
from .helpers import field_value, page_text, text_of


def editor_post(title, steps, op="save", **extra):
    """The editor's form: each step's own fields, and its settings (``settings``: input name to text) as typed."""
    data = {"op": op, "title": title, "practice": "", "summary": "", "step_count": str(len(steps)), **extra}
    for index, step in enumerate(steps):
        defaults = {
            "kind": "instruction",
            "title": "",
            "duration_minutes": "5",
            "participant_text": "",
            "facilitator_notes": "",
            "content_note": "",
        }
        step = {**defaults, **step}
        step.setdefault("shown_kind", step["kind"])
        for name, value in step.pop("settings", {}).items():
            data[f"step-{index}-config-{name}"] = value
        for name, value in step.items():
            data[f"step-{index}-{name}"] = value
    return data


def test_every_example_config_is_a_valid_step():
    for kind in STEP_KINDS:
        assert validate_step({"kind": kind, "title": "T", "duration_minutes": 1, "config": EXAMPLE_CONFIGS[kind]})


@pytest.mark.django_db
def test_library_lists_own_and_builtin_exercises_with_minutes_and_kinds(team, exercise, builtin_exercise):
    response = team.client("facilitator").get(team.url("library/"))
    assert response.status_code == 200
    assert text_of(response, f"exercise-{exercise.pk}") == (
        "Listening in turns Active listening · 15 min Instruction Private reflection"
    )
    assert text_of(response, f"exercise-{builtin_exercise.pk}") == (
        "Zz Test boundary map Boundary mapping · 25 min Shared worksheet"
    )
    own = response.content.decode().split('id="builtin-exercises"')[0]
    assert f'id="exercise-{exercise.pk}"' in own
    assert f'id="exercise-{builtin_exercise.pk}"' not in own


@pytest.mark.django_db
def test_builtin_exercise_shows_notes_and_copies_into_the_organization(team, builtin_exercise):
    client = team.client("organizer")
    response = client.get(team.url(f"library/{builtin_exercise.pk}/"))
    assert text_of(response, "step-1") == (
        "Map it Shared worksheet · 25 min Facilitator notes Walk the room slowly. "
        "Content note Touches on intimacy and limits. Settings Sections Short name Label Hint "
        "non_negotiables Non-negotiables"
    )
    assert "Copy to my library" in page_text(response)
    assert f'href="{team.url(f"library/{builtin_exercise.pk}/edit/")}"' not in response.content.decode()

    response = client.post(team.url(f"library/{builtin_exercise.pk}/copy/"))
    copy = Exercise.objects.get(organization=team.organization, copied_from=builtin_exercise)
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{copy.pk}/"))
    assert [s.as_spec() for s in copy.steps.all()] == [s.as_spec() for s in builtin_exercise.steps.all()]
    assert "“Zz Test boundary map” is now in your library" in page_text(client.get(response["Location"]))

    # A built-in exercise itself can't be edited: the edit page sends back with a message.
    response = client.get(team.url(f"library/{builtin_exercise.pk}/edit/"))
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{builtin_exercise.pk}/"))


@pytest.mark.django_db
def test_new_exercise_with_errors_keeps_everything_typed_and_marks_the_right_step(team):
    client = team.client("organizer")
    steps = [
        {"title": "Welcome", "duration_minutes": "5", "participant_text": "Settle in, take a breath."},
        {
            "kind": "reflection",
            "title": "Alone first",
            "duration_minutes": "12",
            "participant_text": "Write for yourself only.",
            "facilitator_notes": "Keep time gently.",
            "content_note": "May bring up old hurts.",
            "settings": {"prompts": ""},
        },
        {"kind": "poll", "title": "", "duration_minutes": "ten", "settings": {"question": "How was it?"}},
    ]
    response = client.post(team.url("library/new/"), editor_post("Slow start", steps))
    assert response.status_code == 400
    assert Exercise.objects.filter(organization=team.organization).count() == 0
    assert text_of(response, "step-1-config-prompts_error") == "Write at least one, on a line of its own."
    assert text_of(response, "step-2-title_error") == "Give the step a title."
    assert text_of(response, "step-2-duration_minutes_error") == "Enter the minutes as a whole number from 1 to 240."
    assert text_of(response, "step-2-config-poll_kind_error") == "Fill this in."
    assert 'id="step-0-title_error"' not in response.content.decode()
    # Nothing typed is lost.
    assert field_value(response, "title") == "Slow start"
    assert field_value(response, "step-0-participant_text") == "Settle in, take a breath."
    assert field_value(response, "step-1-title") == "Alone first"
    assert field_value(response, "step-1-duration_minutes") == "12"
    assert field_value(response, "step-1-facilitator_notes") == "Keep time gently."
    assert field_value(response, "step-1-content_note") == "May bring up old hurts."
    assert field_value(response, "step-1-config-prompts") == ""
    assert field_value(response, "step-2-duration_minutes") == "ten"
    assert field_value(response, "step-2-config-question") == "How was it?"
    assert 'option value="poll" selected' in response.content.decode()

    steps[1]["settings"] = {"prompts": "What do you need?\n"}
    steps[2].update(title="Pulse", duration_minutes="3", settings={"question": "How was it?", "poll_kind": "words"})
    response = client.post(team.url("library/new/"), editor_post("Slow start", steps))
    exercise = Exercise.objects.get(organization=team.organization)
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{exercise.pk}/"))
    assert [(s.position, s.kind, s.title, s.duration_minutes, s.config) for s in exercise.steps.all()] == [
        (1, "instruction", "Welcome", 5, {}),
        (2, "reflection", "Alone first", 12, {"prompts": ["What do you need?"]}),
        (3, "poll", "Pulse", 3, {"question": "How was it?", "poll_kind": "words"}),
    ]
    assert exercise.steps.get(position=2).content_note == "May bring up old hurts."


@pytest.mark.django_db
def test_service_refusal_of_the_whole_step_list_shows_above_the_steps(team):
    steps = [{"title": f"Step {n}"} for n in range(library_services.MAX_STEPS + 1)]
    response = team.client("organizer").post(team.url("library/new/"), editor_post("Too long", steps))
    assert response.status_code == 400
    assert text_of(response, "steps-error") == f"An exercise has at most {library_services.MAX_STEPS} steps."
    assert field_value(response, f"step-{library_services.MAX_STEPS}-title") == "Step 20"


@pytest.mark.django_db
def test_step_editor_adds_moves_and_removes_steps_without_saving_until_save(team, exercise):
    client = team.client("organizer")
    url = team.url(f"library/{exercise.pk}/edit/")
    response = client.get(url)
    assert [field_value(response, f"step-{i}-title") for i in range(2)] == ["Welcome", "On your own"]
    steps = [
        {"title": "Welcome (edited)"},
        {"kind": "reflection", "title": "On your own", "settings": {"prompts": "Q"}},
    ]

    response = client.post(url, editor_post("Listening in turns", steps, op="add", new_kind="worksheet"))
    assert response.status_code == 200
    assert "Step 3 added at the end. Nothing is saved until you press Save exercise." in page_text(response)
    assert field_value(response, "step-0-title") == "Welcome (edited)"
    assert [field_value(response, f"step-2-config-sections-{n}-label") for n in range(2)] == [
        "Non-negotiables",
        "Negotiables",
    ]
    assert exercise.steps.count() == 2

    response = client.post(url, editor_post("Listening in turns", steps, op="down:0"))
    assert [field_value(response, f"step-{i}-title") for i in range(2)] == ["On your own", "Welcome (edited)"]
    response = client.post(url, editor_post("Listening in turns", steps, op="remove:0"))
    assert field_value(response, "step_count") == "1"
    assert field_value(response, "step-0-title") == "On your own"
    assert [s.title for s in Exercise.objects.get(pk=exercise.pk).steps.all()] == ["Welcome", "On your own"]

    response = client.post(url, editor_post("Listening, in turns", list(reversed(steps))))
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.title == "Listening, in turns"
    assert [(s.position, s.title) for s in exercise.steps.all()] == [(1, "On your own"), (2, "Welcome (edited)")]


@pytest.mark.django_db
def test_exercise_in_use_is_not_deleted(team, program, exercise):
    client = team.client("organizer")
    response = client.post(team.url(f"library/{exercise.pk}/delete/"))
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{exercise.pk}/"))
    assert "This exercise is used by: Evening workshop. Remove it there first." in page_text(
        client.get(response["Location"])
    )
    spare = library_services.exercise_create(organization=team.organization, title="Spare", steps=[instruction()])
    assert "Delete “Spare”?" in page_text(client.get(team.url(f"library/{spare.pk}/delete/")))
    response = client.post(team.url(f"library/{spare.pk}/delete/"))
    assert (response.status_code, response["Location"]) == (302, team.url("library/"))
    assert not Exercise.objects.filter(pk=spare.pk).exists()
