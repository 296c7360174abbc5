"""A field a request does not take is refused with a 400 that names it, on every write of the API, nested objects
too; an endpoint that takes no body refuses one. Nothing is changed by a refused request."""

import pytest
from django.test import Client
from django.urls import resolve

from tests.workshops.api.conftest import seeded_path_parameters
from workshops.models import Exercise, Organization, Workshop

pytestmark = pytest.mark.django_db

SCHEMA = Client(HTTP_HOST="localhost").get("/api/v1/schema/?format=json").json()
WRITES = [
    (method, path, "requestBody" in operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in ("post", "put", "patch", "delete")
]


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


def concrete(path, world):
    return path.format(**seeded_path_parameters(path, world))


@pytest.mark.parametrize(("method", "path", "has_body"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_every_write_refuses_an_unknown_field_by_name(method, path, has_body, own, owner):
    response = owner.request(method, concrete(path, own), {"zz_unknown": 1})
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["field"], body["code"]) == ("zz_unknown", "unknown_field")
    if has_body:
        assert body["detail"].startswith("zz_unknown: Unknown field. The field")
    else:
        assert body["detail"] == "zz_unknown: Unknown field. This request takes no body."


@pytest.mark.parametrize(("method", "path", "has_body"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_the_views_read_a_body_exactly_where_the_schema_says(method, path, has_body, own):
    view = resolve(concrete(path, own)).func.view_class
    assert (method in view.reads_body) is has_body


def test_every_unknown_field_is_named_and_the_known_ones_listed(owner, outsider, api_as):
    response = api_as(outsider).post("/api/v1/orgs/", {"name": "Kindred", "colour": "red", "size": 2})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "colour: Unknown field, as is size. "
        "The fields here are name, slug, timezone, anonymity_k and retention_days.",
        "field": "colour",
        "code": "unknown_field",
        "errors": {
            "colour": [
                "Unknown field, as is size. The fields here are name, slug, timezone, anonymity_k and retention_days."
            ],
            "size": [
                "Unknown field, as is colour. The fields here are name, slug, timezone, anonymity_k and retention_days."
            ],
        },
    }
    assert not Organization.objects.filter(name="Kindred").exists()


def test_an_unknown_field_is_named_along_with_the_other_errors(own, owner):
    response = owner.patch(f"{own.base}/workshops/{own.draft.pk}/", {"capacity": 8, "capacity_couples": 0})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["capacity", "capacity_couples"]
    assert errors["capacity_couples"] == ["Ensure this value is greater than or equal to 1."]
    assert Workshop.objects.get(pk=own.draft.pk).capacity_couples == 5


def test_an_unknown_field_in_a_step_is_named_with_its_path(own, owner):
    steps = [{"kind": "instruction", "title": "Hello", "duration_minutes": 5, "colour": "teal"}]
    response = owner.post(f"{own.base}/exercises/", {"title": "Greeting", "steps": steps})
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == ("steps.0.colour", "unknown_field")
    assert body["detail"] == (
        "steps.0.colour: Unknown field. The fields here are kind, title, duration_minutes, participant_text, "
        "facilitator_notes, content_note and config."
    )
    assert not Exercise.objects.filter(title="Greeting").exists()


def test_an_unknown_field_in_a_step_config_is_named_with_its_path(own, owner):
    steps = [{"kind": "reflection", "title": "Alone", "duration_minutes": 5, "config": {"prompts": ["Why?"], "x": 1}}]
    response = owner.post(f"{own.base}/exercises/", {"title": "Alone", "steps": steps})
    assert response.status_code == 400
    assert response.json()["field"] == "steps.0.config.x"


def test_a_body_sent_where_none_is_taken_changes_nothing(own, owner):
    response = owner.post(f"{own.base}/workshops/{own.draft.pk}/publish/", {"notify": True})
    assert response.json()["detail"] == "notify: Unknown field. This request takes no body."
    assert Workshop.objects.get(pk=own.draft.pk).status == "draft"
    assert owner.post(f"{own.base}/workshops/{own.draft.pk}/publish/", []).json() == {
        "detail": "This request takes no body.",
        "field": None,
        "code": "unknown_field",
        "errors": ["This request takes no body."],
    }
    assert owner.post(f"{own.base}/workshops/{own.draft.pk}/publish/", {}).status_code == 200


def test_no_body_and_an_empty_object_are_both_fine_where_none_is_taken(own, owner):
    assert owner.post(f"{own.base}/workshops/{own.draft.pk}/calendar/rotate/").status_code == 200
    assert owner.post(f"{own.base}/workshops/{own.draft.pk}/calendar/rotate/", {}).status_code == 200
    assert owner.delete(f"{own.base}/workshops/{own.draft.pk}/").status_code == 204
