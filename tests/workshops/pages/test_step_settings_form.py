"""The exercise editor's step settings: a form per step kind, made from the kind's config model (workshops/steps.py),
with the kind's label in the chooser, errors in words next to the field, and nothing typed lost."""

import pytest

from workshops.forms_library import EXAMPLE_CONFIGS
from workshops.models import Exercise
from workshops.steps import KINDS

from .form_reader import form_values
from .helpers import field_value, page_text, text_of


@pytest.mark.django_db
def test_a_step_of_every_kind_is_added_and_saved_through_its_own_form(team):
    client = team.client("organizer")
    url = team.url("library/new/")
    response = client.get(url)
    assert text_of(response, "new_kind") == " ".join(kind.label for kind in KINDS)
    data = form_values(response, "step_count")
    for kind in KINDS[1:]:  # the editor starts with an instruction step
        data.update(op="add", new_kind=kind.name)
        response = client.post(url, data)
        assert response.status_code == 200
        data = form_values(response, "step_count")
    assert [text_of(response, f"step-{n}-settings").split(":")[0] for n in range(len(KINDS))] == [
        kind.label for kind in KINDS
    ]
    data.update({f"step-{n}-title": kind.label for n, kind in enumerate(KINDS)}, title="Every kind", op="save")
    response = client.post(url, data)
    exercise = Exercise.objects.get(organization=team.organization, title="Every kind")
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{exercise.pk}/"))
    assert [(step.kind, step.config) for step in exercise.steps.all()] == [
        (kind.name, EXAMPLE_CONFIGS[kind.name]) for kind in KINDS
    ]


@pytest.mark.django_db
def test_settings_are_labelled_fields_with_their_bounds_not_json(team):
    exercise = Exercise.objects.create(organization=team.organization, title="Pulse")
    exercise.steps.create(
        position=1,
        kind="poll",
        title="How safe?",
        duration_minutes=3,
        config={
            "question": "How safe does the room feel?",
            "poll_kind": "scale",
            "scale": {"min": 1, "max": 5, "min_label": "Not yet", "max_label": "Very"},
        },
    )
    response = team.client("organizer").get(team.url(f"library/{exercise.pk}/edit/"))
    html = response.content.decode()
    assert 'name="step-0-config"' not in html and "JSON" not in html
    assert (
        text_of(response, "step-0-config-poll_kind") == "Choose… Scale Single choice Multiple choice One word Free text"
    )
    assert '<option value="scale" selected>Scale</option>' in html
    assert field_value(response, "step-0-config-question") == "How safe does the room feel?"
    assert field_value(response, "step-0-config-options") == ""
    assert [
        field_value(response, f"step-0-config-scale-{name}") for name in ("min", "max", "min_label", "max_label")
    ] == [
        "1",
        "5",
        "Not yet",
        "Very",
    ]
    assert text_of(response, "step-0-config-scale-max_helptext") == "A whole number from 3 to 10."
    assert (
        '<input id="step-0-config-scale-max" name="step-0-config-scale-max" value="5" type="number" '
        'inputmode="numeric" class="short" min="3" max="10" aria-describedby="step-0-config-scale-max_helptext">'
    ) in html
    assert text_of(response, "step-0-config-options_helptext") == (
        "For single and multiple choice only. One per line, at most 10."
    )


def _reflection_and_poll(**settings):
    return {
        "op": "save",
        "title": "Slow start",
        "practice": "",
        "summary": "",
        "step_count": "2",
        "step-0-kind": "reflection",
        "step-0-shown_kind": "reflection",
        "step-0-title": "Alone first",
        "step-0-duration_minutes": "12",
        "step-0-config-prompts": "",
        "step-1-kind": "poll",
        "step-1-shown_kind": "poll",
        "step-1-title": "Pulse",
        "step-1-duration_minutes": "3",
        "step-1-config-question": "How was it?",
        "step-1-config-poll_kind": "single",
        "step-1-config-options": "",
        **settings,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, field, error",
    [
        ({}, "step-0-config-prompts", "Write at least one, on a line of its own."),
        (
            {"step-0-config-prompts": "Why?\n\nWhy not\0?"},
            "step-0-config-prompts",
            ("Line 3: Remove the control character (such as a NUL) from it."),
        ),
        ({"step-0-config-prompts": "\n".join("abcdefg")}, "step-0-config-prompts", "At most 6, one per line."),
        ({"step-1-config-options": "Only one"}, "step-1-config", "A choice poll needs at least two options."),
        (
            {"step-1-config-poll_kind": "words", "step-1-config-options": "Yes\nNo"},
            "step-1-config",
            "Options are only for a choice poll: remove them, or choose single or multiple choice.",
        ),
        (
            {"step-1-config-poll_kind": "scale"},
            "step-1-config",
            "A scale poll needs a scale: its numbers and the labels of its ends.",
        ),
        (
            {"step-1-config-poll_kind": "scale", "step-1-config-scale-min": "2", "step-1-config-scale-max": "5"},
            "step-1-config-scale-min",
            "Enter a whole number from 0 to 1.",
        ),
        (
            {"step-1-config-poll_kind": "scale", "step-1-config-scale-min": "1", "step-1-config-scale-max": "ten"},
            "step-1-config-scale-max",
            "Enter a whole number from 3 to 10.",
        ),
        (
            {"step-1-config-poll_kind": "scale", "step-1-config-scale-min": "1", "step-1-config-scale-max": "5"},
            "step-1-config-scale-min_label",
            "Fill this in.",
        ),
        ({"step-1-config-poll_kind": ""}, "step-1-config-poll_kind", "Fill this in."),
        ({"step-1-config-poll_kind": "colour"}, "step-1-config-poll_kind", "Choose one of the options."),
        ({"step-1-config-question": "x" * 2001}, "step-1-config-question", "Keep it to 2000 characters."),
        (
            {"step-1-duration_minutes": "ten"},
            "step-1-duration_minutes",
            ("Enter the minutes as a whole number from 1 to 240."),
        ),
        ({"step-1-duration_minutes": "300"}, "step-1-duration_minutes", "Enter a whole number from 1 to 240."),
    ],
)
def test_a_refused_setting_is_said_in_words_next_to_its_field_and_everything_typed_stays(team, typed, field, error):
    data = _reflection_and_poll(**{"step-0-config-prompts": "What do you need?" if typed else ""} | typed)
    response = team.client("organizer").post(team.url("library/new/"), data)
    assert response.status_code == 400
    assert text_of(response, f"{field}_error") == error
    assert Exercise.objects.filter(organization=team.organization).count() == 0
    for name, value in data.items():
        if name.startswith("step-") and not name.endswith("kind"):
            assert field_value(response, name) == value, name
    assert "Extra inputs" not in page_text(response) and "should" not in page_text(response)


