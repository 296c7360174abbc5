"""The server-rendered pages in German (issue 17): a staff member who chose German on their account (or in the
language cookie) and a couple whose browser asks for German read every page in it: words, validation errors, plural
forms, dates in German formats, and `<html lang="de">`. English stays the default (the other page tests)."""

import gettext
import re
import zoneinfo
from datetime import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from config import formats as attune_formats
from workshops.models import Enrollment, Exercise
from workshops.models.accounts import AccountLanguage
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .conftest import PASSWORD
from .form_reader import form_values
from .helpers import field_value, link_path, mails_to, page_text, text_of

pytestmark = pytest.mark.django_db

GERMAN_MO = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.mo"


def german_staff(team, role):
    """A browser asking for English, signed in as ``role``, who chose German on their account: the account wins."""
    user = getattr(team, role)
    AccountLanguage.objects.create(user=user, language="de")
    client = Client(headers={"accept-language": "en"})
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def german_cookie(team, role):
    """A client signed in as ``role`` whose browser chose German in the language menu (the cookie)."""
    client = team.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def german_browser():
    """A couple's browser that asks for German first (no cookie, no account)."""
    return Client(headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})


def english_left(text):
    """The English texts of our catalog (several words, translated to something else) found in a German page's
    text: each is a text a template or form shows without marking it, or marks without a German translation."""
    with GERMAN_MO.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    found = []
    for msgid, msgstr in catalog.items():
        english = msgid[0] if isinstance(msgid, tuple) else msgid  # a plural's forms are keyed (msgid, n)
        if "\x04" in english:  # msgctxt\x04msgid
            english = english.split("\x04", 1)[1]
        if not english or " " not in english or "%(" in english or "<" in english or english == msgstr:
            continue
        if re.search(rf"(?<![\w]){re.escape(english)}(?![\w])", text):
            found.append(english)
    return sorted(set(found))


@pytest.fixture
def published(workshop):
    scheduling_services.workshop_publish(workshop=workshop)  # capacity 2, Fri 10 May 2030, 18:00-21:00 in Berlin
    return workshop


def test_every_language_sets_every_date_format_attune_writes_by():
    for code, _ in settings.LANGUAGES:
        module = import_module(f"config.formats.{code}.formats")
        assert {name: bool(getattr(module, name, "")) for name in attune_formats.NAMES} == dict.fromkeys(
            attune_formats.NAMES, True
        ), code


def test_a_german_organizer_reads_the_dashboard_in_german_with_german_dates(team, published):
    response = german_staff(team, "owner").get(team.url())
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<title>Übersicht · Open Hearts · Attune</title>" in html
    assert '<option value="de" lang="de" selected>Deutsch</option>' in html
    assert '<option value="en" lang="en">English</option>' in html  # each language by its own name
    assert "Du hast hier die Leitung · Zeitzone Europe/Berlin" in page_text(response)
    assert text_of(response, "upcoming-sessions") == (
        "Nächste Sessions Spring evening Fr, 10.05.2030, 18:00–21:00 (Europe/Berlin) Diese Session leiten (1)"
    )
    workshops = text_of(response, "upcoming-workshops")
    assert "Fr, 10.05.2030, 18:00–21:00 (Europe/Berlin) · 1 Session Details Anmeldungen" in workshops
    assert english_left(page_text(response)) == []


def test_the_language_cookie_is_enough_and_plural_forms_follow_the_count(team, published):
    client = german_cookie(team, "organizer")
    scheduling_services.session_create(
        workshop=published, starts_at=datetime(2030, 5, 11, 10, 0), ends_at=datetime(2030, 5, 11, 13, 0)
    )
    workshops = client.get(team.url("workshops/"))
    assert '<html lang="de">' in workshops.content.decode()
    assert "· 2 Sessions" in text_of(workshops, f"workshop-{published.pk}")
    assert "· 2 Paare ·" in text_of(workshops, f"workshop-{published.pk}")
    assert "Du planst hier mit" in page_text(client.get(team.url()))


