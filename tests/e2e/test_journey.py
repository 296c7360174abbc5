"""The live session as a room lives it, in real browsers against a real server.

One facilitator (with the projector) and three couples on six phone-sized screens: two couples pair their
two phones (one by typing the code, one by opening the QR code's link), one couple shares one phone. They
go through an instruction, a breakout with a private answer and its reveal, and a turn-taking dialogue;
there is a pause signal, a session pause, a help request as a couple and a private one, a broadcast and
the end. One phone loses its connection for 20 seconds in the middle of the breakout (its traffic runs
through a proxy the test cuts), writes its answer meanwhile, and comes back to the right state with
nothing lost. Every screen is saved to test-artifacts/e2e/ and checked with axe-core.
"""

import time

import pytest

from tests.e2e.browser import LAPTOP, PHONE, PROJECTOR, TcpProxy, enter, type_pairing_code
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live
from tests.support import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFLINE_S = 20


def test_a_room_of_three_couples_through_a_session(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(["structured-disagreement"])
    code = session.join_code
    port = int(server.rsplit(":", 1)[1])
    proxy = TcpProxy(port, free_port()).start()
    axe = []

    try:
        # --- the facilitator opens the console and the projector ---------------------------------------
        cookie = login_cookie(facilitator)
        staff = screens.open("facilitator", server, cookie=cookie, **LAPTOP).goto(f"/live/facilitate/{session.pk}/")
        staff.see("Run of show")
        projector = screens.open("projector", server, cookie=cookie, **PROJECTOR).goto(f"/live/projector/{session.pk}/")
        projector.see(code)
        projector.shot("lobby")
        axe += projector.axe("lobby")

        # --- couple A: two phones, the partner types the pairing code; Ben's phone runs through the proxy -----
        ana = screens.open("ana", server, **PHONE).goto(f"/live/?code={code}")
        ana.see("Before you start")
        assert "code=" not in ana.page.url  # the join code left the address bar
        ana.shot("consent")
        axe += ana.axe("consent")
        enter(ana, "Ana", feedback=True)
        ana.see("Pair with your partner")
        ana.shot("pair-choices")
        axe += ana.axe("pair-choices")
        ana.click("Show a code for my partner's phone")
        pairing_code = ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")
        ana.shot("pair-code")
        axe += ana.axe("pair-code")

        ben = screens.open("ben", f"http://127.0.0.1:{proxy.port}", **PHONE).goto("/live/")
        ben.see("Join a live session")
        ben.shot("join")
        axe += ben.axe("join")
        enter(ben, "Ben", code=code)
        type_pairing_code(ben, pairing_code)
        ben.see("Check the three words")
        ana.see("Check the three words")
        words_ben = ben.page.get_by_role("list", name="Pairing words").inner_text()
        assert ana.page.get_by_role("list", name="Pairing words").inner_text() == words_ben
        ben.shot("words")
        axe += ben.axe("words")
        ana.click("Yes, the words match")
        ana.see("Waiting for your partner")
        ben.click("Yes, the words match")
        ana.see("Welcome, Ana and Ben")
        ben.see("Welcome, Ben and Ana")
        ben.shot("lobby")
        axe += ben.axe("lobby")

        # --- couple B: the partner opens the QR code's link on a fresh phone (Dan's is in dark mode) -------------
        cleo = screens.open("cleo", server, reduced_motion="reduce", **PHONE).goto(f"/live/?code={code}")
        enter(cleo, "Cleo")
        cleo.click("Show a code for my partner's phone")
        link = cleo.page.locator("[data-pairing-link]").get_attribute("data-pairing-link")
        qr = cleo.page.get_by_role("img", name="QR code that opens the pairing link on your partner's phone")
        assert qr.is_visible()
        dan = screens.open("dan", server, color_scheme="dark", **PHONE).goto(link.removeprefix(server))
        enter(dan, "Dan")
        dan.see("Check the three words")
        cleo.see("Check the three words")
        dan.click("Yes, the words match")
        cleo.click("Yes, the words match")
        cleo.see("Welcome, Cleo and Dan")
        dan.see("Welcome, Dan and Cleo")

        # --- couple C: one phone for both ---------------------------------------------------------------------
        eve = screens.open("eve-and-finn", server, **PHONE).goto(f"/live/?code={code}")
        enter(eve, "Eve")
        eve.click("We share this one phone")
        eve.page.get_by_label("Your partner's first name or pseudonym").fill("Finn")
        eve.shot("one-phone")
        axe += eve.axe("one-phone")
        eve.click("Use one phone")
        eve.see("Welcome, Eve and Finn")

        # The facilitator sees three couples (never content); the projector counts them.
        staff.see("Ana & Ben")
        staff.see("Cleo & Dan")
        staff.see("Eve")
        projector.see("3 couples here")
        staff.shot("lobby")
        axe += staff.axe("lobby")

        # --- step 1: instruction, with a timer ---------------------------------------------------------------
        staff.page.keyboard.press("n")
        for phone in (ana, ben, dan, eve):
            phone.see("How the turns work")
        staff.page.keyboard.press("t")
        ana.page.locator(".live-top .countdown").wait_for()
        projector.page.locator(".pj-timer").wait_for()
        ana.shot("step-instruction")
        axe += ana.axe("step-instruction")
        projector.shot("step-instruction")
        axe += projector.axe("step-instruction")

        # --- step 2: a breakout with a private answer and its reveal -----------------------------------------
        staff.click("Next (N) →")
        ana.see("Where each of you stands")
        ana.see("opens when the facilitator starts it")
        staff.click("Open breakout (O)")
        staff.see("Couples are working in their private spaces.")
        ana.page.get_by_label("Name the topic").wait_for()

        # Ben's phone loses its network.
        proxy.cut()
        cut_at = time.monotonic()
        ben.see("You're offline")
        ben.page.get_by_label("Name the topic").fill("Ben: Sundays. I'd like one slow morning together.")
        ben.click("Save my answer")
        ben.see("it is shared when you're back online")
        ben.shot("offline-with-answer")
        axe += ben.axe("offline")

        ana.page.get_by_label("Name the topic").fill("Ana: Sundays. I'd like time for a long walk.")
        ana.click("Save my answer")
        ana.see("Waiting for Ben to answer or pass")
        ana.shot("answer-waiting")
        axe += ana.axe("answer-waiting")

        # Couple B: Cleo answers and keeps it back; Dan passes. Cleo asks as a couple, Dan privately.
        cleo.page.get_by_label("Name the topic").fill("Cleo: the dishes.")
        cleo.click("Save my answer")
        cleo.page.get_by_label("Keep my answer back").check()
        dan.click("Pass", exact=True)
        dan.see("Cleo kept their answer back.")
        cleo.see("Passed")
        dan.shot("reveal-kept-back")
        axe += dan.axe("reveal")
        cleo.click("Help", exact=True)
        cleo.click("Ask as a couple")
        cleo.click("Close")
        dan.see("You asked for a facilitator.")
        dan.click("Help", exact=True)
        dan.click("Ask just for me, privately")
        dan.shot("help-private")
        axe += dan.axe("help")
        dan.click("Close")
        dan.see("Help is on the way.")
        staff.see("Private: Dan")
        staff.shot("help-queue")
        help_items = staff.page.locator(".help-queue li")
        couple_request = help_items.filter(has_text="Asked as a couple")
        couple_request.get_by_role("button", name="Acknowledge").click()
        cleo.see("Someone has seen it and is on the way.")
        time.sleep(1)  # Cleo's phone has had every update by now: it must never show Dan's private request
        assert "Help is on the way" not in cleo.text()
        assert "private" not in cleo.text().lower()

        # Couple C on one phone: Eve answers, hands over, Finn answers; both show together.
        eve.page.get_by_label("Name the topic").fill("Eve: screen time at dinner.")
        eve.click("Save my answer")
        eve.click("I'm done: hand over to Finn")
        eve.see("Hand the phone to Finn")
        assert "screen time" not in eve.text()  # the first answer is hidden before the partner writes
        eve.shot("handover")
        axe += eve.axe("handover")
        eve.click("I'm Finn: show my page")
        eve.page.get_by_label("Name the topic").fill("Finn: phones away at dinner.")
        eve.click("Save my answer")
        eve.see("Your answers, side by side")
        eve.see("Finn: phones away at dinner.")
        eve.shot("reveal-one-phone")

        # Couple C raises the pause signal: staff see "Paused", nothing more.
        eve.click("Pause", exact=True)
        eve.see("You asked for a pause")
        eve.shot("pause-signal")
        axe += eve.axe("pause-signal")
        staff.page.locator(".couple-card.st-paused").wait_for()
        eve.click("We're ready to go on")

        # The facilitator pauses the whole session for a moment (Space), and resumes.
        staff.page.keyboard.press("Escape")
        staff.page.keyboard.press("Space")
        ana.see("The facilitator has paused the session")
        ana.shot("session-paused")
        staff.page.keyboard.press("Space")
        staff.see("Pause session (Space)")

        # Cleo and Dan are done; so are Eve and Finn, who have seen their reveal (a reveal is the end of the step).
        cleo.click("We're done")
        staff.see("2 of 3")
        staff.shot("breakout")
        axe += staff.axe("breakout")

        # Ben's network comes back after 20 s: his answer goes out, and both phones reveal.
        time.sleep(max(0.0, OFFLINE_S - (time.monotonic() - cut_at)))
        assert "You're offline" in ben.text()
        proxy.restore()
        ben.see("Ana: Sundays. I'd like time for a long walk.", timeout=30000)
        ana.see("Ben: Sundays. I'd like one slow morning together.")
        assert "You're offline" not in ben.text()
        staff.see("3 of 3")
        ben.shot("back-online-revealed")
        ana.shot("reveal")
        axe += ana.axe("reveal")

        # Close the breakout with a short warning.
        staff.page.get_by_label("Warning (seconds)").fill("6")
        staff.click("Close with warning (C)")
        ana.see("This part closes in")
        ana.shot("breakout-closing")
        ana.see("This part has closed. What you saved is kept.")

        # --- step 3: a turn-taking dialogue --------------------------------------------------------------------
        staff.page.keyboard.press("n")
        ben.see("Take turns")
        staff.click("Open breakout (O)")
        ana.click("Start: I'll speak first")
        ana.see("You speak")
        ben.see("Ana speaks; you listen")
        ben.shot("dialogue-listening")
        axe += ben.axe("dialogue")
        ana.click("Next phase")
        ben.see("Say your view")
        ben.click("Swap roles")
        ben.see("You speak")
        ana.see("Ben speaks; you listen")
        ana.shot("dialogue-swapped")
        eve.click("Start the first turn")
        eve.see("Eve speaks")
        eve.shot("dialogue-one-phone")

        staff.page.get_by_label("Message").fill("Two minutes left in this round.")
        staff.click("Send")
        dan.see("Two minutes left in this round.")
        projector.see("Two minutes left in this round.")
        projector.shot("dialogue")
        staff.shot("dialogue")
        assert "Ana:" not in projector.text() and "Ana:" not in staff.text()  # content never reaches staff

        # --- the end --------------------------------------------------------------------------------------------
        staff.click("End the session…")
        staff.click("Yes, end it")
        for phone in (ana, ben, cleo, dan, eve):
            phone.see("Thank you")
        ana.see("Our server deletes your couple's content after")
        ana.shot("ended")
        axe += ana.axe("ended")
        projector.see("Thank you for taking part.")
        projector.shot("ended")
        staff.see("Session ended")
        staff.shot("ended")
        axe += staff.axe("ended")
    finally:
        proxy.stop()
    assert axe == []
