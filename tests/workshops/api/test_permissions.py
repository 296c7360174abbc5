"""Who gets what: every org-scoped endpoint × role × own or other organization, with exact status codes.

Anonymous callers get 401; someone not on an organization's staff gets 404 for everything of it (it is
invisible); a member whose role lacks the action gets 403; the own organization's slug with another
organization's object id is 404 too.
"""

from dataclasses import dataclass

import pytest

from tests.workshops.api.conftest import INSTRUCTION, in_days
from workshops.models.organizations import Role
from workshops.permissions import ACTIONS


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: object  # (slug, world) -> path; the world supplies object ids
    action: str
    ok: int
    body: object = None  # world -> JSON body
    addresses_object: bool = True

    def __str__(self):
        return self.name


def org(suffix=""):
    return lambda slug, w: f"/api/v1/orgs/{slug}/{suffix}"


E = Endpoint
ENDPOINTS = [
    E("org-get", "get", org(), "organization.view", 200, addresses_object=False),
    E("org-patch", "patch", org(), "organization.manage", 200, lambda w: {"name": "Renamed"}, False),
    E("memberships-list", "get", org("memberships/"), "staff.view", 200, addresses_object=False),
    E("feedback-report", "get", org("feedback/report/"), "feedback.report", 200, addresses_object=False),
    E("survey-get", "get", org("feedback/survey/"), "feedback.design", 200, addresses_object=False),
    E(
        "survey-put",
        "put",
        org("feedback/survey/"),
        "feedback.design",
        200,
        lambda w: {"title": "After the session", "prompts": [{"kind": "words", "question": "One word for today?"}]},
        False,
    ),
    E("survey-patch", "patch", org("feedback/survey/"), "feedback.design", 200, lambda w: {"prompts": []}, False),
    E(
        "membership-get",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/memberships/{w.spare_membership.pk}/",
        "staff.view",
        200,
    ),
    E(
        "membership-role",
        "put",
        lambda s, w: f"/api/v1/orgs/{s}/memberships/{w.spare_membership.pk}/",
        "staff.manage",
        200,
        lambda w: {"role": "organizer"},
    ),
    E(
        "membership-remove",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/memberships/{w.spare_membership.pk}/",
        "staff.manage",
        204,
    ),
    E("invitations-list", "get", org("invitations/"), "staff.manage", 200, addresses_object=False),
    E(
        "invitation-create",
        "post",
        org("invitations/"),
        "staff.manage",
        201,
        lambda w: {"email": "friend@example.test", "role": "facilitator"},
        False,
    ),
    E(
        "invitation-revoke",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/invitations/{w.invitation.pk}/revoke/",
        "staff.manage",
        200,
    ),
    E("exercises-list", "get", org("exercises/"), "library.view", 200, addresses_object=False),
    E(
        "exercise-create",
        "post",
        org("exercises/"),
        "library.manage",
        201,
        lambda w: {"title": "New", "steps": [INSTRUCTION]},
        False,
    ),
    E("exercise-get", "get", lambda s, w: f"/api/v1/orgs/{s}/exercises/{w.exercise.pk}/", "library.view", 200),
    E(
        "exercise-patch",
        "patch",
        lambda s, w: f"/api/v1/orgs/{s}/exercises/{w.exercise.pk}/",
        "library.manage",
        200,
        lambda w: {"title": "Arrival"},
    ),
    E(
        "exercise-delete",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/exercises/{w.spare_exercise.pk}/",
        "library.manage",
        204,
    ),
    E(
        "exercise-copy",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/exercises/{w.exercise.pk}/copy/",
        "library.manage",
        201,
    ),
    E("programs-list", "get", org("programs/"), "library.view", 200, addresses_object=False),
    E(
        "program-create",
        "post",
        org("programs/"),
        "library.manage",
        201,
        lambda w: {"title": "New", "items": [{"exercise": w.exercise.pk}]},
        False,
    ),
    E("program-get", "get", lambda s, w: f"/api/v1/orgs/{s}/programs/{w.program.pk}/", "library.view", 200),
    E(
        "program-patch",
        "patch",
        lambda s, w: f"/api/v1/orgs/{s}/programs/{w.program.pk}/",
        "library.manage",
        200,
        lambda w: {"title": "Late evening"},
    ),
    E(
        "program-delete",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/programs/{w.spare_program.pk}/",
        "library.manage",
        204,
    ),
    E(
        "program-copy",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/programs/{w.program.pk}/copy/",
        "library.manage",
        201,
    ),
    E("workshops-list", "get", org("workshops/"), "schedule.view", 200, addresses_object=False),
    E(
        "workshop-create",
        "post",
        org("workshops/"),
        "schedule.manage",
        201,
        lambda w: {"program": w.program.pk, "title": "New", "timezone": "Europe/Berlin", "capacity_couples": 4},
        False,
    ),
    E("workshop-get", "get", lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/", "schedule.view", 200),
    E(
        "workshop-patch",
        "patch",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/",
        "schedule.manage",
        200,
        lambda w: {"title": "Renamed"},
    ),
    E(
        "workshop-delete",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/",
        "schedule.manage",
        204,
    ),
    E(
        "workshop-publish",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/publish/",
        "schedule.manage",
        200,
    ),
    E(
        "workshop-cancel",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/cancel/",
        "schedule.manage",
        200,
    ),
    E(
        "workshop-facilitators",
        "put",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/facilitators/",
        "schedule.manage",
        200,
        lambda w: {"facilitators": [w.users["facilitator"].pk]},
    ),
    E(
        "workshop-calendar-rotate",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/calendar/rotate/",
        "schedule.manage",
        200,
    ),
    E(
        "sessions-list",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/sessions/",
        "schedule.view",
        200,
    ),
    E(
        "session-create",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/sessions/",
        "schedule.manage",
        201,
        lambda w: {"starts_at": in_days(31, 9).isoformat(), "ends_at": in_days(31, 12).isoformat()},
    ),
    E(
        "session-get",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/sessions/{w.draft_session.pk}/",
        "schedule.view",
        200,
    ),
    E(
        "session-patch",
        "patch",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/sessions/{w.draft_session.pk}/",
        "schedule.manage",
        200,
        lambda w: {"title": "Day one"},
    ),
    E(
        "session-delete",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/sessions/{w.draft_session.pk}/",
        "schedule.manage",
        204,
    ),
    E(
        "questions-list",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/",
        "schedule.view",
        200,
    ),
    E(
        "question-create",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/",
        "schedule.manage",
        201,
        lambda w: {"label": "Any dietary needs?"},
    ),
    E(
        "question-get",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/{w.draft_question.pk}/",
        "schedule.view",
        200,
    ),
    E(
        "question-put",
        "put",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/{w.draft_question.pk}/",
        "schedule.manage",
        200,
        lambda w: {"label": "Any dietary needs?", "kind": "short_text"},
    ),
    E(
        "question-patch",
        "patch",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/{w.draft_question.pk}/",
        "schedule.manage",
        200,
        lambda w: {"required": True},
    ),
    E(
        "question-delete",
        "delete",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/{w.draft_question.pk}/",
        "schedule.manage",
        204,
    ),
    E(
        "question-move",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.draft.pk}/questions/{w.draft_question.pk}/move/",
        "schedule.manage",
        200,
        lambda w: {"direction": "up"},
    ),
    E(
        "enrollments-list",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/enrollments/",
        "enrollment.view",
        200,
    ),
    E(
        "enrollment-create",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/enrollments/",
        "enrollment.manage",
        201,
        lambda w: {"contact_email": "bo@example.test", "display_name": "Bo"},
    ),
    E(
        "enrollment-get",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/enrollments/{w.enrollment.pk}/",
        "enrollment.view",
        200,
    ),
    E(
        "enrollment-cancel",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/enrollments/{w.enrollment.pk}/cancel/",
        "enrollment.manage",
        200,
    ),
    E(
        "enrollment-resend",
        "post",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/enrollments/{w.enrollment.pk}/resend-invitation/",
        "enrollment.manage",
        200,
    ),
    E(
        "waitlist",
        "get",
        lambda s, w: f"/api/v1/orgs/{s}/workshops/{w.live.pk}/waitlist/",
        "enrollment.view",
        200,
    ),
]
ROLES = ["owner", "organizer", "facilitator", "non_member", "anonymous"]


