"""A workshop's registration questions over the API: the organizer reads, adds, edits, moves and deletes them with
the questions page's rules and words; the public registration endpoint lists them and takes the answers, checked
and stored as the public registration form checks and stores them. A required question can't be skipped, and no
refusal quotes an answer."""

import logging

import pytest
from django.test import Client

from tests.mailbox import mailbox
from tests.workshops.pages.helpers import page_text, text_of
from workshops.models import Enrollment, RegistrationAnswer, RegistrationQuestion
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

DIET = "Any dietary needs?"
ROOM = "Room for the retreat"
CHOICE = {"label": ROOM, "kind": "choice", "choices": ["Shared room", "Single room"], "hint": "Two nights."}


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


def questions_url(world, workshop=None):
    return f"{world.base}/workshops/{(workshop or world.draft).pk}/questions/"


def register_url(workshop):
    return f"/api/v1/public/workshops/{workshop.public_id}/register/"


def shown(question, position, answer_count=0):
    """A question as the API shows it."""
    return {
        "id": question.pk,
        "position": position,
        "label": question.label,
        "hint": question.hint,
        "kind": question.kind,
        "choices": question.choices,
        "required": question.required,
        "answer_count": answer_count,
    }


# ---- The organizer's questions -------------------------------------------------------------------------------------


def test_an_organizer_adds_reads_edits_moves_and_deletes_questions_as_the_page_shows_them(own, api_as):
    organizer = api_as(own.users["organizer"])
    url = questions_url(own)
    room = own.draft_question  # the world's: "Room for the night", a choice

    added = organizer.post(url, {"label": f"  {DIET}  ", "required": True})
    assert added.status_code == 201, added.content
    diet = RegistrationQuestion.objects.get(pk=added.json()["id"])
    assert added.json() == {
        "id": diet.pk,
        "position": 2,
        "label": DIET,
        "hint": "",
        "kind": "short_text",
        "choices": [],
        "required": True,
        "answer_count": 0,
    }
    listed = organizer.get(url)
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert listed.json()["results"] == [shown(room, 1), shown(diet, 2)]

    moved = organizer.post(f"{url}{diet.pk}/move/", {"direction": "up"})
    assert moved.status_code == 200
    assert [(q["label"], q["position"]) for q in moved.json()] == [(DIET, 1), ("Room for the night", 2)]
    assert organizer.post(f"{url}{diet.pk}/move/", {"direction": "up"}).status_code == 200  # at the top: stays
    assert list(RegistrationQuestion.objects.filter(workshop=own.draft).values_list("label", flat=True)) == [
        DIET,
        "Room for the night",
    ]

    patched = organizer.patch(f"{url}{room.pk}/", {"choices": ["Shared room", " Single   room ", "Shared room"]})
    assert patched.status_code == 200
    assert (patched.json()["label"], patched.json()["choices"]) == (
        "Room for the night",
        ["Shared room", "Single room"],
    )
    replaced = organizer.put(f"{url}{room.pk}/", CHOICE)
    assert replaced.status_code == 200
    room.refresh_from_db()
    assert replaced.json() == shown(room, 2)
    assert (room.label, room.hint, room.choices, room.required) == (ROOM, "Two nights.", CHOICE["choices"], False)
    assert organizer.get(f"{url}{room.pk}/").json() == replaced.json()

    # The questions page shows what the API made, in its order.
    browser = Client()
    browser.force_login(own.users["organizer"])
    page = browser.get(f"/o/{own.slug}/workshops/{own.draft.pk}/questions/")
    assert text_of(page, "questions-heading") == "Questions (2)"
    assert page_text(page).index(DIET) < page_text(page).index(ROOM)

    assert organizer.delete(f"{url}{diet.pk}/").status_code == 204
    assert [q["label"] for q in organizer.get(url).json()["results"]] == [ROOM]
    assert organizer.get(f"{url}{diet.pk}/").status_code == 404


def test_a_patch_changes_only_what_it_sends_and_a_put_resets_what_it_leaves_out(own, owner):
    question = own.draft_question
    url = f"{questions_url(own)}{question.pk}/"
    assert owner.patch(url, {"required": True, "hint": "One per couple."}).status_code == 200
    question.refresh_from_db()
    assert (question.kind, question.choices, question.required, question.hint) == (
        "choice",
        ["Shared room", "Single room"],
        True,
        "One per couple.",
    )
    as_text = owner.patch(url, {"kind": "short_text"})  # its options go: a short text has none
    assert (as_text.status_code, as_text.json()["choices"]) == (200, [])
    assert owner.put(url, {"label": "Anything else?"}).status_code == 200
    question.refresh_from_db()
    assert (question.label, question.kind, question.choices, question.required, question.hint) == (
        "Anything else?",
        "short_text",
        [],
        False,
        "",
    )


