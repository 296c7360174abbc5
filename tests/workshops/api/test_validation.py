"""Bad input of any shape is a 4xx naming the field, never a 500; rules of the domain answer 400 with
{"detail", "field", "code"}."""

import json

import pytest

from tests.workshops.api.conftest import INSTRUCTION, in_days
from workshops.models import Exercise, Program
from workshops.services import scheduling as scheduling_services


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


def sessions_url(world, workshop=None):
    return f"{world.base}/workshops/{(workshop or world.draft).pk}/sessions/"


def assert_error(response, status, field, code=None, detail=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field
    if code is not None:
        assert body["code"] == code
    if detail is not None:
        assert body["detail"] == detail
    return body


# ---- Rules of the domain ----------------------------------------------------------------------------------------


def test_overlapping_sessions_are_refused_naming_the_other_session(own, owner):
    existing = own.draft_session
    response = owner.post(
        sessions_url(own),
        {
            "starts_at": existing.starts_at.isoformat(),
            "ends_at": (existing.ends_at + (existing.ends_at - existing.starts_at)).isoformat(),
        },
    )
    body = assert_error(response, 400, "starts_at", "session_overlap")
    assert body["detail"].startswith("This overlaps another session (")


def test_moving_a_session_onto_another_is_refused(own, owner):
    second = scheduling_services.session_create(workshop=own.draft, starts_at=in_days(32, 9), ends_at=in_days(32, 11))
    response = owner.patch(
        f"{sessions_url(own)}{second.pk}/",
        {"starts_at": own.draft_session.starts_at.isoformat(), "ends_at": own.draft_session.ends_at.isoformat()},
    )
    assert_error(response, 400, "starts_at", "session_overlap")


def test_a_session_must_end_after_it_starts_and_last_at_most_14_hours(own, owner):
    start = in_days(50, 8)
    backwards = owner.post(sessions_url(own), {"starts_at": start.isoformat(), "ends_at": start.isoformat()})
    assert_error(backwards, 400, "ends_at", detail="A session must end after it starts.")
    too_long = owner.post(
        sessions_url(own), {"starts_at": start.isoformat(), "ends_at": in_days(50, 23).replace(minute=1).isoformat()}
    )
    assert_error(too_long, 400, "ends_at", detail="A session lasts at most 14 hours.")


def test_facilitator_double_booking_names_the_other_workshop(own, owner):
    facilitator = own.users["facilitator"]
    booked = owner.put(f"{own.base}/workshops/{own.live.pk}/facilitators/", {"facilitators": [facilitator.pk]})
    assert booked.status_code == 200
    assert [f["id"] for f in booked.json()["facilitators"]] == [facilitator.pk]
    # The draft gets a session at the same time as the live workshop's, then the same facilitator.
    clash = owner.post(
        sessions_url(own),
        {"starts_at": own.live_session.starts_at.isoformat(), "ends_at": own.live_session.ends_at.isoformat()},
    )
    assert clash.status_code == 201
    response = owner.put(f"{own.base}/workshops/{own.draft.pk}/facilitators/", {"facilitators": [facilitator.pk]})
    body = assert_error(response, 400, "facilitators", "facilitator_double_booked")
    assert "already facilitates 'Live evening' from " in body["detail"]
    assert body["detail"].startswith("Facilitator already facilitates")


def test_a_new_session_that_double_books_a_facilitator_names_the_other_workshop(own, owner):
    facilitator = own.users["facilitator"]
    assert (
        owner.put(f"{own.base}/workshops/{own.live.pk}/facilitators/", {"facilitators": [facilitator.pk]}).status_code
        == 200
    )
    assert (
        owner.put(f"{own.base}/workshops/{own.draft.pk}/facilitators/", {"facilitators": [facilitator.pk]}).status_code
        == 200
    )
    response = owner.post(
        sessions_url(own),
        {"starts_at": own.live_session.starts_at.isoformat(), "ends_at": own.live_session.ends_at.isoformat()},
    )
    body = assert_error(response, 400, "starts_at", "facilitator_double_booked")
    assert "'Live evening'" in body["detail"]


def test_facilitators_must_be_staff_of_the_organization(own, other, owner):
    response = owner.put(
        f"{own.base}/workshops/{own.draft.pk}/facilitators/", {"facilitators": [other.users["facilitator"].pk]}
    )
    assert_error(
        response,
        400,
        "facilitators",
        detail=f"User {other.users['facilitator'].pk} is not on the staff of this organization.",
    )


@pytest.mark.parametrize("k", [2, 0, -1])
def test_anonymity_threshold_below_three_is_refused(k, own, owner):
    response = owner.patch(f"{own.base}/", {"anonymity_k": k})
    assert_error(
        response,
        400,
        "anonymity_k",
        "min_value",
        "anonymity_k: The anonymity threshold must be at least 3: fewer answers could identify a couple.",
    )
    created = owner.post("/api/v1/orgs/", {"name": "Tiny", "anonymity_k": k})
    assert_error(created, 400, "anonymity_k", "min_value")


def test_organization_settings_change_for_the_owner(own, owner):
    response = owner.patch(f"{own.base}/", {"anonymity_k": 3, "retention_days": 30, "timezone": "Europe/Vienna"})
    assert response.status_code == 200
    body = response.json()
    assert (body["anonymity_k"], body["retention_days"], body["timezone"], body["name"]) == (
        3,
        30,
        "Europe/Vienna",
        "Acme",
    )


@pytest.mark.parametrize("timezone_name", ["Mars/Olympus_Mons", "berlin", "UTC+2"])
def test_a_bad_time_zone_is_refused(timezone_name, own, owner):
    detail = f"{timezone_name!r} is not a time zone name such as Europe/Berlin."
    assert_error(owner.patch(f"{own.base}/", {"timezone": timezone_name}), 400, "timezone", detail=detail)
    workshop = owner.post(
        f"{own.base}/workshops/",
        {"program": own.program.pk, "title": "T", "timezone": timezone_name, "capacity_couples": 3},
    )
    assert_error(workshop, 400, "timezone", detail=detail)


@pytest.mark.parametrize(
    ("step", "field", "message"),
    [
        ({**INSTRUCTION, "kind": "dance"}, "steps.0.kind", 'steps.0.kind: "dance" is not a valid choice.'),
        (
            {"kind": "reflection", "title": "Alone", "duration_minutes": 5, "config": {"prompts": []}},
            "steps.0.config.prompts",
            None,
        ),
        (
            {
                "kind": "answer_reveal",
                "title": "Pick",
                "duration_minutes": 5,
                "config": {"prompt": "Which?", "answer_kind": "choice"},
            },
            "steps.0.config",
            "Step 1: config: a choice answer needs at least two options",
        ),
        ({**INSTRUCTION, "config": {"surprise": 1}}, "steps.0.config.surprise", None),
        ({**INSTRUCTION, "duration_minutes": 0}, "steps.0.duration_minutes", None),
        (
            {**INSTRUCTION, "config": {"note": "a\x00b"}},
            "steps.0.config",
            "steps.0.config: config.note: text may not contain NUL characters.",
        ),
        (
            {
                "kind": "dialogue",
                "title": "Turns",
                "duration_minutes": 20,
                "config": {
                    "topic_prompt": "What matters?",
                    "phases": [{"key": "state", "label": "State", "instructions": "Say it.", "seconds": 60}],
                    "rounds": "2",
                },
            },
            "steps.0.config.rounds",
            "Step 1: config.rounds: Input should be a valid integer",
        ),
        (
            {
                "kind": "poll",
                "title": "Pulse",
                "duration_minutes": 3,
                "config": {
                    "question": "How close?",
                    "poll_kind": "scale",
                    "scale": {"min": 0, "max": 5.0, "min_label": "Far", "max_label": "Close"},
                },
            },
            "steps.0.config.scale.max",
            None,
        ),
    ],
    ids=[
        "unknown-kind",
        "no-prompts",
        "choice-without-options",
        "unknown-config-key",
        "zero-minutes",
        "nul-character",
        "text-for-a-number",  # the published schema says integer: "2" is not 2
        "float-for-an-integer",
    ],
)
def test_an_invalid_step_is_refused_naming_its_field(step, field, message, own, owner):
    response = owner.post(f"{own.base}/exercises/", {"title": "Broken", "steps": [INSTRUCTION, step]})
    field = field.replace("steps.0", "steps.1")
    body = assert_error(response, 400, field)
    if message is not None:
        assert body["detail"] == message.replace("steps.0", "steps.1").replace("Step 1", "Step 2")


def test_built_in_exercises_and_programs_are_read_only(own, owner):
    builtin_exercise = Exercise.objects.create(organization=None, key="api-test-builtin", title="Built-in")
    builtin_program = Program.objects.create(organization=None, key="api-test-builtin", title="Built-in")
    edited = owner.patch(f"{own.base}/exercises/{builtin_exercise.pk}/", {"title": "Mine now"})
    assert_error(
        edited, 400, None, "builtin", "Built-in items are read-only; copy it to your organization to change it."
    )
    assert_error(owner.delete(f"{own.base}/exercises/{builtin_exercise.pk}/"), 400, None, "builtin")
    assert_error(owner.patch(f"{own.base}/programs/{builtin_program.pk}/", {"title": "Mine"}), 400, None, "builtin")
    assert_error(owner.delete(f"{own.base}/programs/{builtin_program.pk}/"), 400, None, "builtin")


def test_program_items_must_use_exercises_of_the_library(own, other, owner):
    response = owner.post(f"{own.base}/programs/", {"title": "P", "items": [{"exercise": other.exercise.pk}]})
    assert_error(response, 400, "items.0.exercise", detail="Item 1: no such exercise in your library.")
    unordered = owner.post(
        f"{own.base}/programs/",
        {"title": "P", "items": [{"exercise": own.exercise.pk, "part": 2}, {"exercise": own.exercise.pk, "part": 1}]},
    )
    assert_error(unordered, 400, "items")


def test_in_use_things_cannot_be_deleted(own, owner):
    assert_error(owner.delete(f"{own.base}/exercises/{own.exercise.pk}/"), 400, None, "in_use")
    assert_error(owner.delete(f"{own.base}/programs/{own.program.pk}/"), 400, None, "in_use")
    assert_error(owner.delete(f"{own.base}/workshops/{own.live.pk}/"), 400, None, "not_draft")


def test_capacity_cannot_drop_below_the_seats_taken(own, owner):
    response = owner.patch(f"{own.base}/workshops/{own.live.pk}/", {"capacity_couples": 0})
    assert_error(response, 400, "capacity_couples", "min_value")
    for name in ("b", "c"):
        owner.post(
            f"{own.base}/workshops/{own.live.pk}/enrollments/",
            {"contact_email": f"{name}@x.test", "display_name": name},
        )
    response = owner.patch(f"{own.base}/workshops/{own.live.pk}/", {"capacity_couples": 2})
    assert_error(
        response, 400, "capacity_couples", detail="3 couples already hold places; capacity can't go below that."
    )


def test_publishing_needs_a_venue_for_an_in_person_workshop(own, owner):
    owner.patch(f"{own.base}/workshops/{own.draft.pk}/", {"venue": ""})
    assert_error(
        owner.post(f"{own.base}/workshops/{own.draft.pk}/publish/"),
        400,
        "venue",
        detail="Say where the workshop takes place.",
    )


def test_organizer_registration_of_a_known_email_says_so(own, owner):
    response = owner.post(
        f"{own.base}/workshops/{own.live.pk}/enrollments/", {"contact_email": "ANA@acme.test", "display_name": "Ana"}
    )
    assert_error(response, 400, "contact_email", "already_registered")


# ---- Shapes of bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"title": "T", "timezone": "UTC", "capacity_couples": 3}, "program", "required"),
        ({"program": "1", "title": "T", "timezone": "UTC", "capacity_couples": 3}, "program", "invalid"),
        ({"program": True, "title": "T", "timezone": "UTC", "capacity_couples": 3}, "program", "invalid"),
        ({"program": 2**70, "title": "T", "timezone": "UTC", "capacity_couples": 3}, "program", "max_value"),
        ({"program": 1, "title": 5, "timezone": "UTC", "capacity_couples": 3}, "title", "invalid"),
        ({"program": 1, "title": "T" * 121, "timezone": "UTC", "capacity_couples": 3}, "title", "max_length"),
        ({"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": "3"}, "capacity_couples", "invalid"),
        ({"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": 3.5}, "capacity_couples", "invalid"),
        ({"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": 10**40}, "capacity_couples", "max_value"),
        ({"program": 1, "title": "T", "timezone": None, "capacity_couples": 3}, "timezone", "null"),
        (
            {"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": 3, "format": "space"},
            "format",
            "invalid_choice",
        ),
        (
            {"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": 3, "video_link": "not a url"},
            "video_link",
            "invalid",
        ),
        (
            {
                "program": 1,
                "title": "T",
                "timezone": "UTC",
                "capacity_couples": 3,
                "registration_opens_at": "2030-01-01T10:00",
            },
            "registration_opens_at",
            "naive",
        ),
        (
            {
                "program": 1,
                "title": "T",
                "timezone": "UTC",
                "capacity_couples": 3,
                "registration_opens_at": "9999-01-01T10:00Z",
            },
            "registration_opens_at",
            "range",
        ),
        (
            {"program": 1, "title": "T\x00", "timezone": "UTC", "capacity_couples": 3},
            "title",
            "null_characters_not_allowed",
        ),
    ],
)
def test_wrong_types_missing_fields_and_huge_numbers_name_the_field(body, field, code, own, owner):
    response = owner.post(f"{own.base}/workshops/", body)
    result = assert_error(response, 400, field, code)
    assert result["detail"].startswith(f"{field}: ")
    assert field in result["errors"]


