"""Attune's own error pages, in the reader's language (issue 17): a page that does not exist, a form whose CSRF
check failed (a cookie blocked, a page left open too long), a request that could not be read, and the server's own
failure. Django's built-in pages would answer in English, or in German with the formal "Sie". The API's CSRF
refusal is in the caller's language too."""

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from .helpers import page_text

pytestmark = pytest.mark.django_db


def reader(language, **options):
    return Client(headers={"accept-language": language}, **options)


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def formal(text):
    """Forms of address Attune's German never uses ("Sie", "Ihr"/"Ihre" as a capitalised possessive mid-sentence)."""
    return re.findall(r"(?<![.:!?] )(?<!^)\b(Sie|Ihnen|Ihre?[nmrs]?)\b", text)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "This page doesn't exist"), ("de", "Diese Seite gibt es nicht")]
)
def test_a_page_that_does_not_exist_says_so_in_the_readers_language(language, heading):
    response = reader(language).get("/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == language
    text = page_text(response)
    assert text.startswith(heading)
    assert formal(text) == []


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This form couldn't be sent"), ("de", "Dieses Formular konnte nicht gesendet werden")],
)
def test_a_form_sent_without_its_csrf_cookie_is_refused_with_what_to_do(language, heading):
    browser = reader(language, enforce_csrf_checks=True)  # as a browser that blocks cookies
    response = browser.post("/accounts/login/", {"username": "ana@example.org", "password": "x"})
    assert response.status_code == 403
    assert html_lang(response) == language
    text = page_text(response)
    assert text.startswith(heading)
    assert "CSRF" not in text
    assert formal(text) == []


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This request couldn't be read"), ("de", "Diese Anfrage ließ sich nicht lesen")],
)
def test_a_request_that_cannot_be_read_answers_400_in_the_readers_language(language, heading, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = reader(language).post("/accounts/login/", {f"field{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert html_lang(response) == language
    assert page_text(response).startswith(heading)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("de", "Bei uns ist etwas schiefgegangen")],
)
def test_the_servers_own_failure_page_needs_no_request_and_speaks_the_language(language, heading):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert html_lang(response) == language
    assert heading in response.content.decode()


def test_the_apis_csrf_refusal_is_in_the_callers_language(team):
    browser = reader("de", enforce_csrf_checks=True)
    browser.force_login(team.owner)
    response = browser.post("/api/v1/orgs/", {"name": "Zweite"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert response.json()["detail"].startswith("Dieser Anfrage fehlt das CSRF-Token")