def test_the_workshop_form_and_its_validation_errors_are_german(team, program):
    client = german_staff(team, "organizer")
    response = client.get(team.url("workshops/new/"))
    assert "Workshops Neuer Workshop Ein neuer Workshop beginnt als Entwurf" in page_text(response)
    assert '<label for="id_capacity_couples">Plätze (Paare)</label>' in response.content.decode()
    assert (
        text_of(response, "id_registration_opens_at_helptext")
        == "Ortszeit. Leer: sobald der Workshop veröffentlicht ist."
    )
    assert text_of(response, "id_program").startswith("Programm wählen Evening workshop")
    assert '<optgroup label="Deine Programme">' in response.content.decode()
    assert english_left(page_text(response)) == []

    data = form_values(response, "title") | {"title": "", "capacity_couples": "viele", "timezone": "Mars/Olympus"}
    response = client.post(team.url("workshops/new/"), data)
    assert response.status_code == 400
    assert text_of(response, "id_title_error") == "Dieses Feld ist zwingend erforderlich."  # Django's own German
    # Django's own message, in our catalog's words (the step editor says the same): ours come first.
    assert text_of(response, "id_capacity_couples_error") == "Gib eine ganze Zahl ein."
    assert text_of(response, "id_timezone_error") == "'Mars/Olympus' ist kein Zeitzonenname wie Europe/Berlin."
    assert "Korrigiere bitte die unten markierten Felder" in page_text(response)


def test_the_workshop_page_says_its_registration_window_in_german(team, published):
    response = german_staff(team, "owner").get(team.url(f"workshops/{published.pk}/"))
    assert text_of(response, "registration-window") == "jetzt offen, ohne Enddatum"
    assert text_of(response, "seat-summary") == (
        "Platz für 2 Paare: 0 bestätigt, 0 für Angebote an die Warteliste reserviert, 2 frei. Sonst wartet niemand."
    )
    assert text_of(response, "questions-summary") == (
        "Paare geben eine E-Mail und einen Vornamen oder ein Pseudonym an."
    )
    assert text_of(response, "cancel-terms") == "online, bis zum Schluss"
    assert english_left(page_text(response)) == []


def test_the_enrollment_list_is_german_with_german_dates_and_plurals(team, published):
    enrollment, _ = enrollment_services.registration_submit(
        workshop=published, contact_email="ada@example.net", display_name="Ada"
    )
    response = german_staff(team, "organizer").get(team.url(f"workshops/{published.pk}/enrollments/"))
    assert response.status_code == 200
    assert "<title>Anmeldungen · Spring evening · Open Hearts · Attune</title>" in response.content.decode()
    local = enrollment.confirmed_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert text_of(response, "confirmed").startswith(
        f"Bestätigt (1) Ada ada@example.net bestätigt am {local:%d.%m.%Y} um {local:%H:%M}"
    )
    assert text_of(response, "seat-summary") == (
        "Platz für 2 Paare: 1 bestätigt, 0 für Angebote an die Warteliste reserviert, 1 frei. Sonst wartet niemand."
    )
    assert text_of(response, "waitlist") == (
        "Warteliste (0) In der Reihenfolge, in der Plätze angeboten werden. Niemand wartet."
    )
    assert english_left(page_text(response)) == []


def test_the_step_editor_is_german_from_its_labels_to_its_refusals(team):
    client = german_staff(team, "organizer")
    response = client.get(team.url("library/new/"))
    assert text_of(response, "new_kind") == (
        "Anleitung Persönliche Reflexion Antworten, dann aufdecken Gemeinsames Arbeitsblatt Dialog im Wechsel "
        "Vereinbarung Anonymes Stimmungsbild oder anonyme Umfrage Pause"
    )
    assert text_of(response, "step-0-duration_minutes_helptext") == "Eine ganze Zahl von 1 bis 240."
    assert english_left(page_text(response)) == []

    # A new worksheet step starts from the German example; its rows are "Abschnitt n".
    data = form_values(response, "step_count") | {"op": "add", "new_kind": "worksheet"}
    response = client.post(team.url("library/new/"), data)
    assert [field_value(response, f"step-1-config-sections-{n}-label") for n in range(2)] == [
        "Nicht verhandelbar",
        "Verhandelbar",
    ]
    assert field_value(response, "step-1-config-sections-0-key") == "non_negotiables"  # a name, not a word
    assert "<legend>Abschnitt 1</legend>" in response.content.decode()
    assert text_of(response, "step-1-settings").startswith("Gemeinsames Arbeitsblatt: Einstellungen Abschnitte")

    data = form_values(response, "step_count") | {"op": "save", "title": "Unsere Karte", "step-0-title": ""}
    for n in range(6):
        for part in ("key", "label", "hint"):
            data[f"step-1-config-sections-{n}-{part}"] = ""
    response = client.post(team.url("library/new/"), data)
    assert response.status_code == 400
    assert text_of(response, "step-0-title_error") == "Gib dem Schritt einen Titel."
    assert text_of(response, "step-1-config-sections_error") == "Füll mindestens einen Abschnitt aus."
    assert "Schritt 1 muss korrigiert werden." in page_text(response)


