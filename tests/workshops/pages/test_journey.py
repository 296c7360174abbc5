"""The organizer's whole journey, through the pages only, as a new user would go through it."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from tests.mailbox import mailbox
from workshops.models import Enrollment, Exercise, Membership, Organization, Program, Session, WaitlistOffer, Workshop
from workshops.models.organizations import Role

from .conftest import PASSWORD
from .helpers import link_path, mails_to, page_text, text_of

COUPLES = [(f"Couple {n}", f"couple{n}@example.net") for n in range(1, 8)]


def _exercise_post(title, practice, steps):
    data = {"op": "save", "title": title, "practice": practice, "summary": "", "step_count": str(len(steps))}
    for index, step in enumerate(steps):
        for name, value in step.items():
            data[f"step-{index}-{name}"] = value
    return data


def _step(kind, title, minutes, settings=None, **texts):
    """One step of the editor's form; ``settings`` are its kind's fields as typed (config-<name>: text)."""
    return {
        "kind": kind,
        "shown_kind": kind,
        "title": title,
        "duration_minutes": str(minutes),
        "participant_text": texts.get("participant_text", ""),
        "facilitator_notes": texts.get("facilitator_notes", ""),
        "content_note": texts.get("content_note", ""),
        **{f"config-{name}": value for name, value in (settings or {}).items()},
    }


@pytest.mark.django_db
def test_new_organizer_plans_a_retreat_and_fills_it_through_the_pages(django_capture_on_commit_callbacks):
    organizer = Client()

    # Sign up, then create the organization. (The sign-up form's GET is checked in test_public_pages_render.)
    response = organizer.post(
        "/accounts/signup/", {"email": "Robin@Example.org", "first_name": "Robin", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/o/new/")
    assert organizer.get("/o/new/").status_code == 200
    response = organizer.post("/o/new/", {"name": "Open Hearts Retreats", "timezone": "Europe/Berlin"})
    organization = Organization.objects.get(name="Open Hearts Retreats")
    assert (response.status_code, response["Location"]) == (302, "/o/open-hearts-retreats/")
    assert (organization.timezone, organization.anonymity_k, organization.retention_days) == ("Europe/Berlin", 5, 14)
    assert Membership.objects.get(organization=organization).role == Role.OWNER
    base = "/o/open-hearts-retreats/"
    response = organizer.get(base)
    assert response.status_code == 200
    assert "Open Hearts Retreats is ready." in page_text(response)
    assert text_of(response, "upcoming-sessions") == "Upcoming sessions No sessions scheduled."

    # Library: write three exercises of our own.
    assert organizer.get(base + "library/new/").status_code == 200
    exercises = [
        (
            "Arriving together",
            "Anonymous pulse",
            [
                _step("instruction", "Welcome", 10, participant_text="Passing is always fine."),
                _step(
                    "poll",
                    "How safe does the room feel?",
                    5,
                    {
                        "question": "How safe does this room feel?",
                        "poll_kind": "scale",
                        "scale-min": "1",
                        "scale-max": "5",
                        "scale-min_label": "Not yet",
                        "scale-max_label": "Very",
                    },
                ),
            ],
        ),
        (
            "Boundary map",
            "Boundary mapping",
            [
                _step(
                    "worksheet",
                    "Our map",
                    40,
                    {"sections-0-label": "Non-negotiables", "sections-1-label": "Negotiables"},
                    facilitator_notes="Walk the room, never read screens.",
                    content_note="Touches on intimacy and limits.",
                )
            ],
        ),
        (
            "Trial agreement",
            "Agreements",
            [
                _step(
                    "agreement",
                    "Two weeks",
                    30,
                    {"agreement_kind": "trial_period", "prompt": "What will you try?", "default_trial_days": "14"},
                )
            ],
        ),
    ]
    for title, practice, steps in exercises:
        response = organizer.post(base + "library/new/", _exercise_post(title, practice, steps))
        created = Exercise.objects.get(organization=organization, title=title)
        assert (response.status_code, response["Location"]) == (302, f"{base}library/{created.pk}/")
    arriving, boundary, trial = (Exercise.objects.get(organization=organization, title=t) for t, _, _ in exercises)
    assert [(s.kind, s.title, s.duration_minutes) for s in arriving.steps.all()] == [
        ("instruction", "Welcome", 10),
        ("poll", "How safe does the room feel?", 5),
    ]
    response = organizer.get(base + "library/")
    assert text_of(response, f"exercise-{boundary.pk}") == (
        "Boundary map Boundary mapping · 40 min Shared worksheet Copy “Boundary map”"
    )
    response = organizer.get(f"{base}library/{boundary.pk}/")
    assert text_of(response, "step-1") == (
        "Our map Shared worksheet · 40 min Facilitator notes Walk the room, never read screens. "
        "Content note Touches on intimacy and limits. Settings Sections Short name Label Hint "
        "non_negotiables Non-negotiables negotiables Negotiables"
    )

    # Programs: build the retreat's program from the library, one part per session.
    response = organizer.post(
        base + "programs/new/",
        {"title": "Two-day retreat", "format": "in_person", "description": "", "exercise": str(arriving.pk)},
    )
    program = Program.objects.get(organization=organization)
    assert (response.status_code, response["Location"]) == (302, f"{base}programs/{program.pk}/")
    program_url = f"{base}programs/{program.pk}/"
    response = organizer.post(
        program_url + "items/add/", {"exercise": str(boundary.pk), "part": "2", "duration_minutes": "60"}
    )
    assert (response.status_code, response["Location"]) == (302, program_url + "#item-2")
    response = organizer.post(program_url + "items/add/", {"exercise": str(trial.pk), "part": "3"})
    assert response.status_code == 302
    response = organizer.post(
        program_url + "items/",
        {
            "op": "save",
            "item_count": "3",
            "item-0-exercise": str(arriving.pk),
            "item-0-duration_minutes": "20",
            "item-0-part": "1",
            "item-0-facilitator_notes": "Start slowly.",
            "item-1-exercise": str(boundary.pk),
            "item-1-duration_minutes": "60",
            "item-1-part": "2",
            "item-1-facilitator_notes": "",
            "item-2-exercise": str(trial.pk),
            "item-2-duration_minutes": "30",
            "item-2-part": "3",
            "item-2-facilitator_notes": "",
        },
    )
    assert response.status_code == 302
    assert [(i.exercise.title, i.part, i.duration_minutes, i.facilitator_notes) for i in program.items.all()] == [
        ("Arriving together", 1, 20, "Start slowly."),
        ("Boundary map", 2, 60, ""),
        ("Trial agreement", 3, 30, ""),
    ]
    response = organizer.get(base + "programs/")
    assert text_of(response, f"program-{program.pk}") == (
        "Two-day retreat In person 3 exercises · 110 min planned Part 1: 20 min Part 2: 60 min Part 3: 30 min"
    )

    # Workshops: a two-day retreat in Berlin for five couples, registration window in local time.
    response = organizer.post(
        base + "workshops/new/",
        {
            "title": "Spring retreat",
            "program": str(program.pk),
            "format": "in_person",
            "venue": "Haus am See, Berlin",
            "video_link": "",
            "timezone": "Europe/Berlin",
            "capacity_couples": "5",
            "registration_opens_at": "2026-01-01T09:00",
            "registration_closes_at": "2030-05-09T18:00",
            "description": "Two days for the two of you.",
        },
    )
    workshop = Workshop.objects.get(organization=organization)
    workshop_url = f"{base}workshops/{workshop.pk}/"
    assert (response.status_code, response["Location"]) == (302, workshop_url)
    assert (workshop.status, workshop.capacity_couples, workshop.timezone) == ("draft", 5, "Europe/Berlin")
    assert workshop.registration_opens_at == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    assert workshop.registration_closes_at == datetime(2030, 5, 9, 16, 0, tzinfo=UTC)

    for title, starts, ends in [
        ("Day 1 morning", "2030-05-10T10:00", "2030-05-10T13:00"),
        ("Day 1 afternoon", "2030-05-10T15:00", "2030-05-10T18:00"),
        ("Day 2", "2030-05-11T10:00", "2030-05-11T13:00"),
    ]:
        response = organizer.post(
            workshop_url + "sessions/new/", {"title": title, "starts_at": starts, "ends_at": ends}
        )
        assert (response.status_code, response["Location"]) == (302, workshop_url + "#sessions")
    assert [(s.title, s.starts_at, s.ends_at) for s in Session.objects.filter(workshop=workshop)] == [
        ("Day 1 morning", datetime(2030, 5, 10, 8, 0, tzinfo=UTC), datetime(2030, 5, 10, 11, 0, tzinfo=UTC)),
        ("Day 1 afternoon", datetime(2030, 5, 10, 13, 0, tzinfo=UTC), datetime(2030, 5, 10, 16, 0, tzinfo=UTC)),
        ("Day 2", datetime(2030, 5, 11, 8, 0, tzinfo=UTC), datetime(2030, 5, 11, 11, 0, tzinfo=UTC)),
    ]
    first = Session.objects.filter(workshop=workshop).first()
    response = organizer.get(workshop_url)
    assert text_of(response, f"session-{first.pk}") == (
        f"Day 1 morning Fri 10 May 2030, 10:00–13:00 Join code {first.join_code} Edit session 1 Delete… session 1"
    )
    # The opening time has passed, so registration opens the moment the draft is published.
    assert text_of(response, "registration-window") == "opens when published, closes Thu 9 May 2030, 18:00"
    assert text_of(response, "public-url") == f"{settings.PUBLIC_BASE_URL}/w/{workshop.public_id}/"

    response = organizer.post(workshop_url + "publish/")
    assert (response.status_code, response["Location"]) == (302, workshop_url)
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.PUBLISHED
    response = organizer.get(workshop_url)
    assert text_of(response, "workshop-status") == "Published"
    assert text_of(response, "registration-window") == "open now, until Thu 9 May 2030, 18:00"

    # Seven couples register on the public page: five get places, two land on the waitlist.
    couples = {}
    for name, email in COUPLES:
        couple = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = couple.post(f"/w/{workshop.public_id}/", {"display_name": name, "contact_email": email})
        assert (response.status_code, response["Location"]) == (302, f"/w/{workshop.public_id}/sent/")
        couples[email] = couple
    statuses = dict(Enrollment.objects.filter(workshop=workshop).values_list("contact_email", "status"))
    assert statuses == {email: ("confirmed" if n < 5 else "waitlisted") for n, (_, email) in enumerate(COUPLES)}

    enrollments_url = workshop_url + "enrollments/"
    response = organizer.get(enrollments_url)
    assert [text_of(response, f"count-{k}") for k in ("confirmed", "waitlisted", "offered", "free")] == [
        "5",
        "2",
        "0",
        "0",
    ]
    assert "couple6@example.net" in text_of(response, "waitlist")

    # The organizer cancels couple 2; the first couple on the waitlist is offered the seat by e-mail.
    couple2 = Enrollment.objects.get(workshop=workshop, contact_email="couple2@example.net")
    cancel_url = f"{enrollments_url}{couple2.pk}/cancel/"
    assert "Cancel Couple 2's place?" in page_text(organizer.get(cancel_url))
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(cancel_url)
    assert (response.status_code, response["Location"]) == (302, enrollments_url)
    assert [m.subject for m in mails_to("couple2@example.net")] == ["Your place at Spring retreat is cancelled"]
    offers = mails_to("couple6@example.net")
    assert [m.subject for m in offers] == ["A place at Spring retreat is yours if you want it"]
    assert mails_to("couple7@example.net") == []

    response = organizer.get(enrollments_url)
    assert [text_of(response, f"count-{k}") for k in ("confirmed", "waitlisted", "offered", "free")] == [
        "4",
        "1",
        "1",
        "0",
    ]
    couple6 = Enrollment.objects.get(workshop=workshop, contact_email="couple6@example.net")
    offer = WaitlistOffer.objects.get(enrollment=couple6, status="pending")
    local_expiry = offer.expires_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert f"Seat offered until {local_expiry:%-d %b %Y, %H:%M}" in text_of(response, f"enrollment-{couple6.pk}")
    assert "Cancelled by the organizer" in text_of(response, f"enrollment-{couple2.pk}")

    # Couple 6 opens the link from the e-mail and accepts.
    response = couples["couple6@example.net"].get(link_path(offers[0], "/offer/"))
    assert (response.status_code, response["Location"]) == (302, "/me/offer/")
    response = couples["couple6@example.net"].get("/me/offer/")
    assert "Accept the place" in page_text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = couples["couple6@example.net"].post("/me/offer/", {"action": "accept"})
    assert (response.status_code, response["Location"]) == (302, "/me/")

    # The organizer sees them confirmed.
    response = organizer.get(enrollments_url)
    assert [text_of(response, f"count-{k}") for k in ("confirmed", "waitlisted", "offered", "free")] == [
        "5",
        "1",
        "0",
        "0",
    ]
    confirmed = text_of(response, "confirmed")
    assert confirmed.startswith("Confirmed (5)")
    assert "Couple 6 couple6@example.net" in confirmed
    assert "Couple 2" not in confirmed
    assert text_of(response, "waitlist").startswith("Waitlist (1) In the order seats are offered. Couple 7")
    assert dict(Enrollment.objects.filter(workshop=workshop).values_list("display_name", "status")) == {
        "Couple 1": "confirmed",
        "Couple 2": "cancelled",
        "Couple 3": "confirmed",
        "Couple 4": "confirmed",
        "Couple 5": "confirmed",
        "Couple 6": "confirmed",
        "Couple 7": "waitlisted",
    }
