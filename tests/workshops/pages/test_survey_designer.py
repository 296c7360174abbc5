"""The survey designer (feedback/views.py): kinds named in words, only the chosen kind's fields, refusals in plain
words next to the field with everything typed kept, and questions edited, reordered and removed after adding."""

import pytest

from feedback.models import Survey

from .form_reader import form_values
from .helpers import field_value, page_text, text_of

SCALE_Q = {"kind": "scale", "question": "How useful was today?", "min": "1", "max": "5"}
SCALE_Q |= {"min_label": "Not at all", "max_label": "Very"}


def prompts_of(team):
    return Survey.objects.get(organization=team.organization).prompts


def add(client, team, **fields):
    data = {"action": "save", "editing": "", "shown_kind": fields["kind"], **fields}
    return client.post(team.url("feedback/survey/"), data)


def names_in(response):
    html = response.content.decode()
    return [
        name for name in ("question", "options", "min", "max", "min_label", "max_label") if f'name="{name}"' in html
    ]


@pytest.mark.django_db
def test_the_kind_is_chosen_in_words_first_then_only_its_fields_show(team):
    client = team.client("organizer")
    url = team.url("feedback/survey/")
    response = client.get(url)
    assert text_of(response, "add-kind") == "Scale Single choice Multiple choice One word Free text"
    assert text_of(response, "kinds") == (
        "Scale A number on a scale between two labelled ends. Single choice One of your options. "
        "Multiple choice Any of your options, one or more. "
        "One word One word each; the report counts the words (shown once at least 8 answers can be). "
        "Free text A few sentences each (shown once at least 8 answers can be)."
    )
    assert names_in(response) == []
    expected = {
        "scale": ["question", "min", "max", "min_label", "max_label"],
        "single": ["question", "options"],
        "multiple": ["question", "options"],
        "words": ["question"],
        "text": ["question"],
    }
    for kind, names in expected.items():
        response = client.get(url, {"add": kind})
        assert names_in(response) == names, kind
    response = client.get(url, {"add": "single"})
    assert text_of(response, "question-form-heading") == "New question: Single choice"
    assert text_of(response, "options_helptext") == "One per line: 2 to 10 options, each at most 120 characters."
    response = client.get(url, {"add": "scale"})
    assert [field_value(response, name) for name in ("min", "max", "min_label")] == ["1", "5", ""]
    assert names_in(client.get(url, {"add": "colour"})) == []  # not a kind: the chooser again


@pytest.mark.django_db
def test_questions_are_listed_with_their_kind_in_words(team):
    client = team.client("organizer")
    assert add(client, team, **SCALE_Q).status_code == 302
    response = add(client, team, kind="single", question="Would you recommend it?", options="Yes\nNot sure\n\nNo\n")
    assert response.status_code == 302
    assert add(client, team, kind="words", question="One word for today?", options="ignored").status_code == 302
    assert prompts_of(team) == [
        {
            "kind": "scale",
            "question": "How useful was today?",
            "options": [],
            "scale": {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Very"},
        },
        {"kind": "single", "question": "Would you recommend it?", "options": ["Yes", "Not sure", "No"], "scale": None},
        {"kind": "words", "question": "One word for today?", "options": [], "scale": None},
    ]
    response = client.get(response["Location"])
    assert "Question added. Couples see the survey on their phones when a session ends." in page_text(response)
    assert text_of(response, "question-1") == (
        "How useful was today? Scale From 1 (Not at all) to 5 (Very) "
        "Edit question 1 Move down question 1 Remove question 1"
    )
    assert text_of(response, "question-2") == (
        "Would you recommend it? Single choice Yes, Not sure, No "
        "Edit question 2 Move up question 2 Move down question 2 Remove question 2"
    )
    assert text_of(response, "question-3").startswith("One word for today? One word Edit question 3")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, field, error",
    [
        (
            {"min": "5", "max": "3"},
            "scale",
            "The scale's lowest number must be smaller than its highest, from 0 to 10.",
        ),
        (
            {"min": "0", "max": "11"},
            "scale",
            "The scale's lowest number must be smaller than its highest, from 0 to 10.",
        ),
        ({"min": "one"}, "min", "Enter a whole number from 0 to 9."),
        ({"max": ""}, "max", "Enter a whole number from 1 to 10."),
        ({"min_label": "x" * 61}, "min_label", "Keep it to 60 characters."),
        ({"question": "   "}, "question", "Write the question."),
        ({"question": "Why " * 80}, "question", "Keep the question to 300 characters."),
        (
            {"kind": "single", "shown_kind": "single", "options": "Only one"},
            "options",
            ("Give 2 to 10 options, each of 1 to 120 characters."),
        ),
        (
            {"kind": "multiple", "shown_kind": "multiple", "options": "\n".join("abcdefghijk")},
            "options",
            ("Give 2 to 10 options, each of 1 to 120 characters."),
        ),
        ({"kind": "colour", "shown_kind": "colour"}, "kind", "Choose a kind of question."),
    ],
)
def test_a_refused_question_is_said_in_plain_words_next_to_its_field_and_kept(team, typed, field, error):
    data = {**SCALE_Q, "options": "", **typed}
    response = add(team.client("organizer"), team, **data)
    assert response.status_code == 400
    assert text_of(response, f"{field}_error") == error
    for name in names_in(response):
        assert field_value(response, name) == data[name], name
    assert "<=" not in page_text(response)
    assert prompts_of(team) == []


