"""Every step kind on two real phones, and what a couple keeps afterwards.

An enrolled couple enters by its invitation link (the /me/ page's "Join the live session"). The facilitator
goes to each kind of step in turn: a private reflection, a shared worksheet (add, edit, remove), answers on
a scale and a choice, the four agreements (trial period, pause signal, ritual, conflict plan), a break and
an anonymous poll. Afterwards the couple's agreements are printed, downloaded and exported to a calendar;
a partner exports and erases what they wrote; the facilitator removes the couple.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live
from workshops.services import enrollment as enrollment_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRAM = ["boundary-map", "trial-period", "pause-signal", "co-created-ritual", "conflict-pre-agreement", "breather"]


def _index(steps, kind, detail=None):
    for i, step in enumerate(steps):
        config = step["config"]
        if step["kind"] == kind and detail in (
            None,
            config.get("answer_kind"),
            config.get("agreement_kind"),
        ):
            return i
    raise AssertionError(f"no {kind} {detail} step")


def test_every_step_kind_and_what_a_couple_keeps(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(PROGRAM)
    steps = state_for(session).steps
    _, token = enrollment_services.registration_submit(
        workshop=session.workshop, contact_email="kim@example.test", display_name="Kim"
    )
    axe = []

    staff = screens.open("console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")

    # --- both partners enter by the couple's invitation link; the second phone pairs by the key exchange ---
    kim = screens.open("kim", server, **PHONE).goto(f"/i/{token}")
    kim.page.get_by_role("link", name="Join the live session").click()
    enter(kim, "Kim")
    lee = screens.open("lee", server, **PHONE).goto(f"/i/{token}")
    lee.page.get_by_role("link", name="Join the live session").click()
    enter(lee, "Lee")
    confirm_words(kim, lee)
    kim.see("Welcome, Kim and Lee")
    lee.see("Welcome, Lee and Kim")

    def go(kind, detail=None, breakout=True):
        index = _index(steps, kind, detail)
        staff.page.get_by_role("button", name=f"Go to step {index + 1}: {steps[index]['title']}", exact=True).click()
        staff.see(f"Now: step {index + 1} of")
        if breakout:
            staff.click("Open breakout (O)")
            staff.see("Couples are working in their private spaces.")
        return index

    staff.page.keyboard.press("n")
    kim.see("What boundaries are for")

    # --- private reflection: never shown to the partner ---------------------------------------------------
    go("reflection")
    first = kim.page.get_by_role("textbox").first
    first.fill("Kim's private limit: no surprises in public.")
    kim.see("Saved.")
    lee.page.get_by_role("textbox").first.fill("Lee's own note.")
    lee.see("Saved.")
    kim.shot("reflection")
    axe += kim.axe("reflection")
    assert "no surprises in public" not in lee.text()

    # --- shared worksheet: add, edit, remove ---------------------------------------------------------------
    go("worksheet")
    kim.page.get_by_label("Add to “Non-negotiables”").fill("Ask before sharing photos")
    kim.page.get_by_label("Add to “Non-negotiables”").press("Enter")
    kim.page.get_by_label("Add to “Negotiables”").fill("How often we see friends")
    kim.page.get_by_label("Add to “Negotiables”").press("Enter")
    lee.see("Ask before sharing photos")
    lee.see("How often we see friends")
    lee.click("Edit: Ask before sharing photos")
    lee.page.get_by_label("Edit this item").fill("Always ask before sharing photos of us")
    lee.click("Save", exact=True)
    kim.see("Always ask before sharing photos of us")
    kim.click("Remove: How often we see friends")
    lee.page.get_by_text("How often we see friends").wait_for(state="detached")
    lee.shot("worksheet")
    axe += lee.axe("worksheet")

    # --- answers on a scale and a choice, revealed together --------------------------------------------------
    go("answer_reveal", "scale")
    kim.page.get_by_role("radio", name="4").check()
    kim.click("Save my answer")
    lee.page.get_by_role("radio", name="2").check()
    lee.shot("answer-scale")
    axe += lee.axe("answer-scale")
    lee.click("Save my answer")
    kim.see("2 on a scale from")
    lee.see("4 on a scale from")

    go("answer_reveal", "choice")
    kim.page.get_by_role("radio", name="Two weeks").check()
    kim.click("Save my answer")
    lee.click("Pass", exact=True)
    lee.see("Two weeks")
    kim.see("Passed")
    kim.shot("answer-choice-revealed")

    # --- the four agreements -------------------------------------------------------------------------------
    go("agreement", "trial_period")
    kim.page.get_by_label("What we'll try").fill("One phone-free evening a week.")
    kim.page.get_by_label("The trial ends on").fill("2031-03-01")
    kim.click("Save our agreement")
    expect(lee.page.get_by_label("What we'll try")).to_have_value("One phone-free evening a week.")
    lee.shot("agreement-trial")
    axe += lee.axe("agreement-trial")

    go("agreement", "pause_signal")
    lee.page.get_by_label("Our pause signal").fill("We say 'amber'.")
    lee.page.get_by_label("Right after the signal").focus()  # an idea goes into the field last used
    lee.click("We stop, take three slow breaths and get some water")
    lee.page.get_by_label("We come back to the topic").fill("Within a day.")
    lee.click("Save our agreement")
    expect(kim.page.get_by_label("Our pause signal")).to_have_value("We say 'amber'.")
    expect(kim.page.get_by_label("Right after the signal")).to_have_value(
        "We stop, take three slow breaths and get some water"
    )

    go("agreement", "ritual")
    kim.page.get_by_label("What we do").fill("Sunday breakfast: one appreciation each.")
    kim.page.get_by_label("How often").select_option("biweekly")
    kim.page.get_by_label("The first time").fill("2031-01-05")
    kim.page.get_by_label("At (time)").fill("09:30")
    kim.click("Save our agreement")
    kim.see("Saved.")
    kim.shot("agreement-ritual")
    axe += kim.axe("agreement-ritual")

    go("agreement", "conflict_plan")
    lee.page.get_by_label("Timeouts").fill("Whoever calls it says when they'll be back.")
    lee.page.get_by_label("Repair").fill("An open hand.")
    lee.page.get_by_label("Follow-up").fill("A walk within two days.")
    lee.click("Save our agreement")
    lee.see("Saved.")

    # --- break and poll (anonymous feedback comes with its own release) ---------------------------------------
    go("break", breakout=False)
    staff.click("Start timer (T)")
    kim.see("Back in")
    kim.shot("break")
    axe += kim.axe("break")
    go("poll", breakout=False)
    kim.see("You chose not to give anonymous feedback")  # Kim entered without feedback consent: Pass only
    kim.click("Pass", exact=True)
    kim.see("You passed on this one.")
    kim.shot("poll")

    # --- afterwards: our agreements, the calendar file, a copy and the erasure of what I wrote ---------------
    staff.click("End the session…")
    staff.click("Yes, end it")
    kim.see("Thank you")
    for title in ("Our trial period", "Our pause signal", "Our ritual", "Our plan for hard moments"):
        kim.see(title)
    kim.see("Sunday breakfast: one appreciation each.")
    kim.see("Every two weeks")
    kim.shot("ended-agreements")
    axe += kim.axe("ended-agreements")

    with kim.page.expect_download() as ics:
        kim.click("Add our ritual to my calendar (.ics)")
    body = Path(ics.value.path()).read_text()
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2" in body
    assert "DTSTART:20310105T093000" in body
    assert "SUMMARY:Our ritual" in body
    with kim.page.expect_download() as review:
        kim.click("Add the trial's review date to my calendar (.ics)")
    assert "DTSTART;VALUE=DATE:20310301" in Path(review.value.path()).read_text()
    with kim.page.expect_download() as text:
        kim.click("Download as a file")
    saved = Path(text.value.path()).read_text()
    assert "One phone-free evening a week." in saved and "A walk within two days." in saved

    with kim.page.expect_download() as mine:
        kim.page.get_by_role("button", name="Download what I wrote").click()
    exported = json.loads(Path(mine.value.path()).read_text())  # made on Kim's phone, from what it decrypted
    assert exported["me"] == "Kim"
    assert {e["content"]["text"] for e in exported["entries"] if e["kind"] == "reflection"} == {
        "Kim's private limit: no surprises in public."
    }
    assert "One phone-free evening a week." in json.dumps(exported)  # the couple's agreements too

    lee.click("Erase what I wrote…")
    lee.shot("erase-confirm")
    axe += lee.axe("erase-confirm")
    lee.click("Yes, erase it")
    lee.see("Erased:")
    lee.page.get_by_text("A walk within two days.").wait_for(state="detached")  # Lee wrote the conflict plan
    kim.page.get_by_text("A walk within two days.").wait_for(state="detached")

    # --- the facilitator removes the couple ------------------------------------------------------------------------
    staff.click("Remove Kim & Lee…")
    staff.click("Remove them")
    kim.see("You've left this session")
    lee.see("You've left this session")
    kim.shot("removed")
    staff.shot("after-removal")
    axe += staff.axe("ended")
    assert axe == []
