"""An organizer's whole flow through the API alone, and a couple's side of it through the public endpoints."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Program

PASSWORD = "lantern-orchard-49-quietly"
OFFER_LINK = re.compile(r"/offer/([\w-]+)")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def program_for_a_retreat(api, base, source):
    """The built-in in-person program of at most three parts, copied (when the built-in library has one);
    or one of our own, built from new exercises."""
    builtin = [
        p for p in results(api.get(f"{base}/programs/?builtin=true&format=in_person")) if len(p["minutes_by_part"]) <= 3
    ]
    if source == "builtin" and builtin:
        copied = api.post(f"{base}/programs/{builtin[0]['id']}/copy/")
        assert copied.status_code == 201, copied.content
        body = copied.json()
        assert (body["copied_from"], body["is_builtin"], body["title"]) == (
            builtin[0]["id"],
            False,
            builtin[0]["title"],
        )
        assert body["planned_total_minutes"] == builtin[0]["planned_total_minutes"]
        assert body["minutes_by_part"] == builtin[0]["minutes_by_part"]
        assert body["planned_total_minutes"] == sum(item["duration_minutes"] for item in body["items"])
        return body
    exercises = []
    for title, step in [
        ("Arrival", {"kind": "instruction", "title": "Welcome", "duration_minutes": 20}),
        (
            "Boundary map",
            {
                "kind": "worksheet",
                "title": "Map it",
                "duration_minutes": 40,
                "config": {
                    "sections": [
                        {"key": "non_negotiables", "label": "Non-negotiables"},
                        {"key": "negotiables", "label": "Negotiables"},
                    ]
                },
            },
        ),
        (
            "Trial period",
            {
                "kind": "agreement",
                "title": "Agree on a trial",
                "duration_minutes": 30,
                "config": {"agreement_kind": "trial_period", "prompt": "What will you try?", "default_trial_days": 14},
            },
        ),
    ]:
        created = api.post(f"{base}/exercises/", {"title": title, "steps": [step]})
        assert created.status_code == 201, created.content
        exercises.append(created.json())
    program = api.post(
        f"{base}/programs/",
        {
            "title": "Weekend retreat",
            "format": "in_person",
            "items": [
                {"exercise": exercises[0]["id"], "part": 1, "duration_minutes": 30},
                {"exercise": exercises[1]["id"], "part": 1, "duration_minutes": 90},
                {"exercise": exercises[1]["id"], "part": 2, "duration_minutes": 120, "facilitator_notes": "Go slow."},
                {"exercise": exercises[2]["id"], "part": 3},
            ],
        },
    )
    assert program.status_code == 201, program.content
    body = program.json()
    assert body["planned_total_minutes"] == 30 + 90 + 120 + 30
    assert body["minutes_by_part"] == [
        {"part": 1, "minutes": 120},
        {"part": 2, "minutes": 120},
        {"part": 3, "minutes": 30},
    ]
    return body


def counts(api, base, workshop_id):
    return api.get(f"{base}/workshops/{workshop_id}/waitlist/").json()["counts"]


@pytest.mark.django_db
@pytest.mark.parametrize("program_source", ["builtin", "own"])
def test_organizer_runs_a_retreat_with_a_waitlist_through_the_api(program_source, api_as, anonymous):
    get_user_model().objects.create_user(
        username="mira@example.test", email="mira@example.test", password=PASSWORD, first_name="Mira"
    )
    signed_in = anonymous.post("/api/v1/auth/token/", {"email": "Mira@Example.test", "password": PASSWORD})
    assert signed_in.status_code == 200
    token = signed_in.json()["token"]
    api = api_as(None)
    api.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    created = api.post("/api/v1/orgs/", {"name": "Kindred Rooms", "timezone": "Europe/Berlin"})
    assert created.status_code == 201
    org = created.json()
    assert (org["slug"], org["my_role"], org["anonymity_k"], org["retention_days"]) == (
        "kindred-rooms",
        "owner",
        5,
        14,
    )
    base = f"/api/v1/orgs/{org['slug']}"

    program = program_for_a_retreat(api, base, program_source)
    parts = len(program["minutes_by_part"])
    assert Program.objects.filter(organization__slug="kindred-rooms").count() == 1

    year = timezone.now().year + 1
    workshop = api.post(
        f"{base}/workshops/",
        {
            "program": program["id"],
            "title": "Talking about us: a weekend",
            "format": "in_person",
            "venue": "Haus am See, Berlin",
            "timezone": "Europe/Berlin",
            "capacity_couples": 5,
        },
    )
    assert workshop.status_code == 201, workshop.content
    workshop = workshop.json()
    assert (workshop["status"], workshop["capacity_couples"], workshop["sessions"]) == ("draft", 5, [])
    assert workshop["ical_feed_url"].startswith(f"{settings.PUBLIC_BASE_URL}/ical/workshop/{workshop['id']}/")
    sessions_url = f"{base}/workshops/{workshop['id']}/sessions/"

    # Two days in June (Berlin is at +02:00 then); the third session is given in UTC.
    times = [
        ("Saturday morning", f"{year}-06-12T09:00:00+02:00", f"{year}-06-12T12:30:00+02:00"),
        ("Saturday afternoon", f"{year}-06-12T14:00:00+02:00", f"{year}-06-12T17:30:00+02:00"),
        ("Sunday morning", f"{year}-06-13T07:00:00Z", f"{year}-06-13T10:30:00Z"),
    ]
    for title, starts_at, ends_at in times:
        made = api.post(sessions_url, {"title": title, "starts_at": starts_at, "ends_at": ends_at})
        assert made.status_code == 201, made.content
    sessions = results(api.get(sessions_url))
    assert [(s["title"], s["starts_at"], s["starts_at_local"], s["ends_at_local"]) for s in sessions] == [
        ("Saturday morning", f"{year}-06-12T07:00:00Z", f"{year}-06-12T09:00:00+02:00", f"{year}-06-12T12:30:00+02:00"),
        (
            "Saturday afternoon",
            f"{year}-06-12T12:00:00Z",
            f"{year}-06-12T14:00:00+02:00",
            f"{year}-06-12T17:30:00+02:00",
        ),
        ("Sunday morning", f"{year}-06-13T07:00:00Z", f"{year}-06-13T09:00:00+02:00", f"{year}-06-13T12:30:00+02:00"),
    ]
    assert len({s["join_code"] for s in sessions}) == 3
    assert parts <= 3

    published = api.post(f"{base}/workshops/{workshop['id']}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    public_id = published.json()["public_id"]

    couples = [("Ana", "ana"), ("Ben", "ben"), ("Cleo", "cleo"), ("Dev", "dev"), ("Eli", "eli")]
    waiting = [("Fay", "fay"), ("Gus", "gus")]
    for name, local in couples + waiting:
        registered = anonymous.post(
            f"/api/v1/public/workshops/{public_id}/register/",
            {"contact_email": f"{local}@example.test", "display_name": name},
        )
        assert registered.status_code == 202, registered.content
        assert registered.json() == {"detail": "Thank you. Check your e-mail: your personal link is on its way."}
    title = "Talking about us: a weekend"
    assert [(m.to, m.subject) for m in mailbox()] == [
        ([f"{local}@example.test"], f"Your place at {title}") for _, local in couples
    ] + [([f"{local}@example.test"], f"You're on the waitlist for {title}") for _, local in waiting]
    assert counts(api, base, workshop["id"]) == {
        "confirmed": 5,
        "waitlisted": 2,
        "cancelled": 0,
        "offered": 0,
        "free": 0,
    }
    enrollments_url = f"{base}/workshops/{workshop['id']}/enrollments/"
    waitlisted = results(api.get(f"{enrollments_url}?status=waitlisted"))
    assert [e["display_name"] for e in waitlisted] == ["Fay", "Gus"]
    confirmed = results(api.get(f"{enrollments_url}?status=confirmed&ordering=display_name"))
    assert [e["display_name"] for e in confirmed] == ["Ana", "Ben", "Cleo", "Dev", "Eli"]

    mailbox().clear()
    ben = next(e for e in confirmed if e["display_name"] == "Ben")
    cancelled = api.post(f"{enrollments_url}{ben['id']}/cancel/")
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == ("cancelled", "organizer")
    assert [(m.to, m.subject) for m in mailbox()] == [
        (["ben@example.test"], f"Your place at {title} is cancelled"),
        (["fay@example.test"], f"A place at {title} is yours if you want it"),
    ]
    token = OFFER_LINK.search(mailbox()[1].body).group(1)

    waitlist = api.get(f"{base}/workshops/{workshop['id']}/waitlist/").json()
    assert waitlist["capacity_couples"] == 5
    assert waitlist["counts"] == {"confirmed": 4, "waitlisted": 1, "cancelled": 1, "offered": 1, "free": 0}
    assert [(e["position"], e["enrollment"]["display_name"]) for e in waitlist["entries"]] == [(1, "Fay"), (2, "Gus")]
    assert waitlist["entries"][0]["offer"]["status"] == "pending"
    assert waitlist["entries"][1]["offer"] is None

    mailbox().clear()
    accepted = anonymous.post("/api/v1/public/waitlist-offers/accept/", {"token": token})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json() == {
        "status": "confirmed",
        "workshop": title,
        "detail": "The place is yours. We've e-mailed your personal link.",
    }
    assert [(m.to, m.subject) for m in mailbox()] == [(["fay@example.test"], f"Your place at {title}")]
    mailbox().clear()
    again = anonymous.post("/api/v1/public/waitlist-offers/accept/", {"token": token})
    assert again.status_code == 200, again.content
    assert again.json() == {
        "status": "confirmed",
        "workshop": title,
        "detail": "This place is already yours: you accepted it before. Your personal link is in our e-mail.",
    }
    assert mailbox() == []  # the link that was e-mailed still works: no new one

    waitlist = api.get(f"{base}/workshops/{workshop['id']}/waitlist/").json()
    assert waitlist["counts"] == {"confirmed": 5, "waitlisted": 1, "cancelled": 1, "offered": 0, "free": 0}
    assert [(e["position"], e["enrollment"]["display_name"], e["offer"]) for e in waitlist["entries"]] == [
        (1, "Gus", None)
    ]
    detail = api.get(f"{base}/workshops/{workshop['id']}/").json()
    assert detail["enrollment_counts"] == waitlist["counts"]
    assert [e["display_name"] for e in results(api.get(f"{enrollments_url}?status=confirmed"))] == [
        "Ana",
        "Cleo",
        "Dev",
        "Eli",
        "Fay",
    ]

    signed_out = api.delete("/api/v1/auth/token/")
    assert signed_out.status_code == 204
    assert api.get("/api/v1/orgs/").status_code == 401