@pytest.mark.django_db
def test_rows_of_a_worksheet_skip_blank_rows_and_make_short_names_from_labels(team):
    client = team.client("organizer")
    response = client.post(team.url("library/new/"), {"op": "add", "new_kind": "worksheet", "step_count": "0"})
    data = form_values(response, "step_count")
    assert [field_value(response, f"step-0-config-sections-{n}-label") for n in range(4)] == [
        "Non-negotiables",
        "Negotiables",
        "",
        "",
    ]
    assert 'name="step-0-config-sections-4-label"' not in response.content.decode()  # two blank rows are offered
    data.update(
        {
            "title": "Our map",
            "op": "save",
            "step-0-title": "Map it",
            "step-0-config-sections-1-key": "",
            "step-0-config-sections-1-label": "",
            "step-0-config-sections-1-hint": "",
            "step-0-config-sections-3-label": "Things we’d try: Über-soft",
            "step-0-config-sections-3-hint": "Maybe later.",
        }
    )
    response = client.post(team.url("library/new/"), data)
    assert response.status_code == 302
    step = Exercise.objects.get(title="Our map").steps.get()
    assert step.config == {
        "sections": [
            {"key": "non_negotiables", "label": "Non-negotiables"},
            {"key": "things_wed_try_uber_soft", "label": "Things we’d try: Über-soft", "hint": "Maybe later."},
        ]
    }
    response = client.get(team.url(f"library/{step.exercise_id}/"))
    assert text_of(response, "step-1") == (
        "Map it Shared worksheet · 5 min Settings Sections Short name Label Hint "
        "non_negotiables Non-negotiables things_wed_try_uber_soft Things we’d try: Über-soft Maybe later."
    )

    data["step-0-config-sections-0-key"] = "Non Negotiables"
    data["step-0-config-sections-3-key"] = "non_negotiables"
    response = client.post(team.url("library/new/"), data)
    assert response.status_code == 400
    assert text_of(response, "step-0-config-sections-0-key_error") == (
        "Use lower-case letters a to z, digits and _, starting with a letter (at most 40)."
    )
    data["step-0-config-sections-0-key"] = "non_negotiables"
    response = client.post(team.url("library/new/"), data)
    assert text_of(response, "step-0-config_error") == "Two sections have the same short name: give each its own."
    for n in range(6):
        data[f"step-0-config-sections-{n}-label"] = data[f"step-0-config-sections-{n}-key"] = ""
        data[f"step-0-config-sections-{n}-hint"] = ""
    response = client.post(team.url("library/new/"), data)
    assert text_of(response, "step-0-config-sections_error") == "Fill in at least one section."


@pytest.mark.django_db
def test_changing_a_steps_kind_brings_the_new_kinds_settings_and_saves_nothing(team, exercise):
    client = team.client("organizer")
    url = team.url(f"library/{exercise.pk}/edit/")
    data = form_values(client.get(url), "step_count")
    assert (data["step-1-kind"], data["step-1-config-prompts"]) == ("reflection", "What do you want more of?")
    data.update({"step-1-kind": "agreement", "step-1-title": "Our promise", "op": "kind"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "Step 2 is now “Agreement”: its settings start from an example, change them to yours. "
        "Nothing is saved until you press Save exercise."
    ) in page_text(response)
    assert field_value(response, "step-1-title") == "Our promise"
    assert field_value(response, "step-1-config-prompt") == "What will you try for the next few weeks?"
    assert 'name="step-1-config-prompts"' not in response.content.decode()
    assert [s.kind for s in Exercise.objects.get(pk=exercise.pk).steps.all()] == ["instruction", "reflection"]

    # Choosing another kind and pressing Save does the same: the new settings are shown first, not saved unseen.
    data = form_values(response, "step_count")
    data.update({"step-1-kind": "poll", "op": "save"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Step 2 is now “Anonymous pulse or poll”" in page_text(response)
    data = form_values(response, "step_count") | {"op": "save"}
    assert client.post(url, data).status_code == 302
    step = Exercise.objects.get(pk=exercise.pk).steps.get(position=2)
    assert (step.kind, step.title, step.config) == ("poll", "Our promise", EXAMPLE_CONFIGS["poll"])
