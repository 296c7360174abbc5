"""What each resource answers: library, programs' minutes, times in the workshop's zone, calendar links,
staff, invitations, enrollments, tokens."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.mailbox import mailbox
from tests.workshops.api.conftest import INSTRUCTION, REFLECTION
from workshops.models import Exercise, Step, Workshop


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


def builtin_exercise():
    exercise = Exercise.objects.create(organization=None, key="api-test-pulse", title="Zz built-in pulse")
    Step.objects.create(exercise=exercise, position=1, kind="instruction", title="Breathe", duration_minutes=3)
    return exercise


# ---- Library -----------------------------------------------------------------------------------------------


def test_exercises_list_the_built_in_library_and_our_own_only(own, other, owner):
    builtin = builtin_exercise()
    listed = owner.get(f"{own.base}/exercises/").json()
    ids = {e["id"] for e in listed["results"]}
    assert {own.exercise.pk, own.spare_exercise.pk, builtin.pk} <= ids
    assert other.exercise.pk not in ids
    ours = owner.get(f"{own.base}/exercises/?builtin=false&ordering=title").json()["results"]
    assert [(e["title"], e["is_builtin"], e["step_count"], e["total_minutes"]) for e in ours] == [
        ("Check-in", False, 2, 25),
        ("Spare", False, 1, 10),
    ]
    builtins = owner.get(f"{own.base}/exercises/?builtin=true").json()
    assert builtins["count"] == Exercise.objects.filter(organization=None).count()


def test_an_exercise_shows_its_steps(own, owner):
    response = owner.get(f"{own.base}/exercises/{own.exercise.pk}/")
    assert response.status_code == 200
    steps = response.json()["steps"]
    assert [(s["position"], s["kind"], s["kind_label"], s["title"], s["config"]) for s in steps] == [
        (1, "instruction", "Instruction", "Welcome", {}),
        (2, "reflection", "Private reflection", "On your own", {"prompts": ["What helps you say no?"]}),
    ]


def test_replacing_an_exercises_steps(own, owner):
    response = owner.patch(f"{own.base}/exercises/{own.exercise.pk}/", {"steps": [REFLECTION], "summary": "Short"})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["summary"], body["step_count"], body["total_minutes"]) == ("Check-in", "Short", 1, 15)


def test_copying_a_built_in_exercise_makes_it_ours_to_change(own, owner):
    builtin = builtin_exercise()
    copied = owner.post(f"{own.base}/exercises/{builtin.pk}/copy/")
    assert copied.status_code == 201
    body = copied.json()
    assert (body["title"], body["is_builtin"], body["copied_from"], body["key"]) == (
        "Zz built-in pulse",
        False,
        builtin.pk,
        "",
    )
    assert [s["title"] for s in body["steps"]] == ["Breathe"]
    renamed = owner.patch(f"{own.base}/exercises/{body['id']}/", {"title": "Our pulse"})
    assert renamed.json()["title"] == "Our pulse"


def test_a_program_adds_up_its_minutes_in_total_and_per_part(own, owner):
    response = owner.post(
        f"{own.base}/programs/",
        {
            "title": "Two evenings",
            "format": "hybrid",
            "items": [
                {"exercise": own.exercise.pk, "part": 1, "duration_minutes": 45},
                {"exercise": own.spare_exercise.pk, "part": 1},
                {"exercise": own.exercise.pk, "part": 2, "duration_minutes": 60, "facilitator_notes": "Slower"},
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["planned_total_minutes"], body["item_count"], body["format"]) == (115, 3, "hybrid")
    assert body["minutes_by_part"] == [{"part": 1, "minutes": 55}, {"part": 2, "minutes": 60}]
    assert [
        (i["position"], i["exercise_title"], i["duration_minutes"], i["facilitator_notes"]) for i in body["items"]
    ] == [
        (1, "Check-in", 45, ""),
        (2, "Spare", 10, ""),
        (3, "Check-in", 60, "Slower"),
    ]
    listed = owner.get(f"{own.base}/programs/?builtin=false&format=hybrid").json()["results"]
    assert [(p["title"], p["planned_total_minutes"]) for p in listed] == [("Two evenings", 115)]


# ---- Workshops and sessions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "utc", "local"),
    [
        ("2031-01-15T18:00:00+01:00", "2031-01-15T17:00:00Z", "2031-01-15T18:00:00+01:00"),
        ("2031-07-15T18:00:00+02:00", "2031-07-15T16:00:00Z", "2031-07-15T18:00:00+02:00"),
        ("2031-07-15T16:00:00Z", "2031-07-15T16:00:00Z", "2031-07-15T18:00:00+02:00"),
        ("2031-07-15T12:00:00-04:00", "2031-07-15T16:00:00Z", "2031-07-15T18:00:00+02:00"),
    ],
    ids=["berlin-winter", "berlin-summer", "given-in-utc", "given-in-new-york"],
)
def test_sessions_are_stored_in_utc_and_shown_in_the_workshops_zone(starts_at, utc, local, own, owner):
    ends_at = (datetime.fromisoformat(starts_at) + timedelta(hours=2)).isoformat()
    response = owner.post(
        f"{own.base}/workshops/{own.draft.pk}/sessions/",
        {"title": "Evening", "starts_at": starts_at, "ends_at": ends_at},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["starts_at"], body["starts_at_local"], body["timezone"]) == (utc, local, "Europe/Berlin")
    assert len(body["join_code"]) == 6


def test_workshop_detail_for_organizer_and_facilitator(own, owner, api_as):
    detail = owner.get(f"{own.base}/workshops/{own.live.pk}/").json()
    assert detail["enrollment_counts"] == {"confirmed": 1, "waitlisted": 0, "cancelled": 0, "offered": 0, "free": 4}
    assert detail["registration_url"] == f"{settings.PUBLIC_BASE_URL}/w/{own.live.public_id}/"
    assert [s["id"] for s in detail["sessions"]] == [own.live_session.pk]
    seen_by_facilitator = api_as(own.users["facilitator"]).get(f"{own.base}/workshops/{own.live.pk}/").json()
    assert seen_by_facilitator["enrollment_counts"] is None
    assert seen_by_facilitator["ical_feed_url"] == detail["ical_feed_url"]


def test_the_workshop_calendar_feed_works_and_rotates(own, owner, anonymous):
    feed_url = owner.get(f"{own.base}/workshops/{own.live.pk}/").json()["ical_feed_url"]
    feed = anonymous.client.get(feed_url.removeprefix(settings.PUBLIC_BASE_URL))
    assert feed.status_code == 200
    assert b"SUMMARY:Live evening" in feed.content
    rotated = owner.post(f"{own.base}/workshops/{own.live.pk}/calendar/rotate/")
    assert rotated.status_code == 200
    new_url = rotated.json()["ical_feed_url"]
    assert new_url != feed_url
    assert anonymous.client.get(feed_url.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 404
    assert anonymous.client.get(new_url.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 200


def test_my_staff_calendar_link_is_stable_until_rotated(own, owner, anonymous):
    first = owner.get("/api/v1/me/calendar/").json()["ical_feed_url"]
    assert owner.get("/api/v1/me/calendar/").json()["ical_feed_url"] == first
    rotated = owner.post("/api/v1/me/calendar/rotate/").json()["ical_feed_url"]
    assert rotated != first
    assert anonymous.client.get(rotated.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 200
    assert anonymous.client.get(first.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 404


def test_a_cancelled_workshop_cannot_change(own, owner):
    cancelled = owner.post(f"{own.base}/workshops/{own.live.pk}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    response = owner.patch(f"{own.base}/workshops/{own.live.pk}/", {"title": "Back"})
    assert response.json() == {"detail": "A cancelled workshop can't be changed.", "field": None, "code": "cancelled"}
    listed = owner.get(f"{own.base}/workshops/?status=cancelled").json()["results"]
    assert [w["id"] for w in listed] == [own.live.pk]


def test_deleting_a_draft_removes_it(own, owner):
    assert owner.delete(f"{own.base}/workshops/{own.draft.pk}/").status_code == 204
    assert not Workshop.objects.filter(pk=own.draft.pk).exists()
    assert owner.get(f"{own.base}/workshops/{own.draft.pk}/").status_code == 404


# ---- Staff -------------------------------------------------------------------------------------------------


def test_memberships_list_staff_and_keep_one_owner(own, owner):
    listed = owner.get(f"{own.base}/memberships/?ordering=created_at").json()["results"]
    assert [(m["email"], m["role"]) for m in listed] == [
        ("owner@acme.test", "owner"),
        ("organizer@acme.test", "organizer"),
        ("facilitator@acme.test", "facilitator"),
        ("spare@acme.test", "facilitator"),
    ]
    facilitators = owner.get(f"{own.base}/memberships/?role=facilitator").json()["count"]
    assert facilitators == 2
    mine = listed[0]["id"]
    demoted = owner.put(f"{own.base}/memberships/{mine}/", {"role": "organizer"})
    assert demoted.json() == {
        "detail": "An organization keeps at least one owner.",
        "field": "role",
        "code": "last_owner",
    }
    assert owner.delete(f"{own.base}/memberships/{mine}/").json()["code"] == "last_owner"
    assert owner.delete(f"{own.base}/memberships/{own.spare_membership.pk}/").status_code == 204
    assert owner.get(f"{own.base}/memberships/").json()["count"] == 3


def test_inviting_staff_sends_the_link_by_mail_only(own, owner):
    response = owner.post(f"{own.base}/invitations/", {"email": "Sam@Example.test", "role": "organizer"})
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["state"]) == ("sam@example.test", "organizer", "pending")
    assert set(body) == {
        "id",
        "email",
        "role",
        "state",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "language",
    }
    assert body["language"] == "en"  # the request's: the inviter's language
    assert [(m.to, m.subject) for m in mailbox()] == [(["sam@example.test"], "You're invited to join Acme on Attune")]
    assert "/staff/invitation/" in mailbox()[0].body
    already = owner.post(f"{own.base}/invitations/", {"email": "spare@acme.test", "role": "organizer"})
    assert already.json() == {"detail": "That person is already on the staff.", "field": "email", "code": "invalid"}


def test_revoking_an_invitation(own, owner):
    url = f"{own.base}/invitations/{own.invitation.pk}/revoke/"
    assert owner.post(url).json()["state"] == "revoked"
    assert owner.post(url).json()["code"] == "invitation_revoked"
    listed = owner.get(f"{own.base}/invitations/").json()["results"]
    assert [(i["email"], i["state"]) for i in listed] == [("new@acme.test", "revoked")]


# ---- Enrollments -------------------------------------------------------------------------------------------


def test_resending_an_invitation_mails_a_new_link(own, owner):
    url = f"{own.base}/workshops/{own.live.pk}/enrollments/{own.enrollment.pk}/resend-invitation/"
    response = owner.post(url)
    assert response.json() == {"detail": "A new personal link is on its way; the old one no longer works."}
    assert [(m.to, m.subject) for m in mailbox()] == [(["ana@acme.test"], "Your place at Live evening")]


def test_cancelling_twice_is_refused(own, owner):
    url = f"{own.base}/workshops/{own.live.pk}/enrollments/{own.enrollment.pk}/cancel/"
    assert owner.post(url).status_code == 200
    assert owner.post(url).json() == {"detail": "This place is already cancelled.", "field": None, "code": "cancelled"}


def test_enrollments_of_another_workshop_are_not_found_under_this_one(own, owner):
    response = owner.get(f"{own.base}/workshops/{own.draft.pk}/enrollments/{own.enrollment.pk}/")
    assert response.status_code == 404


# ---- Tokens ------------------------------------------------------------------------------------------------


def test_a_wrong_password_gets_no_token(anonymous, db):
    get_user_model().objects.create_user(
        username="kim@example.test", email="kim@example.test", password="right-horse-9"
    )
    response = anonymous.post("/api/v1/auth/token/", {"email": "kim@example.test", "password": "wrong-horse-9"})
    assert response.json() == {
        "detail": "The e-mail or the password is wrong.",
        "field": None,
        "code": "invalid_credentials",
    }
    missing = anonymous.post("/api/v1/auth/token/", {"email": "kim@example.test"})
    assert missing.json()["field"] == "password"


def test_a_session_cookie_works_too_with_csrf(own):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(own.users["owner"])
    assert client.get(f"{own.base}/workshops/").status_code == 200
    refused = client.post(f"{own.base}/exercises/", {"title": "X", "steps": [INSTRUCTION]}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
