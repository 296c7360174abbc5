"""Venue mode: the phones' journey where the page is not a secure context, as on a venue's Wi-Fi at
`http://<LAN address>`. Chromium treats loopback as secure, so the phones reach the server by a made-up hostname
that this test's Chromium maps to 127.0.0.1 (`--host-resolver-rules`; shared RECIPES.md): there, as on the LAN,
`window.isSecureContext` is false and `crypto.subtle` is missing. Two phones join by code, pair by typing the
code, answer privately and see the reveal together."""

import pytest

from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, enter, type_pairing_code
from tests.e2e.conftest import Screens, chromium_browser, login_cookie
from tests.platform.servers import daphne_processes
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VENUE_HOST = "attune-venue.test"


@pytest.fixture(scope="module")
def venue_browser():
    """Chromium resolving VENUE_HOST to loopback."""
    with chromium_browser(f"--host-resolver-rules=MAP {VENUE_HOST} 127.0.0.1") as browser:
        yield browser


@pytest.fixture
def venue_screens(venue_browser):
    opened = Screens(venue_browser)
    yield opened
    assert opened.close() == []


@pytest.fixture
def venue_server(transactional_db, built_apps):
    """A real server that answers to VENUE_HOST too; yields (its loopback URL, its venue URL)."""
    with daphne_processes(1, ALLOWED_HOSTS=f"{VENUE_HOST},127.0.0.1,localhost") as servers:
        (_, base) = servers[0]
        yield base, f"http://{VENUE_HOST}:{base.rsplit(':', 1)[1]}"


def test_phones_pair_and_reveal_where_the_page_is_not_secure(venue_screens, venue_server, builtin_library):
    loopback, venue = venue_server
    session, facilitator, _ = _custom_live(["pause-signal"])
    choice = next(i for i, s in enumerate(state_for(session).steps) if s["kind"] == "answer_reveal")
    staff = venue_screens.open("venue-console", loopback, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")

    ana = venue_screens.open("venue-ana", venue, **PHONE).goto(f"/live/?code={session.join_code}")
    context = ana.page.evaluate("[window.isSecureContext, typeof crypto.subtle, typeof crypto.getRandomValues]")
    assert context == [False, "undefined", "function"]
    enter(ana, "Ana")
    ana.click("Show a code for my partner's phone")
    code = ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")

    ben = venue_screens.open("venue-ben", venue, **PHONE).goto("/live/")
    assert ben.page.evaluate("window.isSecureContext") is False
    enter(ben, "Ben", code=session.join_code)
    type_pairing_code(ben, code)
    ben.see("Check the three words")
    ana.see("Check the three words")
    ana.click("Yes, the words match")
    ben.click("Yes, the words match")
    ana.see("Welcome, Ana and Ben")
    ben.see("Welcome, Ben and Ana")
    staff.see("Ana & Ben")

    staff.page.keyboard.press("n")
    staff.page.get_by_role("button", name=f"Go to step {choice + 1}:", exact=False).click()
    staff.click("Open breakout (O)")
    ana.page.get_by_role("radio", name="A hand gesture").check()
    ana.click("Save my answer")
    ana.see("Waiting for Ben to answer or pass")
    ben.page.get_by_role("radio", name="A word or short phrase").check()
    ben.click("Save my answer")
    for phone in (ana, ben):  # both answers show on both phones once both answered
        phone.see("Both answers")
        reveal = phone.page.locator(".reveal").inner_text()
        assert "A hand gesture" in reveal and "A word or short phrase" in reveal
    ana.shot("venue-revealed")