def test_a_session_time_without_offset_is_refused(own, owner):
    response = owner.post(
        sessions_url(own), {"starts_at": "2030-05-01T09:00:00", "ends_at": "2030-05-01T10:00:00+02:00"}
    )
    assert_error(
        response,
        400,
        "starts_at",
        "naive",
        "starts_at: Give the time with its UTC offset, e.g. 2026-05-01T09:00:00+02:00.",
    )


def test_nested_errors_name_the_item(own, owner):
    response = owner.post(
        f"{own.base}/programs/", {"title": "P", "items": [{"exercise": own.exercise.pk}, {"part": 1}]}
    )
    assert_error(response, 400, "items.1.exercise", "required", "items.1.exercise: This field is required.")
    facilitators = owner.put(f"{own.base}/workshops/{own.draft.pk}/facilitators/", {"facilitators": [1, "two"]})
    assert_error(facilitators, 400, "facilitators.1", "invalid")


def test_malformed_json_is_a_400(own, owner):
    response = owner.client.post(f"{own.base}/exercises/", data='{"title": ', content_type="application/json")
    assert_error(response, 400, None, "parse_error")
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_absurdly_nested_json_is_a_400(own, owner):
    response = owner.client.post(f"{own.base}/exercises/", data="[" * 100_000, content_type="application/json")
    assert_error(response, 400, None, "parse_error")