def test_a_question_shows_how_many_answered_it_and_deleting_it_deletes_the_answers(own, owner, anonymous):
    question = question_services.question_add(workshop=own.live, label=DIET, kind="short_text")
    url = f"{questions_url(own, own.live)}{question.pk}/"
    registered = anonymous.post(
        register_url(own.live),
        {"contact_email": "bo@example.test", "display_name": "Bo", "answers": {str(question.pk): "Vegan"}},
    )
    assert registered.status_code == 202
    assert owner.get(url).json()["answer_count"] == 1
    assert owner.delete(url).status_code == 204
    assert RegistrationAnswer.objects.count() == 0
    assert Enrollment.objects.filter(contact_email="bo@example.test").exists()


@pytest.mark.parametrize(
    ("body", "field", "detail"),
    [
        # The service's rules, in the questions page's words (tests/workshops/pages/test_registration_questions.py).
        (
            {"label": ROOM, "kind": "choice", "choices": ["Shared room"]},
            "choices",
            "A choice needs at least two options, one per line.",
        ),
        (
            {"label": ROOM, "kind": "choice", "choices": ["Shared", "Shared"]},
            "choices",
            "A choice needs at least two options, one per line.",
        ),
        ({"label": ROOM, "kind": "choice"}, "choices", "A choice needs at least two options, one per line."),
        ({"label": "\t \n"}, "label", "Write the question."),  # the service's words, as on the page
        ({"label": "x" * 201}, "label", "label: Ensure this field has no more than 200 characters."),
        ({"label": DIET, "hint": "h" * 201}, "hint", "hint: Ensure this field has no more than 200 characters."),
        # The API's own: exact JSON types, no part that would be ignored.
        ({"label": DIET, "kind": "long_text"}, "kind", 'kind: "long_text" is not a valid choice.'),
        ({"label": DIET, "required": "yes"}, "required", "required: Give true or false."),
        ({"label": DIET, "required": 1}, "required", "required: Give true or false."),
        ({"label": DIET, "choices": ["A", "B"]}, "choices", "choices: Only a choice question has options."),
        (
            {"label": ROOM, "kind": "choice", "choices": "A\nB"},
            "choices",
            'choices: Expected a list of items but got type "str".',
        ),
        (
            {"label": ROOM, "kind": "choice", "choices": [f"Option {n}" for n in range(21)]},
            "choices",
            "choices: Ensure this field has no more than 20 elements.",
        ),
        ({"label": 12}, "label", "label: Not a valid string."),
        ({}, "label", "label: This field is required."),
    ],
)
def test_a_question_that_breaks_a_rule_is_refused_naming_its_field(body, field, detail, own, owner):
    response = owner.post(questions_url(own), body)
    assert response.status_code == 400, response.content
    assert (response.json()["field"], response.json()["detail"]) == (field, detail)
    assert RegistrationQuestion.objects.filter(workshop=own.draft).count() == 1  # the world's only


def test_the_api_refuses_what_the_page_refuses_in_the_same_words(own, owner):
    browser = Client()
    browser.force_login(own.users["owner"])
    page = browser.post(
        f"/o/{own.slug}/workshops/{own.draft.pk}/questions/add/",
        {"label": ROOM, "hint": "", "kind": "choice", "choices": "Shared room\n\n", "required": ""},
    )
    api = owner.post(questions_url(own), {"label": ROOM, "kind": "choice", "choices": ["Shared room"]})
    assert (page.status_code, api.status_code) == (400, 400)
    assert text_of(page, "id_choices_error") == api.json()["detail"]


def test_at_most_twenty_questions_and_none_changed_on_a_cancelled_workshop(own, owner):
    for n in range(19):
        assert owner.post(questions_url(own), {"label": f"Question {n}"}).status_code == 201
    refused = owner.post(questions_url(own), {"label": "One too many"})
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": "A registration form asks at most 20 questions.", "field": None, "code": "too_many"},
    )
    scheduling_services.workshop_cancel(workshop=own.draft)
    url = f"{questions_url(own)}{own.draft_question.pk}/"
    for response in (owner.patch(url, {"required": True}), owner.delete(url)):
        assert (response.status_code, response.json()["code"]) == (400, "cancelled")
    assert owner.get(url).status_code == 200


