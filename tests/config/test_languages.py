"""Each person reads Attune in their own language (config/i18n.py): the browser's Accept-Language first, then
a choice kept in the language cookie (each device its own), and for signed-in staff a choice kept on the account.
The live apps get the catalog of the reader's language only."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from config.i18n import live_catalog
from tests import factories
from workshops.models import AccountLanguage

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _lang(response):
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def _live_i18n(response):
    found = re.search(r'<script id="live-i18n" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


def test_the_browser_language_decides_without_a_choice():
    german = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5").get("/accounts/login/")
    assert _lang(german) == "de"
    assert german["Content-Language"] == "de"
    assert "Zum Inhalt springen" in german.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get("/accounts/login/")
    assert _lang(english) == "en"
    assert "Skip to content" in english.content.decode()


def test_a_choice_on_one_device_is_kept_there_and_nowhere_else():
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    chosen = phone.post("/i18n/setlang/", {"language": "de", "next": "/live/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/live/"
    assert _lang(phone.get("/accounts/login/")) == "de"
    assert _lang(Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/")) == "en"


def test_a_language_attune_does_not_speak_changes_nothing():
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    answer = phone.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert answer.status_code == 302
    assert _lang(phone.get("/accounts/login/")) == "en"
    assert phone.get("/i18n/setlang/").status_code == 405


def test_the_live_apps_get_the_catalog_of_the_readers_language_only():
    german = _live_i18n(Client(HTTP_ACCEPT_LANGUAGE="de").get("/live/"))
    assert german["language"] == "de"
    assert german["catalog"]["Join a live session"] == "An einer Live-Session teilnehmen"
    assert ["de", "Deutsch"] in german["languages"]
    english = _live_i18n(Client(HTTP_ACCEPT_LANGUAGE="en").get("/live/"))
    assert english["language"] == "en" and english["catalog"] == {}


def test_a_staff_members_choice_follows_them_to_another_browser():
    user = factories.user(password=PASSWORD)
    laptop = Client(HTTP_ACCEPT_LANGUAGE="en")
    laptop.force_login(user)
    laptop.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert AccountLanguage.objects.get(user=user).language == "de"

    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    phone.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    page = phone.get("/accounts/password_change/")
    assert _lang(page) == "de" and "Abmelden" in page.content.decode()
    # Switching back on the phone is kept on the account as well.
    phone.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert AccountLanguage.objects.get(user=user).language == "en"
    assert _lang(phone.get("/accounts/password_change/")) == "en"


def test_each_live_app_gets_only_its_own_texts():
    """A phone does not carry the console's words: the build lists each app's texts (frontend/build.mjs)."""
    built = Path(settings.BASE_DIR) / "frontend" / "dist" / "live"
    phone_texts = set(json.loads((built / "participant.texts.json").read_text()))
    console_texts = set(json.loads((built / "facilitator.texts.json").read_text()))
    german = _live_i18n(Client(HTTP_ACCEPT_LANGUAGE="de").get("/live/"))["catalog"]
    assert german and set(german) <= phone_texts
    everything = live_catalog("de")
    assert set(everything) - phone_texts, "the catalog has texts of other apps, which the phone must not get"
    assert not (set(german) & (console_texts - phone_texts))
