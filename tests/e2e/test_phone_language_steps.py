"""One couple, two languages: Kim's phone reads German, Lee's English, the facilitator's console English (issue 17).

The couple enters by its invitation link and pairs in English; Kim then switches to German with the language
menu at the end of the live page (kept on her phone only). The facilitator goes through every step kind: an
instruction, a private reflection, a shared worksheet, answers on a scale, a choice and in words (with their
reveal), a turn-taking dialogue, the four agreements, a break and an anonymous poll; Kim also opens the help
and menu sheets and raises the pause signal, and after the end is asked the organization's survey. On every
one of Kim's screens no English text of the live apps' catalog is left, in its text or its elements' labels
(tests/e2e/languages.py), nothing is wider than her 360 px screen, and axe-core finds no serious violation;
Lee's phone keeps showing English.

Kim works her screens by the phone app's own texts (German here) and by structure; the step content the server
sends (titles, prompts, options, agreement fields) is written on Lee's English phone, so the test holds whatever
language that content comes in.
"""

import pytest

from feedback.models import Survey
from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter
from tests.e2e.conftest import login_cookie
from tests.e2e.languages import english_left_on, rendered_text
from tests.e2e.test_step_kinds import _index
from tests.realtime.conftest import _custom_live
from workshops.services import enrollment as enrollment_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRAM = [
    "boundary-map",  # instruction, reflection, worksheet, a scale answer
    "emotion-labeling",  # a choice answer, a dialogue
    "trial-period",  # the trial agreement, an answer in words
    "pause-signal",
    "co-created-ritual",
    "conflict-pre-agreement",
    "breather",  # a break, a scale poll
]
SURVEY = [
    {"kind": "single", "question": "Would you come again?", "options": ["Yes", "Maybe", "No"]},
    {"kind": "words", "question": "One word for today?"},
]
WIDTH = PHONE["viewport"]["width"]


class GermanScreens:
    """What every screen of the German phone is checked for, gathered to be asserted once at the end."""

    def __init__(self, phone):
        self.phone = phone
        self.english = []
        self.overflow = []
        self.axe = []

    def check(self, label):
        self.phone.shot(f"de-{label}")
        left = english_left_on(rendered_text(self.phone.page))
        if left:
            self.english.append((label, left))
        width = self.phone.page.evaluate("document.scrollingElement.scrollWidth")
        if width > WIDTH:
            self.overflow.append((label, width, _widest(self.phone.page)))
        self.axe += self.phone.axe(f"de-{label}")


def _widest(page):
    """The elements that reach past the screen's right edge, for the failure message."""
    return page.evaluate(
        """width => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}px`)""",
        WIDTH,
    )