@pytest.mark.parametrize("body", [{}, {"direction": "left"}, {"direction": True}])
def test_a_move_needs_a_direction(body, own, owner):
    response = owner.post(f"{questions_url(own)}{own.draft_question.pk}/move/", body)
    assert (response.status_code, response.json()["field"]) == (400, "direction")


def test_a_question_of_another_workshop_is_not_found_under_this_one(own, owner):
    elsewhere = question_services.question_add(workshop=own.live, label=DIET, kind="short_text")
    url = f"{questions_url(own)}{elsewhere.pk}/"
    for response in (
        owner.get(url),
        owner.patch(url, {"required": True}),
        owner.post(f"{url}move/", {"direction": "up"}),
    ):
        assert (response.status_code, response.json()) == (
            404,
            {"detail": "No such registration question.", "field": None, "code": "not_found"},
        )


# ---- Public registration: the questions asked, the answers checked and stored as the form does ---------------------


@pytest.fixture
def asked(own):
    """The live workshop asks a required short text and an optional choice."""
    diet = question_services.question_add(workshop=own.live, label=DIET, kind="short_text", required=True)
    room = question_services.question_add(
        workshop=own.live, label=ROOM, kind="choice", choices=["Shared room", "Single room"], hint="Two nights."
    )
    return own.live, diet, room


def couple(answers=None):
    """Bo's registration, with answers keyed by question id (left out when None)."""
    body = {"contact_email": "bo@example.test", "display_name": "Bo"}
    if answers is not None:
        body["answers"] = {str(key): value for key, value in answers.items()}
    return body


def test_the_public_workshop_lists_its_questions_in_the_forms_order(asked, anonymous):
    workshop, diet, room = asked
    question_services.question_move(question=room, up=True)
    body = anonymous.get(f"/api/v1/public/workshops/{workshop.public_id}/").json()
    assert body["questions"] == [
        {
            "id": room.pk,
            "label": ROOM,
            "hint": "Two nights.",
            "kind": "choice",
            "choices": ["Shared room", "Single room"],
            "required": False,
        },
        {"id": diet.pk, "label": DIET, "hint": "", "kind": "short_text", "choices": [], "required": True},
    ]


@pytest.mark.parametrize("answers", [None, {}, {"diet": ""}, {"diet": "   "}, {"room": "Single room"}])
def test_a_required_question_cannot_be_skipped(answers, asked, anonymous):
    workshop, diet, room = asked
    ids = {"diet": diet.pk, "room": room.pk}
    body = couple(None if answers is None else {ids[name]: value for name, value in answers.items()})
    response = anonymous.post(register_url(workshop), body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"answers.{diet.pk}: Please answer this question (“{DIET}”).",
        "field": f"answers.{diet.pk}",
        "code": "invalid_answer",
        "errors": {"answers": {str(diet.pk): [f"Please answer this question (“{DIET}”)."]}},
    }
    assert not Enrollment.objects.filter(contact_email="bo@example.test").exists()
    assert mailbox() == []


def test_every_refused_answer_is_named_and_none_is_quoted(asked, anonymous, caplog):
    workshop, diet, room = asked
    secret = "Penthouse with a view"
    with caplog.at_level(logging.DEBUG):
        response = anonymous.post(register_url(workshop), couple({diet.pk: "x" * 201, room.pk: secret, 999999: "?"}))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers": {
            "999999": [
                "No such question on this workshop's registration form; its questions are listed with the workshop."
            ],
            str(diet.pk): [f"Keep the answer to 200 characters (“{DIET}”)."],
            str(room.pk): [f"Choose one of the options (“{ROOM}”)."],
        }
    }
    assert secret not in response.content.decode() and "x" * 201 not in response.content.decode()
    assert secret not in caplog.text
    assert not Enrollment.objects.filter(contact_email="bo@example.test").exists()


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ("no\x00nuts", "Use plain text: control characters can't be stored"),
        ("no\x07nuts", "Use plain text: control characters can't be stored"),
        ("Single room", None),  # a short text may say anything plain
    ],
)
def test_a_short_answer_is_plain_text(answer, detail, asked, anonymous):
    workshop, diet, _ = asked
    response = anonymous.post(register_url(workshop), couple({diet.pk: answer}))
    if detail is None:
        assert response.status_code == 202
    else:
        assert (response.status_code, response.json()["detail"]) == (
            400,
            f"answers.{diet.pk}: {detail} (“{DIET}”).",
        )


@pytest.mark.parametrize("value", [7, None, ["Vegan"], {"text": "Vegan"}, True])
def test_an_answer_is_text(value, asked, anonymous):
    workshop, diet, _ = asked
    response = anonymous.post(register_url(workshop), couple({diet.pk: value}))
    assert (response.status_code, response.json()["field"]) == (400, f"answers.{diet.pk}")


