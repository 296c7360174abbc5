"""Every organizer page works without JavaScript and is ready for a strict Content Security Policy:
no scripts, no inline styles or event handlers, and every POST form carries its CSRF token."""

import re

import pytest
from django.test import Client

from workshops.models import Membership
from workshops.services import enrollment as enrollment_services
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

INLINE_CODE = re.compile(r"<script|\sstyle=|\son[a-z]+=|javascript:", re.I)


def check_page(response):
    html = response.content.decode()
    assert not INLINE_CODE.search(html), INLINE_CODE.search(html).group(0)
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I)
    for form in forms:
        opening = form.split(">", 1)[0]
        if 'method="post"' in opening:
            assert 'name="csrfmiddlewaretoken"' in form, opening
        assert "<form" not in form[5:], "nested forms"
    assert '<main id="main">' in html


@pytest.mark.django_db
def test_every_organizer_page_needs_no_script_and_carries_csrf_tokens(
    team, exercise, program, workshop, builtin_exercise
):
    scheduling_services.workshop_publish(workshop=workshop)
    enrollment, _ = enrollment_services.registration_submit(
        workshop=workshop, contact_email="pat@example.net", display_name="Pat"
    )
    session = workshop.sessions.get()
    membership = Membership.objects.get(user=team.facilitator)
    question = question_services.question_add(
        workshop=workshop, label="Room?", kind="choice", choices=["Shared", "Single"]
    )
    pages = [
        "",
        "settings/",
        "library/",
        "library/new/",
        f"library/{exercise.pk}/",
        f"library/{exercise.pk}/edit/",
        f"library/{builtin_exercise.pk}/",
        f"library/{exercise.pk}/?program={program.pk}",
        f"library/{exercise.pk}/delete/",
        "programs/",
        "programs/new/",
        f"programs/{program.pk}/",
        f"programs/{program.pk}/edit/",
        "workshops/",
        "workshops/new/",
        f"workshops/{workshop.pk}/",
        f"workshops/{workshop.pk}/edit/",
        f"workshops/{workshop.pk}/sessions/new/",
        f"workshops/{workshop.pk}/sessions/{session.pk}/edit/",
        f"workshops/{workshop.pk}/facilitators/",
        f"workshops/{workshop.pk}/enrollments/",
        f"workshops/{workshop.pk}/enrollments/{enrollment.pk}/cancel/",
        f"workshops/{workshop.pk}/enrollments/add/",
        f"workshops/{workshop.pk}/enrollments/message/",
        f"workshops/{workshop.pk}/questions/",
        f"workshops/{workshop.pk}/questions/{question.pk}/edit/",
        f"workshops/{workshop.pk}/questions/{question.pk}/delete/",
        "staff/",
        f"staff/{membership.pk}/remove/",
    ]
    for role in ("owner", "facilitator"):
        client = team.client(role)
        for page in pages:
            response = client.get(team.url(page))
            assert response.status_code in (200, 403), page
            check_page(response)
    client = team.client("owner")
    check_page(client.get("/o/new/"))
    # Pages re-rendered with errors too.
    check_page(client.post(team.url("library/new/"), {"op": "save", "title": "", "step_count": "1"}))
    check_page(client.post(team.url(f"workshops/{workshop.pk}/sessions/new/"), {"starts_at": "x", "ends_at": ""}))
    check_page(client.post(team.url(f"programs/{program.pk}/items/"), {"item_count": "1", "item-0-exercise": "0"}))
    message = {"audience": "confirmed", "subject": "Hi", "body": "See you", "action": "preview"}
    check_page(client.post(team.url(f"workshops/{workshop.pk}/enrollments/message/"), message))
    check_page(client.post(team.url(f"workshops/{workshop.pk}/questions/add/"), {"label": "", "kind": "choice"}))


@pytest.mark.django_db
def test_public_pages_render(workshop):
    scheduling_services.workshop_publish(workshop=workshop)
    assert Client().get("/accounts/signup/").status_code == 200
    assert Client().get(f"/w/{workshop.public_id}/").status_code == 200
    question_services.question_add(workshop=workshop, label="Room?", kind="choice", choices=["Shared", "Single"])
    check_page(Client().post(f"/w/{workshop.public_id}/", {"display_name": "", "contact_email": ""}))