def test_one_couple_two_languages_through_every_step_kind(server, screens, builtin_library):
    session, facilitator, org = _custom_live(PROGRAM)
    Survey.objects.create(organization=org, title="After the session", prompts=SURVEY)
    steps = state_for(session).steps
    _, token = enrollment_services.registration_submit(
        workshop=session.workshop, contact_email="kim@example.test", display_name="Kim"
    )

    staff = screens.open("languages-console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")

    kim = screens.open("languages-kim", server, **PHONE).goto(f"/i/{token}")
    kim.page.get_by_role("link", name="Join the live session").click()
    enter(kim, "Kim", feedback=True)
    lee = screens.open("languages-lee", server, **PHONE).goto(f"/i/{token}")
    lee.page.get_by_role("link", name="Join the live session").click()
    enter(lee, "Lee")
    confirm_words(kim, lee)
    kim.see("Welcome, Kim and Lee")

    # --- Kim switches her phone to German with the menu at the end of the live page ------------------------------
    kim.page.get_by_label("Language").select_option("de")
    kim.see("Willkommen, Kim und Lee")
    assert kim.page.locator("html").get_attribute("lang") == "de"
    assert lee.page.locator("html").get_attribute("lang") == "en"
    german = GermanScreens(kim)
    german.check("lobby")
    lee.page.reload()
    lee.see("Welcome, Lee and Kim")  # the partner's phone keeps its own language
    assert english_left_on(lee.text()), "the English phone shows the catalog's English (the check can fail)"

    def go(kind, detail=None, breakout=True):
        index = _index(steps, kind, detail)
        staff.page.get_by_role("button", name=f"Go to step {index + 1}: {steps[index]['title']}", exact=True).click()
        staff.see(f"Now: step {index + 1} of")
        if breakout:
            staff.click("Open breakout (O)")
            staff.see("Couples are working in their private spaces.")
        return index

    # --- an instruction; the help and menu sheets; the pause signal -----------------------------------------------
    staff.page.keyboard.press("n")  # the session starts with its first step, an instruction
    assert steps[0]["kind"] == "instruction"
    kim.see(f"Schritt 1 von {len(steps)}")
    kim.see("Gemeinsam ·")
    german.check("instruction")
    kim.click("Hilfe", exact=True)
    kim.see("Als Paar rufen")
    german.check("help")
    kim.click("Schließen", exact=True)
    kim.click("Mehr", exact=True)
    kim.see("Unsere Vereinbarungen und Arbeitsblätter")
    german.check("menu")
    kim.click("Schließen", exact=True)
    kim.click("Pause", exact=True)
    kim.see("Du hast um eine Pause gebeten")
    lee.see("Kim asked for a pause")
    german.check("pause")
    kim.click("Wir können weitermachen")

    # --- a private reflection -------------------------------------------------------------------------------------
    go("reflection")
    kim.see("Persönliche Reflexion ·")
    kim.page.get_by_role("textbox").first.fill("Kim's own note.")
    kim.see("Gespeichert.")
    german.check("reflection")

    # --- a shared worksheet: Lee adds, Kim edits ------------------------------------------------------------------
    go("worksheet")
    lee.page.get_by_label("Add to “Non-negotiables”").fill("Ask before sharing photos")
    lee.page.get_by_label("Add to “Non-negotiables”").press("Enter")
    kim.see("Ask before sharing photos")
    kim.see("Ihr seht und bearbeitet diese Liste beide.")
    german.check("worksheet")
    kim.click("Bearbeiten: Ask before sharing photos")
    kim.page.get_by_label("Diesen Eintrag bearbeiten").fill("Always ask before sharing photos")
    german.check("worksheet-edit")
    kim.click("Speichern", exact=True)
    lee.see("Always ask before sharing photos")

    # --- answers on a scale: Kim's waits for Lee's, then both show ------------------------------------------------
    go("answer_reveal", "scale")
    german.check("answer-scale")
    kim.page.get_by_role("radio", name="4", exact=True).check()
    kim.click("Antwort speichern")
    kim.see("Deine Antwort ist angekommen:")
    kim.see("Warten, bis Lee antwortet oder auslässt…")
    german.check("answer-waiting")
    lee.page.get_by_role("radio", name="2", exact=True).check()
    lee.click("Save my answer")
    kim.see("Beide Antworten")
    kim.see("2 auf einer Skala von")
    lee.see("4 on a scale from")
    german.check("answer-revealed")

    # --- a choice: Lee passes, Kim keeps hers back --------------------------------------------------------------
    go("answer_reveal", "choice")
    kim.page.get_by_role("radio").first.check()
    kim.click("Antwort speichern")
    lee.click("Pass", exact=True)
    kim.see("Ausgelassen")
    kim.page.get_by_label("Meine Antwort zurückhalten").check()
    lee.see("Kim kept their answer back.")
    german.check("answer-choice-kept-back")

    # --- an answer in words ---------------------------------------------------------------------------------------
    go("answer_reveal", "text")
    kim.page.get_by_role("textbox").fill("We laugh more.")
    german.check("answer-text")
    kim.click("Antwort speichern")
    lee.page.get_by_role("textbox").fill("Fewer late nights.")
    lee.click("Save my answer")
    kim.see("Fewer late nights.")
    german.check("answer-text-revealed")

    # --- a turn-taking dialogue -----------------------------------------------------------------------------------
    go("dialogue")
    kim.see("So wechselt ihr euch ab")
    german.check("dialogue")
    kim.click("Los: Ich spreche zuerst")
    kim.see("Du sprichst")
    lee.see("Kim speaks; you listen")
    kim.see("Runde 1 von 2")
    german.check("dialogue-speaking")
    lee.click("Swap roles")
    kim.see("Lee spricht, du hörst zu")
    german.check("dialogue-listening")

    # --- the four agreements: Lee writes the trial, Kim reads them all -------------------------------------------
    go("agreement", "trial_period")
    lee.page.get_by_label("What we'll try").fill("One phone-free evening a week.")
    lee.click("Save our agreement")
    lee.see("Saved.")
    kim.see("Unsere Vereinbarung speichern")
    german.check("agreement-trial")
    for kind in ("pause_signal", "ritual", "conflict_plan"):
        go("agreement", kind)
        kim.see("Ihr schreibt das gemeinsam; beide Handys zeigen die gespeicherte Fassung.")
        german.check(f"agreement-{kind}")

    # --- a break and an anonymous poll ----------------------------------------------------------------------------
    go("break", breakout=False)
    staff.click("Start timer (T)")
    kim.see("Weiter in")
    german.check("break")
    go("poll", breakout=False)
    kim.see("Anonym:")
    german.check("poll")
    kim.page.get_by_role("radio", name="4", exact=True).check()
    kim.click("Antwort senden")
    kim.see("Danke! Deine anonyme Antwort ist angekommen.")
    german.check("poll-answered")
    lee.see("You chose not to give anonymous feedback")

    # --- the end: the survey, and what the couple keeps -------------------------------------------------------------
    staff.click("End the session…")
    staff.click("Yes, end it")
    kim.see("Ein paar anonyme Fragen zum heutigen Tag")
    kim.see("Das nimmst du mit.")
    lee.see("Here is what you keep.")
    german.check("ended-survey")

    assert german.english == [], "English left on the German phone"
    assert german.overflow == [], "wider than the 360 px screen"
    assert german.axe == []