def test_json_constants_that_are_not_json_are_refused(own, owner):
    response = owner.client.post(
        f"{own.base}/workshops/",
        data='{"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": NaN}',
        content_type="application/json",
    )
    assert_error(response, 400, None, "parse_error")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("invitations/", '{"email": "\\ud800sam@example.org", "role": "organizer"}'),  # was a UnicodeEncodeError
        ("exercises/", '{"title": "T", "steps": [], "\\udc00": 1}'),
        ("workshops/", '{"program": 1, "title": "T", "timezone": "UTC", "capacity_couples": 1e400}'),
    ],
)
def test_a_lone_surrogate_or_an_overflowing_number_is_a_parse_error(own, owner, path, body):
    response = owner.client.post(f"{own.base}/{path}", data=body, content_type="application/json")
    assert_error(response, 400, None, "parse_error")


def test_a_body_that_is_not_an_object_is_a_400(own, owner):
    response = owner.post(f"{own.base}/exercises/", ["title"])
    body = assert_error(response, 400, None, "invalid")
    assert body["detail"] == "Invalid data. Expected a dictionary, but got list."


def test_a_wrong_content_type_is_a_415(own, owner):
    response = owner.client.post(
        f"{own.base}/exercises/", data="title=T", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415, None, "unsupported_media_type")


