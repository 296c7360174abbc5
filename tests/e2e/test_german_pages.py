"""The server-rendered pages in German, in Chromium (issue 17): a couple's phone that asks for German registers on
the public page, and an organizer who chose German goes through the main organizer pages. In German as in English,
no page has a serious accessibility violation, and nothing is wider than a 360-pixel phone (German words are
long)."""

import zoneinfo
from datetime import timedelta

import pytest
from django.conf import settings

from tests import factories
from tests.e2e.browser import LAPTOP, PHONE
from tests.e2e.conftest import login_cookie
from workshops.models.organizations import Role
from workshops.services import registration_questions
from workshops.services import scheduling as scheduling_services

pytestmark = [pytest.mark.browser]

# Elements whose right edge is past the page's width: what a phone would have to scroll sideways to read.
WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
        .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""));
}"""

# A 500-pixel element (its width set through the CSSOM, which the Content-Security-Policy allows).
PROBE = """() => {
    const probe = Object.assign(document.createElement("div"), {id: "probe", textContent: "x"});
    probe.style.width = "500px";
    document.body.append(probe);
}"""


def _retreat():
    """A published German workshop with a cancellation deadline and two registration questions (a choice with a
    hint), whose long words must wrap on a phone."""
    organization = factories.organization(name="Offene Herzen", timezone_name="Europe/Berlin")
    workshop = factories.workshop(
        organization,
        title="Frühlingswochenende für Paare",
        venue="Gemeinschaftsraum im Nachbarschaftszentrum Kreuzberg",
        capacity=8,
        contact_email="hallo@example.test",
    )
    start = factories.future(days=20, hour=10)
    factories.session(workshop, start, hours=6)
    scheduling_services.workshop_update(workshop=workshop, cancellation_deadline=start - timedelta(days=3))
    registration_questions.question_add(
        workshop=workshop,
        label="Unterbringungswunsch",
        kind="choice",
        choices=["Doppelzimmer", "Einzelzimmer"],
        hint="Nur für das Wochenende mit Übernachtung.",
    )
    registration_questions.question_add(workshop=workshop, label="Ernährungsbesonderheiten", kind="short_text")
    return scheduling_services.workshop_publish(workshop=workshop)


def test_a_couple_registers_on_a_german_phone(server, screens):
    workshop = _retreat()
    phone = screens.open("german-couple", server, locale="de-DE", **PHONE).goto(f"/w/{workshop.public_id}/")
    page = phone.page
    page.get_by_role("heading", name="Als Paar anmelden").wait_for()
    assert page.locator("html").get_attribute("lang") == "de"
    problems = phone.axe("register-de")
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
    # The check sees an element a phone would scroll sideways to read.
    page.evaluate(PROBE)
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == ["div#probe"]
    page.evaluate("() => document.getElementById('probe').remove()")
    phone.shot("register-de")

    phone.click("Anmelden")  # nothing filled in: the refusal, next to its field
    page.locator("#contact_email-error").wait_for()
    problems += phone.axe("register-de-refused")
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
    phone.shot("register-de-refused")

    page.get_by_label("Vorname oder Pseudonym").fill("Ana")
    page.get_by_label("E-Mail").fill("ana.und.ben@example.test")
    page.get_by_role("group", name="Unterbringungswunsch").get_by_label("Einzelzimmer").check()
    phone.click("Anmelden")
    page.get_by_role("heading", name="Schaut in eure E-Mails").wait_for()
    problems += phone.axe("registered-de")
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
    assert problems == []


def test_a_german_organizer_goes_through_the_main_pages(server, screens, builtin_library):
    workshop = _retreat()
    organization = workshop.organization
    organizer = factories.member(organization, Role.ORGANIZER)
    factories.register(workshop, "Ana")
    laptop = screens.open("german-organizer", server, cookie=login_cookie(organizer), **LAPTOP)
    laptop.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": server}])
    problems = []
    pages = {
        "dashboard": ("", "Nächste Sessions"),
        "workshop": (f"workshops/{workshop.pk}/", "Öffentliche Anmeldeseite"),
        "enrollments": (f"workshops/{workshop.pk}/enrollments/", "Bestätigt (1)"),
        "workshop-form": (f"workshops/{workshop.pk}/edit/", "Anmeldezeitraum"),
        "step-editor": ("library/new/", "Art des neuen Schritts"),
        "programs": ("programs/", "Mitgelieferte Programme"),
        "survey": ("feedback/survey/", "Umfrage nach der Session"),
    }
    for label, (path, words) in pages.items():
        laptop.goto(f"/o/{organization.slug}/{path}")
        laptop.see(words)
        assert laptop.page.locator("html").get_attribute("lang") == "de", label
        problems += laptop.axe(f"{label}-de")
    assert problems == []

    # The organizer's pages on a phone too: the longest German labels wrap.
    phone = screens.open("german-organizer-phone", server, cookie=login_cookie(organizer), **PHONE)
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": server}])
    for label, (path, words) in pages.items():
        phone.goto(f"/o/{organization.slug}/{path}")
        phone.see(words)
        assert (label, phone.page.evaluate(WIDER_THAN_THE_SCREEN)) == (label, [])


def test_dates_on_the_german_public_page_are_written_the_german_way(server, screens):
    workshop = _retreat()
    phone = screens.open("german-dates", server, locale="de-DE", **PHONE).goto(f"/w/{workshop.public_id}/")
    session = workshop.sessions.get()
    start, end = (
        moment.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")) for moment in (session.starts_at, session.ends_at)
    )
    weekdays = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
    months = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember")  # fmt: skip
    day = f"{weekdays[start.weekday()]}, {start.day}. {months[start.month - 1]} {start.year}"
    assert phone.page.locator("main ul").first.inner_text() == f"{day}, {start:%H:%M}–{end:%H:%M}"
    deadline = (session.starts_at - timedelta(days=3)).astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    deadline_day = f"{weekdays[deadline.weekday()]}, {deadline.day}. {months[deadline.month - 1]} {deadline.year}"
    assert phone.page.locator("#cancel-terms").inner_text() == (
        f"Ihr könnt euren Platz bis {deadline_day}, {deadline:%H:%M} (Europe/Berlin) online absagen. "
        "Danach schreibt bitte an hallo@example.test."
    )
