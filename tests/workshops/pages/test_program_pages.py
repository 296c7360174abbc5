"""The program pages: totals per part, the builder (add, move, remove, minutes, parts, notes), copying."""

import pytest

from workshops.models import Program, ProgramItem
from workshops.services import library as library_services

from .conftest import instruction, reflection
from .helpers import field_value, page_text, text_of


def items_post(rows, op="save"):
    data = {"op": op, "item_count": str(len(rows))}
    for index, (exercise, minutes, part, notes) in enumerate(rows):
        data[f"item-{index}-exercise"] = str(exercise)
        data[f"item-{index}-duration_minutes"] = str(minutes)
        data[f"item-{index}-part"] = str(part)
        data[f"item-{index}-facilitator_notes"] = notes
    return data


def items_of(program):
    return [(i.exercise.title, i.duration_minutes, i.part, i.facilitator_notes) for i in program.items.all()]


@pytest.fixture
def library(team, exercise):
    second = library_services.exercise_create(
        organization=team.organization, title="Second", steps=[instruction(minutes=7)]
    )
    third = library_services.exercise_create(
        organization=team.organization, title="Third", steps=[reflection(minutes=25)]
    )
    return exercise, second, third


@pytest.mark.django_db
def test_builder_adds_moves_removes_and_sets_minutes_parts_and_notes(team, library):
    first, second, third = library
    client = team.client("organizer")
    response = client.post(
        team.url("programs/new/"),
        {"title": "Weekend", "format": "hybrid", "description": "", "exercise": str(first.pk)},
    )
    program = Program.objects.get(organization=team.organization, title="Weekend")
    url = team.url(f"programs/{program.pk}/")
    assert (response.status_code, response["Location"]) == (302, url)
    assert items_of(program) == [("Listening in turns", 15, 1, "")]

    # Added items take the exercise's own minutes and the last part unless told otherwise.
    assert client.post(url + "items/add/", {"exercise": str(second.pk)}).status_code == 302
    response = client.post(url + "items/add/", {"exercise": str(third.pk), "part": "2", "duration_minutes": "40"})
    assert (response.status_code, response["Location"]) == (302, url + "#item-3")
    # A part-1 item added later goes before part 2.
    response = client.post(url + "items/add/", {"exercise": str(third.pk), "part": "1"})
    assert (response.status_code, response["Location"]) == (302, url + "#item-3")
    assert items_of(program) == [
        ("Listening in turns", 15, 1, ""),
        ("Second", 7, 1, ""),
        ("Third", 25, 1, ""),
        ("Third", 40, 2, ""),
    ]
    rows = [(first.pk, 15, 1, ""), (second.pk, 7, 1, ""), (third.pk, 25, 1, ""), (third.pk, 40, 2, "")]

    response = client.post(url + "items/", items_post(rows, op="up:1"))
    assert (response.status_code, response["Location"]) == (302, url + "#item-1")
    assert [t for t, *_ in items_of(program)] == ["Second", "Listening in turns", "Third", "Third"]
    rows[0], rows[1] = rows[1], rows[0]

    # Moving also saves what was typed in the other fields.
    rows[2] = (third.pk, 30, 1, "Dim the lights.")
    response = client.post(url + "items/", items_post(rows, op="down:0"))
    assert (response.status_code, response["Location"]) == (302, url + "#item-2")
    assert items_of(program) == [
        ("Listening in turns", 15, 1, ""),
        ("Second", 7, 1, ""),
        ("Third", 30, 1, "Dim the lights."),
        ("Third", 40, 2, ""),
    ]
    rows = [(first.pk, 15, 1, ""), (second.pk, 7, 1, ""), (third.pk, 30, 1, "Dim the lights."), (third.pk, 40, 2, "")]
    response = client.post(url + "items/", items_post(rows, op="remove:1"))
    assert response.status_code == 302
    assert "Removed “Second”." in page_text(client.get(url))
    assert [t for t, *_ in items_of(program)] == ["Listening in turns", "Third", "Third"]

    response = client.get(url)
    assert text_of(response, "planned") == "85 min planned · Part 1: 45 min · Part 2: 40 min"
    assert field_value(response, "item-1-facilitator_notes") == "Dim the lights."
    response = client.get(team.url("programs/"))
    assert text_of(response, f"program-{program.pk}") == (
        "Weekend Hybrid 3 exercises · 85 min planned Part 1: 45 min Part 2: 40 min"
    )


@pytest.mark.django_db
def test_builder_errors_show_on_the_item_and_keep_what_was_typed(team, library):
    first, second, _ = library
    program = library_services.program_create(
        organization=team.organization,
        title="Evening",
        items=[{"exercise": first.pk, "part": 1}, {"exercise": second.pk, "part": 1}],
    )
    client = team.client("organizer")
    url = team.url(f"programs/{program.pk}/items/")

    response = client.post(url, items_post([(first.pk, 15, 1, "Keep it light."), (second.pk, 0, 1, "Slowly.")]))
    assert response.status_code == 400
    assert text_of(response, "item-1-duration_minutes_error") == "Item 2: duration must be 1 to 600 minutes."
    assert field_value(response, "item-0-facilitator_notes") == "Keep it light."
    assert field_value(response, "item-1-facilitator_notes") == "Slowly."
    assert field_value(response, "item-1-duration_minutes") == "0"

    response = client.post(url, items_post([(first.pk, "", 2, ""), (second.pk, 7, 1, "")]))
    assert text_of(response, "item-0-duration_minutes_error") == "Enter minutes as a whole number."

    response = client.post(url, items_post([(first.pk, 15, "one", ""), (second.pk, 7, 1, "")]))
    assert response.status_code == 400
    assert text_of(response, "item-0-part_error") == "Enter a part as a whole number."
    assert [field_value(response, f"item-{i}-part") for i in range(2)] == ["one", "1"]
    assert items_of(program) == [("Listening in turns", 15, 1, ""), ("Second", 7, 1, "")]

    response = client.post(
        team.url(f"programs/{program.pk}/items/add/"),
        {"exercise": str(first.pk), "part": "1", "duration_minutes": "700"},
    )
    assert response.status_code == 400
    assert text_of(response, "id_duration_minutes_error") == "Item 3: duration must be 1 to 600 minutes."
    assert field_value(response, "duration_minutes") == "700"
    assert ProgramItem.objects.filter(program=program).count() == 2


