"""Each phone in its own language, from the join screen to the three words (issue 17).

Two partners of one couple: Ana's phone chooses German on the join screen (Django's language cookie, this phone
only), Ben's stays in English. Screen by screen (joining, consent and its two refusals, the name, the pairing
choices, one phone for both, typing a code, the three words, waiting for the partner), the German phone shows
none of the live apps' English texts (locale/de/LC_MESSAGES/djangojs.po's msgids, visible text and aria-label,
title, placeholder, alt alike) while the English phone's same screen does show some; nothing is wider than the
phone; and both phones show the same three words, which stay as they are in every language."""

import pytest

from tests.e2e.browser import PHONE
from tests.e2e.languages import english_left_on, rendered_text
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def _in_german(label, german, english=None):
    """The German phone's screen has no English text of the catalog left (and the English phone's same screen,
    when there is one, has some: the check can fail), fits the phone, and says it is German."""
    if english is not None:
        assert english_left_on(rendered_text(english.page)), f"{label}: the English phone shows no catalog text"
    left = english_left_on(rendered_text(german.page))
    assert left == [], f"{label}: English left on the German phone: {left}"
    assert not german.page.evaluate(WIDER_THAN_THE_SCREEN), f"{label}: wider than the phone"
    assert german.page.evaluate("document.documentElement.lang") == "de"


def test_a_german_and_an_english_phone_enter_and_pair_each_in_its_own_language(server, screens, builtin_library):
    session, _, _ = _custom_live(["pause-signal"])
    ben = screens.open("english-phone", server, **PHONE).goto("/live/")
    ana = screens.open("german-phone", server, **PHONE).goto("/live/")
    ben.see("Join a live session")
    ana.page.get_by_label("Language").select_option("de")
    ana.see("An einer Live-Session teilnehmen")
    assert "Join a live session" in ben.text()  # her choice is her phone's alone
    _in_german("join", ana, ben)

    ben.page.get_by_label("Session code").fill(session.join_code)
    ben.click("Join", exact=True)
    ana.page.get_by_label("Code der Session").fill(session.join_code)
    ana.click("Teilnehmen", exact=True)
    ben.see("Before you start")
    ana.see("Bevor es losgeht")
    _in_german("consent", ana, ben)
    # Each language stresses its own words of the sentence (the catalog keeps <strong> inside it).
    assert ana.page.locator("#feedback-note strong").inner_text() == "kann später nicht gelöscht werden"
    assert ben.page.locator("#feedback-note strong").inner_text() == "cannot be erased later"
    axe = ana.axe("consent")

    # The consent's two refusals: no first box, then no name.
    ben.click("Enter the session")
    ana.click("Zur Session")
    ben.see("To take part, tick the first box.")
    ana.see("Wenn du teilnehmen möchtest, setz das erste Häkchen.")
    _in_german("consent without the first box", ana, ben)
    ben.page.get_by_label("I want to take part").check()
    ana.page.get_by_label("Ich möchte teilnehmen").check()
    ana.page.get_by_label("Ich möchte auch anonymes Feedback geben").check()
    ben.click("Enter the session")
    ana.click("Zur Session")
    ben.see("Give a first name or a pseudonym.")
    ana.see("Gib einen Vornamen oder ein Pseudonym ein.")
    _in_german("consent without a name", ana, ben)
    ben.page.get_by_label("Your first name or a pseudonym").fill("Ben")
    ana.page.get_by_label("Dein Vorname oder ein Pseudonym").fill("Ana")
    ben.click("Enter the session")
    ana.click("Zur Session")

    ben.see("Pair with your partner")
    ana.see("Koppelt eure Handys")
    ana.see("Hallo Ana!")
    _in_german("pairing choices", ana, ben)
    assert ana.page.get_by_label("Sprache").input_value() == "de"  # the language can still be changed here
    axe += ana.axe("pairing choices")

    ben.click("We share this one phone")
    ana.click("Wir teilen uns dieses eine Handy")
    ben.see("One phone for both of you")
    ana.see("Ein Handy für euch beide")
    _in_german("one phone for both", ana, ben)
    ben.click("Back to the pairing choices")
    ana.click("Zurück zur Auswahl")

    ben.click("Type the code from my partner's phone")
    ana.click("Code vom anderen Handy eingeben")
    ben.page.get_by_label("The code on your partner's phone").wait_for()
    ana.page.get_by_label("Der Code auf dem anderen Handy").wait_for()
    _in_german("typing a code", ana, ben)
    ben.click("Back to the pairing choices")

    # Ben's phone shows a code; Ana's types it. Both show the same three words, in whichever language.
    ben.click("Show a code for my partner's phone")
    code = ben.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")
    ana.page.get_by_label("Der Code auf dem anderen Handy").fill(code)
    ana.click("Koppeln", exact=True)
    ben.see("Check the three words")
    ana.see("Vergleicht die drei Wörter")
    words = ben.page.get_by_role("list", name="Pairing words").inner_text()
    assert ana.page.get_by_role("list", name="Erkennungswörter").inner_text() == words
    assert len(words.split()) == 3
    _in_german("the three words", ana, ben)
    axe += ana.axe("the three words")

    ana.click("Ja, die Wörter stimmen überein")
    ana.see("Warten auf dein Gegenüber")
    assert ana.page.get_by_role("list", name="Erkennungswörter").inner_text() == words
    _in_german("waiting for the partner", ana)
    ben.click("Yes, the words match")
    # Paired: each phone greets the couple in its own language (the "paired" notice itself lasts only seconds).
    ana.see("Willkommen, Ana und Ben")
    ben.see("Welcome, Ben and Ana")
    assert axe == []