def test_a_huge_body_is_a_413(own, owner):
    payload = json.dumps({"title": "T", "summary": "x" * 3_000_000, "steps": [INSTRUCTION]})
    response = owner.client.post(f"{own.base}/exercises/", data=payload, content_type="application/json")
    assert_error(response, 413, None, "too_large")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=archived", "status"),
        ("format=", "format"),
        ("ordering=program", "ordering"),
        ("ordering=title,-created_at", "ordering"),
        ("page=0", "page"),
        ("page=x", "page"),
    ],
)
def test_bad_list_parameters_name_the_parameter(query, field, own, owner):
    response = owner.get(f"{own.base}/workshops/?{query}")
    assert_error(response, 400, field)


def test_a_page_past_the_end_is_a_404(own, owner):
    assert_error(owner.get(f"{own.base}/workshops/?page=9"), 404, None, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "workshops/99999999999999999999999/",
        "workshops/9223372036854775807/sessions/",
        "exercises/-1/",
        "programs/abc/",
        "no-such-thing/",
    ],
)
def test_unknown_or_out_of_range_ids_are_a_json_404(path, own, owner):
    response = owner.get(f"{own.base}/{path}")
    assert_error(response, 404, None, "not_found")


def test_a_method_the_endpoint_lacks_is_a_405(own, owner):
    assert_error(owner.delete(f"{own.base}/workshops/"), 405, None, "method_not_allowed")
