"""The projector keeps its own language (issue 17), in a real browser against a real server.

The facilitator runs the console and the projector in ONE browser on their laptop (the projector's window dragged
to the beamer): the console reads English; it opens the projector with its link, and the projector is switched to
German with its own menu. The projector then shows German only (the app's texts and the built-in exercise's step),
while the console, reloaded, is still English: the projector's choice is kept in its address (?lang=de), not in
the language cookie the two share, nor on the facilitator's account. Reloaded, the projector is still German, and
its socket asks for German too (its error frames are in it: tests/realtime/test_projector_language.py).
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP
from tests.e2e.conftest import login_cookie
from tests.e2e.languages import english_left_on, rendered_text
from tests.realtime.conftest import _custom_live
from workshops.models import AccountLanguage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _lang(screen):
    return screen.page.locator("html").get_attribute("lang")


def test_the_projector_speaks_german_beside_an_english_console_in_one_browser(server, screens, builtin_library):
    session, facilitator, _org = _custom_live(["arrival-pulse"])
    first = state_for(session).steps[0]
    german = first["translations"]["de"]
    assert german["title"] != first["title"]
    laptop = screens.open("laptop-console", server, cookie=login_cookie(facilitator), **LAPTOP)
    console = laptop.goto(f"/live/facilitate/{session.pk}/")
    console.see("Run of show")
    console.page.keyboard.press("n")  # the first step, so the projector shows the exercise's words too
    console.see("Now: Step 1 of")

    projector = screens.opened_by(
        console, "laptop-projector", console.page.get_by_role("link", name="Open the projector view").click
    )
    projector.see(first["title"])
    assert _lang(projector) == "en"

    # The projector's menu: German, in the projector's address.
    projector.page.mouse.move(640, 360)  # whoever sets up the beamer moves the mouse: the menu shows
    with projector.page.expect_websocket() as opened:
        projector.page.get_by_label("Language").select_option("de")
    expect(projector.page).to_have_url(re.compile(rf"/live/projector/{session.pk}/\?lang=de$"))
    assert re.search(r"[?&]lang=de(&|$)", opened.value.url)
    projector.see(german["title"])
    projector.see(f"Schritt 1 von {len(state_for(session).steps)} · {german['exercise']}")
    expect(projector.page.locator(".pj-step")).to_have_attribute("lang", "de")
    expect(projector.page.get_by_label("Sprache")).to_have_value("de")
    assert _lang(projector) == "de"
    projector.shot("german")
    assert english_left_on(rendered_text(projector.page)) == []
    assert first["title"] not in projector.text()

    # The console beside it, reloaded: still English; nothing was kept in the browser or on the account.
    console.page.reload()
    console.see("Run of show")
    assert _lang(console) == "en"
    expect(console.page.get_by_label("Language")).to_have_value("en")
    assert "Ablauf" not in console.text()
    assert [c for c in laptop.context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME] == []
    assert not AccountLanguage.objects.filter(user=facilitator).exists()

    # The projector, reloaded: still German (its address keeps it), and so is its socket.
    with projector.page.expect_websocket() as reopened:
        projector.page.reload()
    assert re.search(r"[?&]lang=de(&|$)", reopened.value.url)
    projector.see(german["title"])
    assert _lang(projector) == "de"
    assert english_left_on(rendered_text(projector.page)) == []

    # And back to English with the same menu, as the console's language never moved.
    projector.page.mouse.move(600, 300)
    projector.page.get_by_label("Sprache").select_option("en")
    expect(projector.page).to_have_url(re.compile(rf"/live/projector/{session.pk}/\?lang=en$"))
    projector.see(first["title"])
    assert _lang(projector) == "en"
