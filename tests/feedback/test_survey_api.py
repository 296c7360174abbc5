"""The post-session survey over the REST API (/api/v1/orgs/{slug}/feedback/survey/): the designer page's survey,
with its permission, its rules in its words (feedback.prompts.validate_prompt) and its add, edit, move and remove
(the whole list sent in its new order); a refusal names its place; sessions that have ended keep their questions."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from feedback import services
from feedback.models import Prompt, Survey
from realtime.services.session import session_command, state_for
from tests import factories
from tests.feedback.conftest import Room
from tests.workshops.pages.helpers import page_text, text_of

pytestmark = pytest.mark.django_db

SCALE = {
    "kind": "scale",
    "question": "How useful was today?",
    "scale": {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Very"},
}
SINGLE = {"kind": "single", "question": "Would you come again?", "options": ["Yes", "Not sure", "No"]}
WORDS = {"kind": "words", "question": "One word for today?"}
SURVEY = {"title": "After the session", "prompts": [SCALE, SINGLE, WORDS]}
# As GET shows them and the survey stores them (the designer page's shape: test_survey_designer.py), every part there.
SHOWN = [{**SCALE, "options": []}, {**SINGLE, "scale": None}, {**WORDS, "options": [], "scale": None}]


class Org:
    def __init__(self):
        self.owner = factories.user()
        self.organization = factories.organization(self.owner)
        self.organizer = factories.member(self.organization, "organizer")
        self.facilitator = factories.member(self.organization, "facilitator")
        self.url = f"/api/v1/orgs/{self.organization.slug}/feedback/survey/"
        self.page = f"/o/{self.organization.slug}/feedback/survey/"

    def api(self, user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    def browser(self, user=None):
        client = Client()
        client.force_login(user or self.organizer)
        return client

    def stored(self):
        return Survey.objects.get(organization=self.organization)


@pytest.fixture
def org():
    return Org()


def put(client, url, body):
    return client.put(url, body, format="json")


def patch(client, url, body):
    return client.patch(url, body, format="json")


# ---- Who may ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "organizer"])
def test_owners_and_organizers_read_and_design_the_survey(org, role):
    client = org.api(getattr(org, role))
    empty = client.get(org.url)
    assert empty.status_code == 200
    assert (empty.json()["title"], empty.json()["prompts"]) == ("After the session", [])
    saved = put(client, org.url, SURVEY)
    assert saved.status_code == 200, saved.content
    assert saved.json()["prompts"] == SHOWN
    assert client.get(org.url).json()["prompts"] == SHOWN


def test_a_facilitator_may_neither_read_nor_change_it_as_on_the_page(org):
    put(org.api(org.owner), org.url, SURVEY)
    client = org.api(org.facilitator)
    refusal = {
        "detail": "Your role in this organization does not allow feedback design.",
        "field": None,
        "code": "not_allowed",
    }
    for response in (client.get(org.url), put(client, org.url, SURVEY), patch(client, org.url, {"prompts": []})):
        assert (response.status_code, response.json()) == (403, refusal)
    assert org.browser(org.facilitator).get(org.page).status_code == 403
    assert len(org.stored().prompts) == 3


def test_another_organization_s_survey_is_invisible_and_anonymous_callers_are_asked_to_sign_in(org):
    put(org.api(org.owner), org.url, SURVEY)
    stranger = org.api(factories.organization().memberships.get().user)  # an owner, of another organization
    for response in (stranger.get(org.url), put(stranger, org.url, {"title": "Mine", "prompts": []})):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    anonymous = org.api()
    for response in (anonymous.get(org.url), put(anonymous, org.url, {"title": "Mine", "prompts": []})):
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert (org.stored().title, len(org.stored().prompts)) == ("After the session", 3)


# ---- The page's survey, the page's ways ------------------------------------------------------------------------------


def test_a_survey_put_is_stored_as_the_page_stores_it_and_comes_back_the_same(org):
    client = org.api(org.organizer)
    response = put(client, org.url, {**SURVEY, "title": "  After   the evening "})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["prompts"]) == ("After the evening", SHOWN)
    assert org.stored().prompts == SHOWN  # the shape the designer page stores (test_survey_designer)
    shown = client.get(org.url).json()
    assert shown == body
    again = put(client, org.url, shown)  # what GET shows is what PUT takes, as it is
    assert (again.status_code, again.json()) == (200, body)


def test_white_space_is_tidied_and_a_scale_left_out_is_one_to_five(org):
    body = {
        "title": "Survey",
        "prompts": [
            {"kind": "scale", "question": "  How   safe\tdid it feel? "},
            {"kind": "multiple", "question": "What helped?", "options": ["  The pace ", "The room"], "scale": None},
            {"kind": "text", "question": "Anything else?", "options": []},
        ],
    }
    response = put(org.api(org.owner), org.url, body)
    assert response.status_code == 200
    assert org.stored().prompts == [
        {
            "kind": "scale",
            "question": "How safe did it feel?",
            "options": [],
            "scale": {"min": 1, "max": 5, "min_label": "", "max_label": ""},
        },
        {"kind": "multiple", "question": "What helped?", "options": ["The pace", "The room"], "scale": None},
        {"kind": "text", "question": "Anything else?", "options": [], "scale": None},
    ]


def test_the_page_and_the_api_see_the_same_survey_as_each_adds_moves_edits_and_removes(org):
    client, browser = org.api(org.organizer), org.browser()
    put(client, org.url, SURVEY)
    page = browser.get(org.page)
    assert text_of(page, "question-1").startswith("How useful was today? Scale From 1 (Not at all) to 5 (Very)")
    assert text_of(page, "question-3").startswith("One word for today? One word")

    text = {"action": "save", "editing": "", "shown_kind": "text", "kind": "text"}
    added = browser.post(org.page, {**text, "question": "Anything we should change?"})
    assert added.status_code == 302
    assert browser.post(org.page, {"action": "up:1"}).status_code == 302  # the page moves the choice up
    shown = client.get(org.url).json()["prompts"]
    assert [p["question"] for p in shown] == [
        "Would you come again?",
        "How useful was today?",
        "One word for today?",
        "Anything we should change?",
    ]

    # The API moves the last one first, edits the scale and removes the word: the page lists the result.
    choice, scale, _word, last = shown
    scale["scale"]["max"] = 7
    response = patch(client, org.url, {"prompts": [last, choice, scale]})
    assert response.status_code == 200
    page = browser.get(org.page)
    assert text_of(page, "question-1").startswith("Anything we should change? Free text Edit question 1")
    assert text_of(page, "question-2").startswith("Would you come again? Single choice Yes, Not sure, No")
    assert text_of(page, "question-3").startswith("How useful was today? Scale From 1 (Not at all) to 7 (Very)")
    assert "question-4" not in page.content.decode()
    assert Survey.objects.filter(organization=org.organization).count() == 1


def test_a_patch_changes_only_what_it_names(org):
    client = org.api(org.owner)
    put(client, org.url, SURVEY)
    renamed = patch(client, org.url, {"title": "Before you go"})
    assert (renamed.status_code, renamed.json()["title"], renamed.json()["prompts"]) == (200, "Before you go", SHOWN)
    emptied = patch(client, org.url, {"prompts": []})
    assert (emptied.json()["title"], emptied.json()["prompts"]) == ("Before you go", [])
    assert org.stored().prompts == []


# ---- Refusals: the page's words, at their place ----------------------------------------------------------------------

SCALE_WORDS = "The scale's lowest number must be smaller than its highest, from 0 to 10."
OPTIONS_WORDS = "Give 2 to 10 options, each of 1 to 120 characters."
NOT_CHOICE = "Only a single or multiple choice question has options."


def with_second(**changes):
    """The survey with its second question (the single choice) changed; a key set to None is left out."""
    second = {key: value for key, value in {**SINGLE, **changes}.items() if value is not None}
    return {"title": "After the session", "prompts": [SCALE, second, WORDS]}


def with_scale(**changes):
    first = {**SCALE, "scale": {**SCALE["scale"], **changes}}
    return {"title": "After the session", "prompts": [WORDS, SINGLE, first]}


@pytest.mark.parametrize(
    "body, field, code, message",
    [
        (with_scale(min=-1), "prompts.2.scale.min", "min_value", "Ensure this value is greater than or equal to 0."),
        (with_scale(min=10, max=10), "prompts.2.scale.min", "max_value", None),
        (with_scale(max=11), "prompts.2.scale.max", "max_value", "Ensure this value is less than or equal to 10."),
        (with_scale(min="1"), "prompts.2.scale.min", "invalid", "A whole number is required."),
        (with_scale(max=True), "prompts.2.scale.max", "invalid", "A whole number is required."),
        (with_scale(min=5, max=3), "prompts.2.scale", "bad_prompt", SCALE_WORDS),
        (with_scale(min=4, max=4), "prompts.2.scale", "bad_prompt", SCALE_WORDS),
        (with_scale(max_label="x" * 61), "prompts.2.scale.max_label", "max_length", None),
        (with_second(options=["Only one"]), "prompts.1.options", "bad_prompt", OPTIONS_WORDS),
        (with_second(options=list("abcdefghijk")), "prompts.1.options", "bad_prompt", OPTIONS_WORDS),
        (with_second(options=["Yes", "   "]), "prompts.1.options", "bad_prompt", OPTIONS_WORDS),
        (with_second(options=None), "prompts.1.options", "bad_prompt", OPTIONS_WORDS),
        (with_second(options="Yes, No"), "prompts.1.options", "not_a_list", None),
        (with_second(question="   "), "prompts.1.question", "bad_prompt", "Write the question."),
        (with_second(question="Why " * 80), "prompts.1.question", "bad_prompt", "Keep the question to 300 characters."),
        (with_second(question=None), "prompts.1.question", "required", "This field is required."),
        (with_second(kind="colour"), "prompts.1.kind", "invalid_choice", '"colour" is not a valid choice.'),
        (with_second(kind="words"), "prompts.1.options", "not_for_kind", NOT_CHOICE),
        (
            with_second(scale={"min": 1, "max": 5}),
            "prompts.1.scale",
            "not_for_kind",
            "Only a scale question has a scale.",
        ),
        ({"title": "", "prompts": []}, "title", "blank", "This field may not be blank."),
        ({"title": "Survey", "prompts": [WORDS] * 21}, "prompts", "max_length", None),
        ({"title": "Survey", "prompts": {"0": WORDS}}, "prompts", "not_a_list", None),
        ({"title": "Survey"}, "prompts", "required", "This field is required."),
    ],
)
def test_a_refusal_names_its_place_in_the_page_s_words_and_changes_nothing(org, body, field, code, message):
    client = org.api(org.owner)
    put(client, org.url, SURVEY)
    response = put(client, org.url, body)
    assert response.status_code == 400, response.content
    refused = response.json()
    assert (refused["field"], refused["code"]) == (field, code)
    assert refused["detail"].startswith(f"{field}: ")
    if message is not None:
        assert refused["detail"] == f"{field}: {message}"
    assert "errors" in refused
    assert org.stored().prompts == SHOWN
    assert org.stored().title == "After the session"


def test_the_page_says_the_same_words_for_the_same_mistakes(org):
    """The page's refusals come from validate_prompt too: the same sentence for the same question."""
    browser = org.browser()
    typed = {"action": "save", "editing": "", "shown_kind": "scale", "kind": "scale", "question": "How was it?"}
    page = browser.post(org.page, {**typed, "min": "5", "max": "3"})
    question = {"kind": "scale", "question": "How was it?", "scale": {"min": 5, "max": 3}}
    api = put(org.api(org.owner), org.url, {"title": "S", "prompts": [question]})
    assert page.status_code == api.status_code == 400
    assert text_of(page, "scale_error") == SCALE_WORDS
    assert api.json()["detail"] == f"prompts.0.scale: {SCALE_WORDS}"