def test_a_saved_exercise_shows_its_settings_in_german(team):
    exercise = Exercise.objects.create(organization=team.organization, title="Puls")
    exercise.steps.create(
        position=1,
        kind="poll",
        title="Wie sicher?",
        duration_minutes=3,
        config={"question": "Wie sicher fühlt ihr euch?", "poll_kind": "single", "options": ["Sehr", "Kaum"]},
    )
    response = german_staff(team, "facilitator").get(team.url(f"library/{exercise.pk}/"))
    assert text_of(response, "step-1") == (
        "Wie sicher? Anonymes Stimmungsbild oder anonyme Umfrage · 3 Min. Einstellungen "
        "Frage Wie sicher fühlt ihr euch? Art der Frage Einfachauswahl Optionen Sehr Kaum"
    )
    assert english_left(page_text(response)) == []


def test_the_settings_page_is_german(team):
    response = german_staff(team, "owner").get(team.url("settings/"))
    html = response.content.decode()
    assert '<label for="id_anonymity_k">Anonymitätsschwelle (k)</label>' in html
    assert "<h2>Privatsphäre</h2>" in html
    assert english_left(page_text(response)) == []


def test_a_couple_registers_in_german(published):
    browser = german_browser()
    response = browser.get(f"/w/{published.public_id}/")
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<title>Spring evening · Anmeldung · Attune</title>" in html
    text = page_text(response)
    assert "Wann Freitag, 10. Mai 2030, 18:00–21:00 Alle Zeiten in Europe/Berlin." in text
    assert "Als Paar anmelden Wir fragen nach einer E-Mail-Adresse für euch beide" in text
    assert '<label for="display_name">Vorname oder Pseudonym</label>' in html
    assert english_left(text) == []
    # The same page in English is full of the catalog's English: the check finds what is left.
    assert "Register as a couple" in english_left(page_text(Client().get(f"/w/{published.public_id}/")))

    response = browser.post(f"/w/{published.public_id}/", {"display_name": "", "contact_email": "ada@example.net"})
    assert response.status_code == 400
    assert 'aria-describedby="display_name-error"' in response.content.decode()
    assert english_left(page_text(response)) == []

    response = browser.post(f"/w/{published.public_id}/", {"display_name": "Ada", "contact_email": "ada@example.net"})
    registered = browser.get(response["Location"])
    assert text_of(registered, "main").startswith("Schaut in eure E-Mails Danke für eure Anmeldung zu Spring evening.")


def test_the_registration_refusals_are_german_too(published):
    empty = {"display_name": "", "contact_email": "ada@example.net"}
    english = text_of(Client().post(f"/w/{published.public_id}/", empty), "display_name-error")
    german = text_of(german_browser().post(f"/w/{published.public_id}/", empty), "display_name-error")
    assert german != english


def test_a_couples_own_page_and_cancelling_are_german_with_plural_minutes(published):
    browser = german_browser()
    browser.post(f"/w/{published.public_id}/", {"display_name": "Ada", "contact_email": "ada@example.net"})
    message = [m for m in mails_to("ada@example.net") if "/i/" in m.body][-1]
    assert browser.get(link_path(message, "/i/")).status_code == 302
    page = browser.get("/me/")
    assert text_of(page, "place-status") == "Hallo Ada. Euer Platz ist bestätigt."
    assert text_of(page, "cancelling") == "Ihr könnt nicht kommen? Unseren Platz absagen…"
    assert "Freitag, 10. Mai 2030, 18:00–21:00" in page_text(page)
    assert english_left(page_text(page)) == []

    question = browser.get("/me/cancel")
    assert page_text(question).startswith("Euren Platz bei Spring evening absagen?")
    assert "Ihr könnt das noch 30 Minuten lang rückgängig machen" in text_of(question, "cancel-effect")
    assert english_left(page_text(question)) == []
    assert Enrollment.objects.get(display_name="Ada").status == "confirmed"


def test_sign_in_and_password_pages_are_german():
    browser = german_browser()
    response = browser.get("/accounts/login/")
    assert "<title>Anmelden · Attune</title>" in response.content.decode()
    assert "Für alle, die Workshops planen oder moderieren. Paare brauchen kein Konto." in page_text(response)
    assert english_left(page_text(response)) == []
    response = browser.post("/accounts/login/", {"username": "nobody@example.org", "password": "wrong-horse-9"})
    assert text_of(response, "sign-in-error") == (
        "Diese E-Mail und dieses Passwort passen zu keinem Konto. Prüf beides oder setz dein Passwort zurück."
    )
    for path in ("/accounts/password_reset/", "/accounts/signup/"):
        assert english_left(page_text(browser.get(path))) == [], path