@pytest.mark.django_db
def test_builtin_program_is_read_only_and_copies_with_its_items(team, builtin_exercise):
    builtin = Program.objects.create(organization=None, key="test-builtin-evening", title="Zz Built-in evening")
    ProgramItem.objects.create(
        program=builtin, exercise=builtin_exercise, position=1, part=1, duration_minutes=30, facilitator_notes="Go."
    )
    client = team.client("organizer")
    response = client.get(team.url(f"programs/{builtin.pk}/"))
    assert response.status_code == 200
    assert text_of(response, "item-1") == "Zz Test boundary map Part 1 · 30 min Facilitator notes Go."
    assert 'name="item_count"' not in response.content.decode()
    assert client.post(team.url(f"programs/{builtin.pk}/items/"), items_post([])).status_code == 404

    response = client.post(team.url(f"programs/{builtin.pk}/copy/"))
    copy = Program.objects.get(organization=team.organization, copied_from=builtin)
    assert (response.status_code, response["Location"]) == (302, team.url(f"programs/{copy.pk}/"))
    assert items_of(copy) == [("Zz Test boundary map", 30, 1, "Go.")]
    assert copy.title == "Zz Built-in evening"


@pytest.mark.django_db
def test_program_title_and_format_are_edited_and_errors_kept(team, program):
    client = team.client("organizer")
    url = team.url(f"programs/{program.pk}/edit/")
    response = client.post(url, {"title": "   ", "format": "online", "description": "Bring tea."})
    assert response.status_code == 400
    assert field_value(response, "description") == "Bring tea."
    response = client.post(url, {"title": "Evening online", "format": "online", "description": "Bring tea."})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.format, program.description) == ("Evening online", "online", "Bring tea.")


@pytest.mark.django_db
def test_an_item_moves_to_another_part_by_its_part_number_or_past_the_edge_of_its_part(team, library):
    first, second, third = library
    program = library_services.program_create(
        organization=team.organization,
        title="Two days",
        items=[
            {"exercise": first.pk, "part": 1, "duration_minutes": 15},
            {"exercise": second.pk, "part": 1, "duration_minutes": 7},
            {"exercise": third.pk, "part": 2, "duration_minutes": 25},
        ],
    )
    client = team.client("organizer")
    url = team.url(f"programs/{program.pk}/")
    rows = [(first.pk, 15, 1, "Warm up."), (second.pk, 7, 1, ""), (third.pk, 25, 2, "")]

    # Typing another part moves the item there, in part order, with what else was typed.
    rows[0] = (first.pk, 15, 2, "Warm up first.")
    response = client.post(url + "items/", items_post(rows))
    assert (response.status_code, response["Location"]) == (302, url + "#item-2")
    assert items_of(program) == [
        ("Second", 7, 1, ""),
        ("Listening in turns", 15, 2, "Warm up first."),
        ("Third", 25, 2, ""),
    ]
    assert "Changes saved. Moved “Listening in turns” to part 2." in page_text(client.get(url))
    assert text_of(client.get(url), "planned") == "47 min planned · Part 1: 7 min · Part 2: 40 min"

    # Move up from the top of part 2: it joins the end of part 1; again, and it moves up within part 1.
    rows = [(second.pk, 7, 1, ""), (first.pk, 15, 2, "Warm up first."), (third.pk, 25, 2, "")]
    response = client.post(url + "items/", items_post(rows, op="up:1"))
    assert (response.status_code, response["Location"]) == (302, url + "#item-2")
    assert items_of(program) == [
        ("Second", 7, 1, ""),
        ("Listening in turns", 15, 1, "Warm up first."),
        ("Third", 25, 2, ""),
    ]
    assert "Moved “Listening in turns” to part 1." in page_text(client.get(url))
    rows = [(second.pk, 7, 1, ""), (first.pk, 15, 1, "Warm up first."), (third.pk, 25, 2, "")]
    response = client.post(url + "items/", items_post(rows, op="up:1"))
    assert (response.status_code, response["Location"]) == (302, url + "#item-1")
    assert [t for t, *_ in items_of(program)] == ["Listening in turns", "Second", "Third"]

    # Move down from the end of part 1: it becomes the first of part 2.
    rows = [(first.pk, 15, 1, "Warm up first."), (second.pk, 7, 1, ""), (third.pk, 25, 2, "")]
    response = client.post(url + "items/", items_post(rows, op="down:1"))
    assert (response.status_code, response["Location"]) == (302, url + "#item-2")
    assert items_of(program) == [
        ("Listening in turns", 15, 1, "Warm up first."),
        ("Second", 7, 2, ""),
        ("Third", 25, 2, ""),
    ]
    assert "Moved “Second” to part 2." in page_text(client.get(url))
