"""The workshop's content in each reader's language (issue 17): a session of the built-in "arriving" exercise,
written in English and German. Kim's phone reads German, Lee's English, the console English: each shows the step's
title, text and poll question in its own reader's language, from the same frames (frontend/src/shared/content.ts)."""

import pytest

from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter
from tests.e2e.conftest import login_cookie
from tests.e2e.test_step_kinds import _index
from tests.realtime.conftest import _custom_live
from workshops.services import enrollment as enrollment_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_each_phone_reads_the_built_in_exercise_in_its_own_language(server, screens, builtin_library):
    session, facilitator, _org = _custom_live(["arrival-pulse"])
    steps = state_for(session).steps
    _, token = enrollment_services.registration_submit(
        workshop=session.workshop, contact_email="kim@example.test", display_name="Kim"
    )
    staff = screens.open("content-console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")

    kim = screens.open("content-kim", server, **PHONE).goto(f"/i/{token}")
    kim.page.get_by_role("link", name="Join the live session").click()
    enter(kim, "Kim", feedback=True)
    lee = screens.open("content-lee", server, **PHONE).goto(f"/i/{token}")
    lee.page.get_by_role("link", name="Join the live session").click()
    enter(lee, "Lee", feedback=True)
    confirm_words(kim, lee)
    kim.see("Welcome, Kim and Lee")
    kim.page.get_by_label("Language").select_option("de")
    kim.see("Willkommen, Kim und Lee")

    staff.page.keyboard.press("n")  # the first step: an instruction
    kim.see("Hier musst du nichts von dir zeigen")
    lee.see("Nothing here asks you to share more than you want to.")
    staff.see("Introduce yourself and the shape of the session")  # the console reads English notes
    assert "Hier musst du" not in lee.text() and "Nothing here asks you" not in kim.text()

    poll = _index(steps, "poll")
    staff.page.get_by_role("button", name=f"Go to step {poll + 1}: {steps[poll]['title']}", exact=True).click()
    kim.see("Wie sicher fühlt sich dieser Raum gerade für dich an?")
    kim.see("Noch nicht sicher")
    lee.see("How safe does this room feel to you right now?")
    lee.see("Not safe yet")
    staff.see("How safe does this room feel to you right now?")
    assert "How safe" not in kim.text() and "Wie sicher" not in lee.text()
