"""Seat counts during a waitlist offer: each couple is counted once, the same on the workshop and enrollments pages.

Issue 16 saw "3 + 1 + 1" for a capacity of 4: the couple offered a seat was counted as offered and as waitlisted.
"""

import pytest

from workshops.models import Enrollment
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import text_of

KEYS = ("confirmed", "offered", "free", "waitlisted")


def register(workshop, name):
    return enrollment_services.registration_submit(
        workshop=workshop, contact_email=f"{name.lower()}@example.net", display_name=name
    )[0]


def counts_on(response):
    return {key: text_of(response, f"count-{key}") for key in KEYS}


@pytest.mark.django_db
def test_a_seat_offered_to_a_waitlisted_couple_is_counted_once_on_both_pages(team, workshop):
    scheduling_services.workshop_update(workshop=workshop, capacity_couples=4)
    scheduling_services.workshop_publish(workshop=workshop)
    first = register(workshop, "Ada")
    for name in ("Bo", "Cy", "Di", "Ed"):
        register(workshop, name)
    assert Enrollment.objects.get(display_name="Ed").status == "waitlisted"

    enrollment_services.enrollment_cancel(enrollment=first, by="couple")  # Ed is offered Ada's seat

    client = team.client("organizer")
    detail = client.get(team.url(f"workshops/{workshop.pk}/"))
    enrollments = client.get(team.url(f"workshops/{workshop.pk}/enrollments/"))
    expected = {"confirmed": "3", "offered": "1", "free": "0", "waitlisted": "0"}
    assert counts_on(detail) == counts_on(enrollments) == expected
    summary = "Capacity 4 couples: 3 confirmed, 1 held by a waitlist offer, 0 free. Nobody else is waiting."
    assert text_of(detail, "seat-summary") == text_of(enrollments, "seat-summary") == summary
    assert text_of(enrollments, "waitlist").startswith(
        "Waitlist (1) In the order seats are offered: 1 offered a seat, 0 waiting. Ed"
    )

    register(workshop, "Fu")  # joins the waitlist behind Ed, without an offer
    enrollments = team.client("owner").get(team.url(f"workshops/{workshop.pk}/enrollments/"))
    assert counts_on(enrollments) == {"confirmed": "3", "offered": "1", "free": "0", "waitlisted": "1"}
    assert text_of(enrollments, "seat-summary").endswith("1 more couple on the waitlist without an offer.")
    assert text_of(enrollments, "waitlist-heading") == "Waitlist (2)"


@pytest.mark.django_db
def test_free_seats_and_the_capacity_add_up_before_anyone_waits(team, workshop):
    scheduling_services.workshop_publish(workshop=workshop)  # capacity 2
    register(workshop, "Ada")
    response = team.client("facilitator").get(team.url(f"workshops/{workshop.pk}/"))
    assert counts_on(response) == {"confirmed": "1", "offered": "0", "free": "1", "waitlisted": "0"}
