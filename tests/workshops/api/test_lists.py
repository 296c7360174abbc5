"""Lists: the client chooses the page size within a maximum; workshops filter and sort by their dates. Both as
the schema documents them."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from tests.workshops.api.conftest import INSTRUCTION, in_days
from workshops.services import library as library_services
from workshops.services import scheduling as scheduling_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


@pytest.fixture
def schema(db):
    return Client(HTTP_HOST="localhost").get("/api/v1/schema/?format=json").json()


def at(moment):
    """A moment as a query parameter value (its "+" percent-encoded)."""
    return quote(moment.isoformat())


def titles(response):
    assert response.status_code == 200, response.content
    return [workshop["title"] for workshop in response.json()["results"]]


# ---- Page size ----------------------------------------------------------------------------------------------


def test_the_client_chooses_the_page_size(own, owner):
    first = owner.get(f"{own.base}/memberships/?page_size=1&ordering=created_at").json()
    assert first["count"] == 4
    assert [m["email"] for m in first["results"]] == ["owner@acme.test"]
    assert first["next"].endswith("/memberships/?ordering=created_at&page=2&page_size=1")
    last = owner.get(f"{own.base}/memberships/?page_size=3&page=2&ordering=created_at").json()
    assert [m["email"] for m in last["results"]] == ["spare@acme.test"]
    assert last["next"] is None
    assert len(owner.get(f"{own.base}/exercises/?page_size=200").json()["results"]) <= 200


def test_without_a_page_size_a_page_holds_fifty(own, owner):
    for n in range(51):
        library_services.exercise_create(organization=own.organization, title=f"Exercise {n}", steps=[INSTRUCTION])
    everything = owner.get(f"{own.base}/exercises/?builtin=false").json()
    assert everything["count"] == 53
    assert len(everything["results"]) == 50
    assert len(owner.get(everything["next"]).json()["results"]) == 3


@pytest.mark.parametrize("size", ["0", "201", "-1", "ten", "1.5", "", "9" * 40])
def test_a_page_size_out_of_range_is_refused_by_name(size, own, owner):
    response = owner.get(f"{own.base}/exercises/?page_size={size}")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "page_size: A page size is a whole number from 1 to 200.",
        "field": "page_size",
        "code": "invalid",
        "errors": {"page_size": ["A page size is a whole number from 1 to 200."]},
    }


def test_every_list_documents_its_page_size(schema):
    lists = [
        operation
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method == "get" and any(p["name"] == "page" for p in operation.get("parameters", []))
    ]
    assert len(lists) == 9
    for operation in lists:
        [size] = [p for p in operation["parameters"] if p["name"] == "page_size"]
        assert size["in"] == "query"
        assert size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
        assert size["description"] == "How many results a page holds: from 1 to 200; 50 without it."


# ---- Workshops by date --------------------------------------------------------------------------------------------


@pytest.fixture
def undated(own):
    """A workshop without sessions: it has no dates."""
    return scheduling_services.workshop_create(
        organization=own.organization,
        program=own.program,
        title="Undated",
        timezone_name="Europe/Berlin",
        capacity_couples=4,
    )


def test_workshops_show_their_first_start_and_last_end(own, owner, undated):
    second = scheduling_services.session_create(workshop=own.draft, starts_at=in_days(31, 9), ends_at=in_days(31, 12))
    listed = {w["title"]: w for w in owner.get(f"{own.base}/workshops/").json()["results"]}
    zulu = lambda moment: moment.isoformat().replace("+00:00", "Z")  # noqa: E731
    assert (listed["Draft evening"]["starts_at"], listed["Draft evening"]["ends_at"]) == (
        zulu(own.draft_session.starts_at),
        zulu(second.ends_at),
    )
    assert (listed["Undated"]["starts_at"], listed["Undated"]["ends_at"]) == (None, None)
    detail = owner.get(f"{own.base}/workshops/{own.live.pk}/").json()
    assert detail["starts_at"] == zulu(own.live_session.starts_at)


def test_workshops_filter_by_date(own, owner, undated):
    between = in_days(35)
    url = f"{own.base}/workshops/"
    assert titles(owner.get(f"{url}?starts_after={at(between)}")) == ["Live evening"]
    assert titles(owner.get(f"{url}?starts_before={at(between)}")) == ["Draft evening"]
    assert titles(owner.get(f"{url}?ends_before={at(between)}")) == ["Draft evening"]
    upcoming = owner.get(f"{url}?ends_after={at(timezone.now())}&ordering=starts_at")
    assert titles(upcoming) == ["Draft evening", "Live evening"]
    window = f"?starts_after={at(in_days(29))}&starts_before={at(in_days(31))}&status=draft"
    assert titles(owner.get(url + window)) == ["Draft evening"]
    assert titles(owner.get(f"{url}?starts_after={at(in_days(60))}")) == []


def test_workshops_sort_by_date_those_without_last(own, owner, undated):
    url = f"{own.base}/workshops/"
    assert titles(owner.get(f"{url}?ordering=starts_at")) == ["Draft evening", "Live evening", "Undated"]
    assert titles(owner.get(f"{url}?ordering=-starts_at")) == ["Live evening", "Draft evening", "Undated"]
    assert titles(owner.get(f"{url}?ordering=-ends_at")) == ["Live evening", "Draft evening", "Undated"]
    assert titles(owner.get(url)) == ["Undated", "Live evening", "Draft evening"]  # newest first


def test_an_offset_whose_plus_arrived_as_a_space_is_read_as_a_plus(own, owner):
    moment = (in_days(35)).astimezone(timezone.get_fixed_timezone(120)).isoformat()
    assert titles(owner.get(f"{own.base}/workshops/?starts_after={moment}")) == ["Live evening"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2030-05-01T09:00:00", "Give the time with its UTC offset, e.g. 2026-05-01T09:00:00+02:00."),
        ("2030-05-01", "Give the time with its UTC offset, e.g. 2026-05-01T09:00:00+02:00."),
        ("tomorrow", "Give a date and time such as 2026-05-01T09:00:00+02:00."),
        ("2030-05-01T09:00:00+99:00", "Give a date and time such as 2026-05-01T09:00:00+02:00."),
        ("1850-05-01T09:00:00Z", "Choose a date between 2000 and 2100."),
        ("9999-12-31T23:59:59-23:59", "Choose a date between 2000 and 2100."),
        ("", "Give a date and time, or leave the parameter out."),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_by_name(value, message, own, owner):
    response = owner.get(f"{own.base}/workshops/?ends_after={quote(value)}")
    assert response.status_code == 400
    assert response.json()["detail"] == f"ends_after: {message}"
    assert response.json()["field"] == "ends_after"


def test_the_schema_documents_the_date_filters_and_ordering(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/orgs/{slug}/workshops/"]["get"]["parameters"]}
    for name in ("starts_after", "starts_before", "ends_after", "ends_before"):
        assert parameters[name]["in"] == "query"
        assert parameters[name]["schema"]["type"] == "string"
        assert parameters[name]["schema"]["format"] == "date-time"
        assert "UTC offset" in parameters[name]["description"]
    assert "first session starts at or after" in parameters["starts_after"]["description"]
    assert parameters["ordering"]["schema"]["enum"] == [
        "created_at",
        "-created_at",
        "title",
        "-title",
        "starts_at",
        "-starts_at",
        "ends_at",
        "-ends_at",
    ]
    workshop = schema["components"]["schemas"]["WorkshopOutput"]["properties"]
    assert (workshop["starts_at"]["format"], workshop["starts_at"]["nullable"]) == ("date-time", True)


def test_a_session_added_moves_the_workshop_in_date_order(own, owner):
    early = timezone.now() + timedelta(days=2)
    scheduling_services.session_create(workshop=own.live, starts_at=early, ends_at=early + timedelta(hours=1))
    url = f"{own.base}/workshops/?ordering=starts_at"
    assert titles(owner.get(url)) == ["Live evening", "Draft evening"]
