"""Pairing's other paths on real phones: continuing alone (a couple of one reveals to itself), pairing a
partner's phone later from the menu, and unpairing."""

import re

import pytest

from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, enter, type_pairing_code
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_alone_then_paired_later_then_unpaired(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(["pause-signal"])
    choice = next(i for i, s in enumerate(state_for(session).steps) if s["kind"] == "answer_reveal")
    staff = screens.open("pairing-console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")

    ana = screens.open("alone", server, **PHONE).goto(f"/live/?code={session.join_code}")
    enter(ana, "Ana")
    ana.click("Continue alone for now")
    ana.see("Welcome, Ana")
    staff.page.keyboard.press("n")
    staff.page.get_by_role("button", name=f"Go to step {choice + 1}:", exact=False).click()
    staff.click("Open breakout (O)")
    ana.page.get_by_role("radio", name="A hand gesture").check()
    ana.click("Save my answer")
    ana.see("Your answer")  # a couple of one sees its own answer at once
    ana.see("A hand gesture")
    ana.shot("alone-revealed")
    axe = ana.axe("alone-revealed")

    # Later, her partner arrives: she shows a code from the menu.
    ana.click("More", exact=True)
    ana.click("Pair my partner's phone")
    ana.click("Show a code for my partner's phone")
    code = ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")
    valid = ana.page.locator("[data-pairing-link]").inner_text()
    assert re.match(r"Valid until \d{1,2}:\d\d( [AP]M)? [A-Z][\w+:-]*\.", valid), valid  # its zone named (issue 16)
    ben = screens.open("late-partner", server, **PHONE).goto("/live/")
    enter(ben, "Ben", code=session.join_code)
    type_pairing_code(ben, code)
    ben.click("Yes, the words match")
    ben.see("Waiting for your partner")
    ana.click("Yes, the words match")
    ana.see("What would you actually use?")
    ben.see("What would you actually use?")
    staff.see("Ana & Ben")

    # Ben unpairs: his phone leaves the couple, Ana keeps it.
    ben.click("More", exact=True)
    ben.click("Unpair this phone…")
    ben.shot("unpair-confirm")
    axe += ben.axe("unpair-confirm")
    ben.click("Unpair", exact=True)
    ben.see("Pair with your partner")
    staff.see("Not paired yet")
    staff.page.locator(".couple-card", has_text="Ana").get_by_text("alone").wait_for()
    assert "Pair with your partner" not in ana.text()  # she chose to go on alone before
    assert axe == []