def call(client, endpoint, slug, world):
    path = endpoint.path(slug, world)
    body = endpoint.body(world) if endpoint.body else None
    if endpoint.method in ("get", "delete"):
        return getattr(client, endpoint.method)(path)
    return getattr(client, endpoint.method)(path, body if body is not None else {})


def expected_status(endpoint, role, whose):
    if role == "anonymous":
        return 401
    if role == "non_member" or whose == "other":
        return 404
    return endpoint.ok if role in ACTIONS[endpoint.action] else 403


def caller(role, own, outsider):
    if role == "anonymous":
        return None
    if role == "non_member":
        return outsider
    return own.users[role]


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_permission_matrix(endpoint, role, whose, own, outsider, api_as, request):
    target = own if whose == "own" else request.getfixturevalue("other")
    response = call(api_as(caller(role, own, outsider)), endpoint, target.slug, target)
    assert response.status_code == expected_status(endpoint, role, whose), response.content


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.addresses_object], ids=str)
def test_other_organizations_object_under_own_slug_is_not_found(endpoint, own, other, api_as):
    response = call(api_as(own.users["owner"]), endpoint, own.slug, other)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_matrix_covers_every_org_scoped_operation_of_the_schema(anonymous):
    schema = anonymous.get("/api/v1/schema/?format=json").json()
    org_operations = {
        (method, path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/orgs/{slug}/")
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert len(org_operations) == len(ENDPOINTS)


def test_forbidden_and_not_found_answers_have_the_error_shape(own, other, api_as):
    facilitator = api_as(own.users["facilitator"])
    forbidden = facilitator.get(f"{own.base}/workshops/{own.live.pk}/enrollments/")
    assert forbidden.json() == {
        "detail": "Your role in this organization does not allow enrollment view.",
        "field": None,
        "code": "not_allowed",
    }
    hidden = facilitator.get(f"{other.base}/workshops/")
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "No such organization.", "field": None, "code": "not_found"}


def test_anonymous_is_asked_for_a_token(anonymous, own):
    response = anonymous.get(f"{own.base}/workshops/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("method", "path", "ok"),
    [
        ("get", "/api/v1/orgs/", 200),
        ("post", "/api/v1/orgs/", 201),
        ("get", "/api/v1/me/calendar/", 200),
        ("post", "/api/v1/me/calendar/rotate/", 200),
        ("delete", "/api/v1/auth/token/", 204),
    ],
)
@pytest.mark.parametrize("role", ["signed_in", "anonymous"])
def test_account_endpoints_need_a_signed_in_user(method, path, ok, role, outsider, api_as):
    client = api_as(outsider if role == "signed_in" else None)
    body = {"name": "Mine"} if path == "/api/v1/orgs/" else None  # the others take no body
    response = client.post(path, body) if method == "post" else getattr(client, method)(path)
    assert response.status_code == (ok if role == "signed_in" else 401)


def test_organization_list_shows_only_mine(own, other, api_as):
    response = api_as(own.users["facilitator"]).get("/api/v1/orgs/")
    assert response.status_code == 200
    assert [(o["slug"], o["my_role"]) for o in response.json()["results"]] == [(own.slug, Role.FACILITATOR)]


def test_an_organizer_cannot_make_or_invite_an_owner(own, api_as):
    organizer = api_as(own.users["organizer"])
    invited = organizer.post(f"{own.base}/invitations/", {"email": "boss@example.test", "role": "owner"})
    assert invited.status_code == 400
    assert invited.json() == {"detail": "Only an owner can invite an owner.", "field": "role", "code": "owner_only"}
    promoted = organizer.put(f"{own.base}/memberships/{own.spare_membership.pk}/", {"role": "owner"})
    assert promoted.status_code == 400
    assert promoted.json()["code"] == "owner_only"
    owner = api_as(own.users["owner"])
    assert owner.post(f"{own.base}/invitations/", {"email": "boss@example.test", "role": "owner"}).status_code == 201


@pytest.mark.parametrize(
    ("role", "method", "suffix", "status"),
    [
        ("facilitator", "get", "exercises/", 200),
        ("facilitator", "get", "workshops/", 200),
        ("facilitator", "get", "workshops/{live}/sessions/", 200),
        ("facilitator", "get", "workshops/{live}/enrollments/", 403),
        ("facilitator", "get", "workshops/{live}/waitlist/", 403),
        ("facilitator", "post", "workshops/{live}/cancel/", 403),
        ("organizer", "get", "workshops/{live}/waitlist/", 200),
        ("facilitator", "get", "feedback/survey/", 403),
        ("facilitator", "patch", "feedback/survey/", 403),
        ("organizer", "get", "feedback/survey/", 200),
        ("organizer", "patch", "feedback/survey/", 200),
        ("organizer", "post", "invitations/", 400),
        ("organizer", "patch", "", 403),
        ("owner", "patch", "", 200),
    ],
)
def test_roles_spot_checks_independent_of_the_actions_table(role, method, suffix, status, own, api_as):
    client = api_as(own.users[role])
    path = f"{own.base}/{suffix.format(live=own.live.pk)}"
    response = client.get(path) if method == "get" else getattr(client, method)(path, {})
    assert response.status_code == status
