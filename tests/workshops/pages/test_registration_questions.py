"""Registration questions: the organizer adds them (short text or a choice), couples answer them on the public
page, the organizer reads the answers per enrollment. Answers are personal data: never logged, never echoed in an
error, deleted with the enrollment (and sooner once a cancellation can no longer be undone)."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from workshops.models import Enrollment, RegistrationAnswer, RegistrationQuestion, Session
from workshops.services import enrollment as enrollment_services
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

from .helpers import field_value, page_text, text_of

DIET = "Any dietary needs?"
ROOM = "Room for the retreat"


def question_post(**changes):
    data = {"label": DIET, "hint": "", "kind": "short_text", "choices": "", "required": ""}
    data.update(changes)
    return data


@pytest.fixture
def asked(workshop):
    """A published workshop asking a required short-text question and an optional choice."""
    question_services.question_add(workshop=workshop, label=DIET, kind="short_text", required=True)
    question_services.question_add(
        workshop=workshop, label=ROOM, kind="choice", choices=["Shared room", "Single room"], hint="Two nights."
    )
    scheduling_services.workshop_publish(workshop=workshop)
    return workshop


def field(question):
    return f"q-{question.pk}"


@pytest.mark.django_db
def test_the_organizer_adds_edits_reorders_and_deletes_questions(team, workshop):
    client = team.client("organizer")
    base = team.url(f"workshops/{workshop.pk}/questions/")
    assert text_of(client.get(team.url(f"workshops/{workshop.pk}/")), "questions-summary") == (
        "Couples give an e-mail and a first name or pseudonym."
    )

    response = client.post(base + "add/", question_post(label="  "))
    assert response.status_code == 400
    assert text_of(response, "id_label_error") == "This field is required."

    response = client.post(base + "add/", question_post(label=ROOM, kind="choice", choices="Shared room\n\n"))
    assert response.status_code == 400
    assert text_of(response, "id_choices_error") == "A choice needs at least two options, one per line."
    assert field_value(response, "label") == ROOM
    assert field_value(response, "choices") == "Shared room"

    response = client.post(base + "add/", question_post(required="on"))
    assert (response.status_code, response["Location"]) == (302, base)
    response = client.post(
        base + "add/", question_post(label=ROOM, kind="choice", choices="Shared room\nSingle room\nShared room")
    )
    assert response.status_code == 302
    diet, room = RegistrationQuestion.objects.filter(workshop=workshop)
    assert (room.choices, room.required, diet.required) == (["Shared room", "Single room"], False, True)

    page = client.get(base)
    assert text_of(page, "questions-heading") == "Questions (2)"
    assert text_of(page, f"question-{room.pk}").startswith(
        f"{ROOM} · One choice from a list · optional Options: Shared room · Single room"
    )
    client.post(base + f"{room.pk}/move/", {"direction": "up"})
    assert list(RegistrationQuestion.objects.values_list("label", flat=True)) == [ROOM, DIET]

    response = client.post(base + f"{diet.pk}/edit/", question_post(label="Food: anything we should know?"))
    assert response.status_code == 302
    diet.refresh_from_db()
    assert (diet.label, diet.required) == ("Food: anything we should know?", False)

    assert "Nobody has answered it yet." in page_text(client.get(base + f"{diet.pk}/delete/"))
    client.post(base + f"{diet.pk}/delete/")
    assert list(RegistrationQuestion.objects.values_list("label", flat=True)) == [ROOM]
    assert text_of(client.get(team.url(f"workshops/{workshop.pk}/")), "questions-summary") == (
        "Couples give an e-mail and a first name or pseudonym, and answer 1 question of yours."
    )


@pytest.mark.django_db
def test_a_facilitator_sees_the_questions_but_may_not_change_them(team, workshop):
    question_services.question_add(workshop=workshop, label=DIET, kind="short_text")
    client = team.client("facilitator")
    page = client.get(team.url(f"workshops/{workshop.pk}/questions/"))
    assert page.status_code == 200
    assert "Add a question" not in page_text(page)
    assert client.post(team.url(f"workshops/{workshop.pk}/questions/add/"), question_post()).status_code == 403
    assert RegistrationQuestion.objects.count() == 1


@pytest.mark.django_db
def test_couples_answer_at_registration_and_organizers_read_the_answers(team, asked, caplog):
    diet, room = asked.questions.all()
    couple = Client()
    url = f"/w/{asked.public_id}/"
    page = couple.get(url)
    assert "Any dietary needs?" in page_text(page)
    assert "Room for the retreat (optional) Two nights. Shared room Single room" in page_text(page)

    caplog.set_level(logging.DEBUG)
    secret = "no nuts, coeliac"
    response = couple.post(
        url, {"display_name": "Ada", "contact_email": "ada@example.net", field(diet): "", field(room): "Penthouse"}
    )
    assert response.status_code == 400
    assert text_of(response, f"{field(diet)}-error") == "Please answer this question."
    assert text_of(response, f"{field(room)}-error") == "Choose one of the options."
    assert field_value(response, "display_name") == "Ada"
    assert Enrollment.objects.count() == 0

    response = couple.post(
        url,
        {"display_name": "Ada", "contact_email": "ada@example.net", field(diet): secret, field(room): "Single room"},
    )
    assert (response.status_code, response["Location"]) == (302, f"/w/{asked.public_id}/sent/")
    Client().post(url, {"display_name": "Bo", "contact_email": "bo@example.net", field(diet): "none"})
    assert secret not in caplog.text and "Penthouse" not in caplog.text

    ada = Enrollment.objects.get(display_name="Ada")
    bo = Enrollment.objects.get(display_name="Bo")
    enrollments = team.client("organizer").get(team.url(f"workshops/{asked.pk}/enrollments/"))
    assert text_of(enrollments, f"answers-{ada.pk}") == f"{DIET} {secret} {ROOM} Single room"
    assert text_of(enrollments, f"answers-{bo.pk}") == f"{DIET} none"

    # A facilitator sees the enrollments page without contacts or answers.
    seen = team.client("facilitator").get(team.url(f"workshops/{asked.pk}/enrollments/"))
    assert secret not in seen.content.decode() and "ada@example.net" not in seen.content.decode()


@pytest.mark.django_db
def test_answers_are_deleted_with_the_enrollment_data_after_retention(team, asked):
    diet, _ = asked.questions.all()
    for name in ("Ada", "Bo"):
        enrollment_services.registration_submit(
            workshop=asked,
            contact_email=f"{name.lower()}@example.net",
            display_name=name,
            answers={field(diet): f"{name} eats everything"},
        )
    bo = Enrollment.objects.get(display_name="Bo")
    enrollment_services.enrollment_cancel(enrollment=bo, by="couple")

    call_command("run_maintenance")
    assert RegistrationAnswer.objects.count() == 2  # Bo may still undo for 30 minutes
    Enrollment.objects.filter(pk=bo.pk).update(cancelled_at=timezone.now() - timedelta(minutes=31))
    call_command("run_maintenance")
    assert list(RegistrationAnswer.objects.values_list("value", flat=True)) == ["Ada eats everything"]

    # The workshop took place more than the retention period (14 days) ago: its enrollments go, answers with them.
    ended = timezone.now() - timedelta(days=15)
    Session.objects.filter(workshop=asked).update(starts_at=ended - timedelta(hours=3), ends_at=ended)
    call_command("run_maintenance")
    assert (Enrollment.objects.count(), RegistrationAnswer.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_control_characters_in_a_name_or_an_answer_are_refused_in_place(asked):
    diet, _ = asked.questions.all()
    response = Client().post(
        f"/w/{asked.public_id}/",
        {"display_name": "A\x00da", "contact_email": "ada@example.net", field(diet): "no\x00nuts"},
    )
    assert response.status_code == 400
    assert text_of(response, "display_name-error") == "Use plain text: control characters can't be stored."
    assert text_of(response, f"{field(diet)}-error") == "Use plain text: control characters can't be stored."
    assert Enrollment.objects.count() == 0
