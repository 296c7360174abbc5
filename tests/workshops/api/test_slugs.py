"""Organization slugs: chosen or made from the name in the name's own script, checked with a clear message, and
routed by the API and the organizer pages alike."""

import unicodedata
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from workshops.models import Organization

pytestmark = pytest.mark.django_db

UNICODE_NAME = "Ünïcødé Пары 夫婦"


@pytest.fixture
def me(outsider, api_as):
    return api_as(outsider)


def create(api, **fields):
    response = api.post("/api/v1/orgs/", {"timezone": "Europe/Berlin", **fields})
    return response


def error(detail, code):
    return {"detail": detail, "field": "slug", "code": code}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        (UNICODE_NAME, "ünïcødé-пары-夫婦"),
        ("नमस्ते दुनिया", "नमस्ते-दुनिया"),  # the vowel signs are marks: kept
        ("  Kindred   Rooms!  ", "kindred-rooms"),
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full-width"),
        ("¡¡¡", "org"),
    ],
)
def test_a_slug_is_made_from_the_name_in_its_own_script(name, slug, me):
    response = create(me, name=name)
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == slug
    assert me.get(f"/api/v1/orgs/{quote(slug)}/").json()["name"] == name.strip()


def test_the_api_and_the_organizer_pages_route_a_unicode_slug(me, outsider):
    slug = create(me, name=UNICODE_NAME).json()["slug"]
    assert reverse("api:organization", args=[slug]) == f"/api/v1/orgs/{quote(slug)}/"
    assert me.get(reverse("api:workshops", args=[slug])).status_code == 200
    browser = Client()
    browser.force_login(outsider)
    page = browser.get(reverse("org_dashboard", args=[slug]))
    assert page.status_code == 200
    assert UNICODE_NAME in page.content.decode()
    assert browser.get(f"/o/{quote(slug)}/settings/").status_code == 200


def test_an_address_typed_decomposed_finds_the_same_organization(me):
    slug = create(me, name=UNICODE_NAME).json()["slug"]
    decomposed = unicodedata.normalize("NFD", slug)
    assert decomposed != slug
    assert me.get(f"/api/v1/orgs/{quote(decomposed)}/").json()["slug"] == slug


def test_a_slug_can_be_chosen(me):
    response = create(me, name="Kindred Rooms", slug="kindred")
    assert response.status_code == 201
    assert response.json()["slug"] == "kindred"
    assert me.get("/api/v1/orgs/kindred/").status_code == 200


def test_a_slug_in_any_script_can_be_chosen(me):
    response = create(me, name="Couples", slug="пары-2026")
    assert response.status_code == 201
    assert response.json()["slug"] == "пары-2026"


@pytest.mark.parametrize(
    ("slug", "suggestion"),
    [
        ("Kindred Rooms", '"kindred-rooms", for instance'),
        ("kindred_rooms", '"kindred-rooms", for instance'),
        ("-kindred", '"kindred", for instance'),
        ("kindred--rooms", '"kindred-rooms", for instance'),
        ("Пары", '"пары", for instance'),
        ("!!!", "kindred-rooms"),
    ],
)
def test_a_malformed_slug_is_refused_with_a_suggestion(slug, suggestion, me):
    response = create(me, name="Kindred Rooms", slug=slug)
    assert response.status_code == 400
    assert response.json() == error(
        "A slug is lowercase letters (of any script) and digits, words joined by single hyphens, at most 50 "
        f"characters: try {suggestion}.",
        "invalid_slug",
    )
    assert not Organization.objects.filter(name="Kindred Rooms").exists()


def test_a_slug_names_no_page_of_attune(me):
    response = create(me, name="New", slug="new")
    assert response.json() == error('"new" names a page of Attune; choose another slug.', "invalid_slug")
    assert create(me, name="New").json()["slug"] == "new-org"


def test_a_slug_that_is_taken_is_refused_with_a_free_one(own, me):
    response = create(me, name="Acme again", slug=own.slug)
    assert response.status_code == 400
    assert response.json() == error(
        f'Another organization has the slug "{own.slug}"; try "{own.slug}-2".', "slug_taken"
    )


def test_a_long_slug_is_refused(me):
    response = create(me, name="Long", slug="a" * 51)
    assert response.status_code == 400
    assert response.json()["detail"] == "slug: Ensure this field has no more than 50 characters."


def test_the_owner_can_change_the_slug_and_the_old_address_goes(own, api_as):
    owner = api_as(own.users["owner"])
    old = own.base
    response = owner.patch(f"{old}/", {"slug": "acme-rooms"})
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "acme-rooms"
    assert owner.get(f"{old}/").status_code == 404
    assert owner.get("/api/v1/orgs/acme-rooms/workshops/").json()["count"] == 2
    assert owner.patch("/api/v1/orgs/acme-rooms/", {"slug": "acme-rooms"}).status_code == 200  # unchanged: fine


def test_a_slug_change_is_checked_like_a_new_one(own, other, api_as):
    owner = api_as(own.users["owner"])
    taken = owner.patch(f"{own.base}/", {"slug": other.slug})
    assert taken.json()["code"] == "slug_taken"
    malformed = owner.patch(f"{own.base}/", {"slug": "Acme Rooms"})
    assert malformed.json()["code"] == "invalid_slug"
    assert Organization.objects.get(pk=own.organization.pk).slug == own.slug
    organizer = api_as(own.users["organizer"])
    assert organizer.patch(f"{own.base}/", {"slug": "mine"}).status_code == 403