@pytest.mark.parametrize("answers", ["Vegan", ["Vegan"], 3])
def test_the_answers_are_an_object(answers, asked, anonymous):
    workshop, _, _ = asked
    response = anonymous.post(register_url(workshop), {**couple(), "answers": answers})
    assert (response.status_code, response.json()["field"]) == (400, "answers")


def test_a_workshop_without_questions_takes_no_answers(own, anonymous):
    response = anonymous.post(register_url(own.live), couple({own.draft_question.pk: "Shared room"}))
    assert (response.status_code, response.json()["field"]) == (400, f"answers.{own.draft_question.pk}")
    assert anonymous.post(register_url(own.live), {**couple(), "answers": {}}).status_code == 202


def test_answers_are_stored_exactly_as_the_registration_form_stores_them(asked, anonymous):
    workshop, diet, room = asked
    typed = {diet.pk: "  no   nuts,\tcoeliac ", room.pk: " Single   room "}
    api = anonymous.post(
        register_url(workshop), {"contact_email": "api@example.test", "display_name": "Api", "answers": typed}
    )
    assert (api.status_code, api.json()) == (
        202,
        {"detail": "Thank you. Check your e-mail: your personal link is on its way."},
    )
    form = Client().post(
        f"/w/{workshop.public_id}/",
        {
            "contact_email": "form@example.test",
            "display_name": "Form",
            **{question_services.field_name(q): value for q, value in ((diet, typed[diet.pk]), (room, typed[room.pk]))},
        },
    )
    assert form.status_code == 302

    def stored(email):
        enrollment = Enrollment.objects.get(workshop=workshop, contact_email=email)
        return list(enrollment.answers.values_list("question_id", "value"))

    assert stored("api@example.test") == [(diet.pk, "no nuts, coeliac"), (room.pk, "Single room")]
    assert stored("api@example.test") == stored("form@example.test")

    # An optional question left out, or answered with nothing, has no answer: on the form as in the API.
    for email, answers in (
        ("api2@example.test", {diet.pk: "none"}),
        ("api3@example.test", {diet.pk: "none", room.pk: ""}),
    ):
        body = {"contact_email": email, "display_name": "Api", "answers": answers}
        assert anonymous.post(register_url(workshop), body).status_code == 202
        assert stored(email) == [(diet.pk, "none")]
    Client().post(
        f"/w/{workshop.public_id}/",
        {"contact_email": "form2@example.test", "display_name": "Form", question_services.field_name(diet): "none"},
    )
    assert stored("form2@example.test") == stored("api2@example.test")


def test_answers_are_checked_like_the_forms_by_the_same_words(asked, anonymous):
    workshop, diet, room = asked
    form = Client().post(
        f"/w/{workshop.public_id}/",
        {
            "contact_email": "form@example.test",
            "display_name": "Form",
            question_services.field_name(diet): "",
            question_services.field_name(room): "Penthouse",
        },
    )
    api = anonymous.post(register_url(workshop), couple({diet.pk: "", room.pk: "Penthouse"}))
    assert (form.status_code, api.status_code) == (400, 400)
    refused = api.json()["errors"]["answers"]
    for question in (diet, room):
        on_the_form = text_of(form, f"{question_services.field_name(question)}-error")
        assert refused[str(question.pk)] == [f"{on_the_form.removesuffix('.')} (“{question.label}”)."]


def test_closed_registration_says_so_before_looking_at_the_answers(asked, owner, anonymous):
    workshop, _, _ = asked
    closed = owner.patch(
        f"/api/v1/orgs/{workshop.organization.slug}/workshops/{workshop.pk}/",
        {"registration_opens_at": "2020-01-01T00:00:00Z", "registration_closes_at": "2020-02-01T00:00:00Z"},
    )
    assert closed.status_code == 200
    response = anonymous.post(register_url(workshop), couple())
    assert response.json() == {"detail": "Registration has closed.", "field": None, "code": "registration_closed"}


def test_a_known_address_with_its_answers_is_answered_as_a_new_one(asked, anonymous):
    workshop, diet, _ = asked
    first = anonymous.post(register_url(workshop), couple({diet.pk: "none"}))
    again = anonymous.post(register_url(workshop), couple({diet.pk: "vegan now"}))
    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json() == again.json()
    enrollment = Enrollment.objects.get(contact_email="bo@example.test")
    assert list(enrollment.answers.values_list("value", flat=True)) == ["none"]