@pytest.mark.django_db
def test_questions_are_edited_reordered_and_removed_after_adding(team):
    client = team.client("organizer")
    url = team.url("feedback/survey/")
    add(client, team, **SCALE_Q)
    add(client, team, kind="text", question="Anything we should change?")

    response = client.get(url, {"edit": "0"})
    assert text_of(response, "question-form-heading") == "Edit question 1: Scale"
    data = form_values(response, "question")
    assert (data["question"], data["min"], data["max"], data["min_label"], data["editing"]) == (
        "How useful was today?",
        "1",
        "5",
        "Not at all",
        "0",
    )
    data.update(question="How useful was today, overall?", max="7", action="save")
    response = client.post(url, data)
    assert response.status_code == 302
    assert "Question 1 saved." in page_text(client.get(url))
    assert prompts_of(team)[0] == {
        "kind": "scale",
        "question": "How useful was today, overall?",
        "options": [],
        "scale": {"min": 1, "max": 7, "min_label": "Not at all", "max_label": "Very"},
    }

    # Another kind: its fields show first (the question kept), and nothing is saved until Save.
    data = form_values(client.get(url, {"edit": "1"}), "question") | {"kind": "single", "action": "kind"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The question is now “Single choice”: fill in its fields." in page_text(response)
    assert names_in(response) == ["question", "options"]
    assert field_value(response, "question") == "Anything we should change?"
    assert prompts_of(team)[1]["kind"] == "text"
    data = form_values(response, "question") | {"options": "The pace\nThe room", "action": "save"}
    assert client.post(url, data).status_code == 302
    assert prompts_of(team)[1] == {
        "kind": "single",
        "question": "Anything we should change?",
        "options": ["The pace", "The room"],
        "scale": None,
    }

    assert client.post(url, {"action": "down:0"}).status_code == 302
    assert [p["question"] for p in prompts_of(team)] == ["Anything we should change?", "How useful was today, overall?"]
    assert client.post(url, {"action": "remove:0"}).status_code == 302
    assert [p["question"] for p in prompts_of(team)] == ["How useful was today, overall?"]

    # Editing a question someone removed meanwhile says so, and keeps what was typed.
    response = client.post(url, {**data, "editing": "1"})
    assert response.status_code == 400
    assert text_of(response, "question_error") == "That question was removed meanwhile: saving adds it as a new one."
    assert field_value(response, "options") == "The pace\nThe room"
    assert text_of(response, "question-form-heading") == "New question: Single choice"
    assert client.get(url, {"edit": "7"}).status_code == 200  # no such question: the list and the chooser
