"""Every HTML form, submitted with a NUL in each of its text fields, is answered (re-rendered with an error, or
accepted without the NUL reaching the database) and never a 500: PostgreSQL cannot store a NUL, so a form that let
one through would fail there with DataError. Run on PostgreSQL (DATABASE_URL) to see that failure.

(A lone surrogate cannot arrive through a form: form bodies are UTF-8, which cannot encode one, and Django decodes
what is not UTF-8 with replacement characters. No organizer form takes JSON: a step's settings are fields.)
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from feedback.models import Survey
from workshops.models import Exercise, Membership
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import field_value, text_of
from .test_library_pages import editor_post

TEXT_INPUTS = {"text", "email", "url", "search", "password", "tel", "hidden", None}


class Forms(HTMLParser):
    """The POST forms of a page: (action, {name: value}, [names of the text fields])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = (attrs.get("action") or "", {}, [])
            self.forms.append(self.current)
        if self.current is None or not attrs.get("name"):
            if tag == "option" and self.select and self.select not in self.current[1]:
                self.current[1][self.select] = attrs.get("value", "")
            return
        _, values, texts = self.current
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    values[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                values[name] = attrs.get("value") or ""
                if kind in TEXT_INPUTS and name != "csrfmiddlewaretoken":
                    texts.append(name)
        elif tag == "button" and attrs.get("value") and name not in values:
            values[name] = attrs["value"]
        elif tag == "textarea":
            self.textarea = name
            values[name] = ""
            texts.append(name)
        elif tag == "select":
            self.select = name

    def handle_data(self, data):
        if self.textarea:
            self.current[1][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def post_forms(client, page_url):
    """Submit each POST form of the page, its text fields each given a NUL; the answers' status codes."""
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    parser = Forms()
    parser.feed(page.content.decode())
    answers = []
    for action, values, texts in parser.forms:
        for name in texts:
            data = {**values, name: (values.get(name) or "text") + "\0"}
            response = client.post(action or page_url, data)
            answers.append((page_url, action, name, response.status_code))
    return answers


@pytest.mark.django_db
def test_every_organizer_form_answers_a_nul_in_any_text_field_without_a_500(
    team, exercise, program, workshop, builtin_exercise
):
    scheduling_services.workshop_publish(workshop=workshop)
    enrollment, _ = enrollment_services.registration_submit(
        workshop=workshop, contact_email="pat@example.net", display_name="Pat"
    )
    session = workshop.sessions.get()
    membership = Membership.objects.get(user=team.facilitator)
    pages = [
        "settings/",
        "library/new/",
        f"library/{exercise.pk}/edit/",
        "programs/new/",
        f"programs/{program.pk}/edit/",
        "workshops/new/",
        f"workshops/{workshop.pk}/",
        f"workshops/{workshop.pk}/edit/",
        f"workshops/{workshop.pk}/sessions/new/",
        f"workshops/{workshop.pk}/sessions/{session.pk}/edit/",
        f"workshops/{workshop.pk}/facilitators/",
        f"workshops/{workshop.pk}/enrollments/",
        f"workshops/{workshop.pk}/enrollments/{enrollment.pk}/cancel/",
        "staff/",
        f"staff/{membership.pk}/remove/",
        "feedback/survey/",
    ]
    client = team.client("owner")
    answers = [answer for page in pages for answer in post_forms(client, team.url(page))]
    answers += post_forms(client, "/o/new/")
    assert len(answers) > 30  # the forms were found and posted
    assert [answer for answer in answers if answer[3] >= 500] == []


@pytest.mark.django_db
def test_the_public_forms_answer_a_nul_in_any_text_field_without_a_500(workshop):
    scheduling_services.workshop_publish(workshop=workshop)
    answers = post_forms(Client(), "/accounts/signup/")
    answers += post_forms(Client(), f"/w/{workshop.public_id}/")
    answers += post_forms(Client(), "/accounts/login/")
    assert len(answers) >= 6
    assert [answer for answer in answers if answer[3] >= 500] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, error",
    [
        ("question", "Remove the control character (such as a NUL) from it."),
        ("options", "Line 2: Remove the control character (such as a NUL) from it."),
    ],
)
def test_a_nul_in_a_step_setting_is_shown_as_the_fields_error(team, name, error):
    settings = {"question": "How was it?", "poll_kind": "single", "options": "Fine\nHard"}
    settings[name] += "\0"
    steps = [{"kind": "poll", "title": "Pulse", "duration_minutes": "3", "settings": settings}]
    response = team.client("owner").post(team.url("library/new/"), editor_post("Slow start", steps))
    assert response.status_code == 400
    assert text_of(response, f"step-0-config-{name}_error") == error
    assert field_value(response, f"step-0-config-{name}") == settings[name]  # nothing typed is lost
    assert Exercise.objects.filter(organization=team.organization).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, field", [("scale", "question"), ("single", "options"), ("scale", "min_label"), ("scale", "max_label")]
)
def test_the_survey_form_shows_a_nul_as_an_error_and_keeps_what_was_typed(team, kind, field):
    values = {"kind": kind, "shown_kind": kind, "question": "How was it?", "options": "Yes\nNo", "min": "1"}
    values |= {"max": "5", "min_label": "low", "max_label": "high", "action": "save", "editing": ""}
    values[field] += "\0"
    response = team.client("owner").post(team.url("feedback/survey/"), values)
    assert response.status_code == 400
    assert text_of(response, f"{field}_error") == "This holds a NUL character, which can't be stored: remove it."
    assert field_value(response, field) == values[field]
    assert Survey.objects.get(organization=team.organization).prompts == []