def test_every_question_s_mistakes_are_listed(org):
    body = {"title": "S", "prompts": [WORDS, {**SINGLE, "options": []}, {"kind": "text", "question": ""}]}
    response = put(org.api(org.owner), org.url, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "prompts": {"1": {"options": [OPTIONS_WORDS]}, "2": {"question": ["Write the question."]}}
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({**SURVEY, "colour": "teal"}, "colour"),
        ({**SURVEY, "prompts": [SCALE, {**SINGLE, "required": True}]}, "prompts.1.required"),
        ({**SURVEY, "prompts": [{**SCALE, "scale": {**SCALE["scale"], "step": 1}}]}, "prompts.0.scale.step"),
    ],
)
@pytest.mark.parametrize("method", [put, patch])
def test_an_unknown_field_is_refused_by_name(org, body, field, method):
    response = method(org.api(org.organizer), org.url, body)
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == (field, "unknown_field")
    assert org.stored().prompts == []


def test_a_patched_question_still_needs_its_kind_and_question(org):
    response = patch(org.api(org.owner), org.url, {"prompts": [{"question": "What was new?"}]})
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("prompts.0.kind", "required")


def test_a_survey_holds_at_most_twenty_questions_on_the_page_as_over_the_api(org):
    client, browser = org.api(org.owner), org.browser()
    assert put(client, org.url, {"title": "Long", "prompts": [WORDS] * 20}).status_code == 200
    typed = {"action": "save", "editing": "", "shown_kind": "words", "kind": "words"}
    refused = browser.post(org.page, {**typed, "question": "And one more?"})
    assert refused.status_code == 400
    assert text_of(refused, "question_error") == "A survey holds at most 20 questions: remove one to add another."
    assert "Nothing was saved" in page_text(refused)
    edited = browser.post(org.page, {**typed, "editing": "19", "question": "One word, at last?"})
    assert edited.status_code == 302  # editing one is fine
    assert len(org.stored().prompts) == 20
    assert client.get(org.url).json()["prompts"][19]["question"] == "One word, at last?"


