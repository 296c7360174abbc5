"""A built-in exercise copied into the library for a program is swapped into that program: from the program's
builder, from the exercise's page opened from the program, or offered on the copy's page afterwards."""

import pytest

from workshops.models import Exercise
from workshops.services import library as library_services

from .helpers import page_text, text_of
from .test_program_pages import items_of, items_post


@pytest.fixture
def evening(team, exercise, builtin_exercise):
    return library_services.program_create(
        organization=team.organization,
        title="Evening",
        items=[
            {"exercise": exercise.pk, "part": 1, "duration_minutes": 15},
            {"exercise": builtin_exercise.pk, "part": 2, "duration_minutes": 40, "facilitator_notes": "Go slow."},
        ],
    )


def copy_of(team, original):
    return Exercise.objects.get(organization=team.organization, copied_from=original)


@pytest.mark.django_db
def test_copying_a_builtin_exercise_from_the_builder_saves_what_was_typed_and_runs_the_copy(
    team, evening, exercise, builtin_exercise
):
    client = team.client("organizer")
    url = team.url(f"programs/{evening.pk}/")
    response = client.get(url)
    assert text_of(response, "item-2") == (
        "2. Zz Test boundary map Built-in Minutes Part Facilitator notes Go slow. "
        "Move up Zz Test boundary map Remove Zz Test boundary map "
        "Copy to my library to change it (Zz Test boundary map)"
    )
    assert "Copy to my library to change it" not in text_of(response, "item-1")

    rows = [(exercise.pk, 20, 1, "Breathe first."), (builtin_exercise.pk, 40, 2, "Go slow.")]
    response = client.post(url + "items/", items_post(rows, op="copy:1"))
    copy = copy_of(team, builtin_exercise)
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{copy.pk}/"))
    assert items_of(evening) == [
        ("Listening in turns", 20, 1, "Breathe first."),
        ("Zz Test boundary map", 40, 2, "Go slow."),
    ]
    assert [item.exercise_id for item in evening.items.all()] == [exercise.pk, copy.pk]
    response = client.get(response["Location"])
    assert "“Zz Test boundary map” is now in your library, and “Evening” uses the copy; change it as you like." in (
        page_text(response)
    )
    assert "Used by: Evening" in page_text(response)
    assert 'id="use-the-copy"' not in response.content.decode()  # nothing runs the original any more
    assert "Copy to my library to change it" not in page_text(client.get(url))


@pytest.mark.django_db
def test_the_exercise_page_opened_from_a_program_copies_into_that_program(team, evening, builtin_exercise):
    client = team.client("organizer")
    response = client.get(team.url(f"programs/{evening.pk}/"))
    link = team.url(f"library/{builtin_exercise.pk}/?program={evening.pk}")
    assert f'href="{link}"' in response.content.decode()
    response = client.get(link)
    assert "Copy it and use the copy in “Evening” Copy to my library only" in page_text(response)

    other = library_services.program_create(
        organization=team.other, title="Elsewhere", items=[{"exercise": builtin_exercise.pk}]
    )
    for refused in (str(other.pk), "abc", "99999999999999999999"):
        response = client.post(team.url(f"library/{builtin_exercise.pk}/copy/"), {"program": refused})
        assert response.status_code == 404
    assert not Exercise.objects.filter(copied_from=builtin_exercise).exists()
    assert [item.exercise_id for item in other.items.all()] == [builtin_exercise.pk]

    response = client.post(team.url(f"library/{builtin_exercise.pk}/copy/"), {"program": str(evening.pk)})
    copy = copy_of(team, builtin_exercise)
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{copy.pk}/"))
    assert [item.exercise_id for item in evening.items.all()][1] == copy.pk
    assert evening.items.get(exercise=copy).facilitator_notes == "Go slow."


@pytest.mark.django_db
def test_a_copy_made_in_the_library_offers_itself_to_the_programs_that_run_the_original(
    team, evening, builtin_exercise
):
    client = team.client("organizer")
    response = client.post(team.url(f"library/{builtin_exercise.pk}/copy/"))
    copy = copy_of(team, builtin_exercise)
    assert [item.exercise_id for item in evening.items.all()][1] == builtin_exercise.pk  # not swapped unasked
    response = client.get(response["Location"])
    assert text_of(response, "use-the-copy") == (
        "Use this copy in your programs These programs still run the original, “Zz Test boundary map”: "
        "Evening Use the copy in “Evening”"
    )
    assert client.post(team.url(f"library/{copy.pk}/use/"), {"program": "nope"}).status_code == 404

    response = client.post(team.url(f"library/{copy.pk}/use/"), {"program": str(evening.pk)})
    assert (response.status_code, response["Location"]) == (302, team.url(f"library/{copy.pk}/"))
    assert [item.exercise_id for item in evening.items.all()][1] == copy.pk
    response = client.get(response["Location"])
    assert "“Evening” now uses your copy of “Zz Test boundary map”." in page_text(response)
    assert 'id="use-the-copy"' not in response.content.decode()
    # Facilitators read the library but don't change programs.
    assert team.client("facilitator").post(team.url(f"library/{copy.pk}/use/"), {"program": "1"}).status_code == 403