# ---- Sessions that have ended ----------------------------------------------------------------------------------------


def end(session):
    session_command(session=session, action="end", expected_version=state_for(session).version)


def test_a_session_that_has_ended_keeps_the_questions_it_asked():
    room = Room()
    owner = room.org.memberships.get(role="owner").user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")
    url = f"/api/v1/orgs/{room.org.slug}/feedback/survey/"
    assert put(client, url, SURVEY).status_code == 200
    end(room.session)
    asked = list(Prompt.objects.filter(session=room.session, source="survey").order_by("position").values())
    assert [p["question"] for p in asked] == [SCALE["question"], SINGLE["question"], WORDS["question"]]

    changed = {"title": "Later", "prompts": [{**SINGLE, "options": ["Yes", "No"]}, {"kind": "text", "question": "?"}]}
    assert put(client, url, changed).status_code == 200
    assert list(Prompt.objects.filter(session=room.session, source="survey").order_by("position").values()) == asked
    assert [p.question for p in services.survey_prompts(room.session)] == [p["question"] for p in asked]

    later = factories.session(room.workshop, factories.future(days=30))
    end(later)
    made = Prompt.objects.filter(session=later, source="survey").order_by("position")
    assert [(p.question, p.options) for p in made] == [("Would you come again?", ["Yes", "No"]), ("?", [])]
