"""What a facilitator and couples hit on their first live day (issue 16, "Live"), in real browsers.

A phone at 360 px shows a long step title in full in its header (wrapped, not cut), and its help confirmation
where the person looks: the help sheet comes into view at the top wherever the step was scrolled to, the
confirmation replaces the button that was tapped, and the message above the button bar is not hidden by it.

The console on a 360 px screen keeps Start, Back and Next at the top (a sticky bar), not 1,229 px down. A new
help request changes the console's title until it is acknowledged, beeps once the facilitator has used the page
(unless the sound is muted) and vibrates. With three couples, the demo's one-word question can never show a
result (8 answers needed, 6 people at most): the console says so before the step and on the question.

A retreat keeps what couples built: the boundary map of its first session shows, decrypted on both phones, in
its last session and in the takeaway (on screen, in the text file and in the phone's export), next to that
session's check-in plan; the ritual's calendar file carries a reminder and stays valid iCalendar.
"""

import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from realtime.models import CoupleEntry
from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, enter
from tests.e2e.conftest import login_cookie
from tests.e2e.test_feedback import _admit, _couple_by_http
from tests.e2e.test_keys import (
    SEALED,
    add_item,
    console,
    couple_of,
    go,
    menu,
    move_on_to_the_last_session,
    pair,
    retreat,
    step_index,
    walk_in,
    welcomed,
)
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"viewport": {"width": 360, "height": 740}}
# What the console's page asks of the browser's sound and vibration, recorded as it asks (the browser still plays
# and vibrates: these wrap the real calls).
RECORD_ALERTS = """
window.__tones = 0;
window.__vibrations = [];
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) { window.__tones += 1; return start.apply(this, args); };
const vibrate = navigator.vibrate ? navigator.vibrate.bind(navigator) : () => true;
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return vibrate(pattern); };
"""


def one_phone_couple(screens, server, code, first, second):
    phone = screens.open(first.lower(), server, **PHONE).goto(f"/live/?code={code}")
    enter(phone, first)
    phone.click("We share this one phone")
    phone.page.get_by_label("Your partner's first name or pseudonym").fill(second)
    phone.click("Use one phone")
    phone.see(f"Welcome, {first} and {second}")
    return phone


def box(locator):
    return locator.bounding_box()


def bars(phone):
    """The bottom of the phone's top bar and the top of its button bar: what shows between them is in view."""
    top = box(phone.page.locator(".live-top"))
    actions = box(phone.page.locator(".live-actions"))
    return top["y"] + top["height"], actions["y"]


def in_view_between_bars(phone, locator):
    shown = box(locator)
    top, bottom = bars(phone)
    return top <= shown["y"] and shown["y"] + shown["height"] <= bottom


# --- a phone at 360 px -------------------------------------------------------------------------------------------


def test_a_phone_shows_the_whole_step_title_and_its_help_confirmation_where_it_looks(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(["check-in-ground-rules"])
    steps = state_for(session).steps
    staff = screens.open("day1-console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")
    eve = one_phone_couple(screens, server, session.join_code, "Eve", "Finn")
    axe = []

    # The first step's title is longer than one line of the header: it wraps, nothing is cut.
    staff.page.keyboard.press("n")
    eve.see("Giving your conversations a home")
    where = eve.page.locator(".live-top .where")
    assert where.inner_text() == "Step 1 of 3 · Giving your conversations a home"
    assert where.evaluate("el => [el.scrollHeight <= el.clientHeight + 1, el.scrollWidth <= el.clientWidth]") == [
        True,
        True,
    ]
    line = float(where.evaluate("el => getComputedStyle(el).lineHeight").removesuffix("px"))
    assert box(where)["height"] > 1.5 * line  # on two lines
    eve.shot("header-two-lines")
    axe += eve.axe("header-two-lines")

    # At the check-in worksheet, read down to the bottom of the page, then ask for help from the button bar.
    go(staff, steps, step_index(steps, "worksheet"))
    eve.page.get_by_label("Add to “If we miss one”").wait_for()
    eve.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert eve.page.evaluate("window.scrollY") > 300
    eve.click("Help", exact=True)
    heading = eve.page.get_by_role("heading", name="Ask a facilitator")
    expect(heading).to_be_focused()
    assert in_view_between_bars(eve, heading)
    eve.click("Ask as a couple")
    confirmation = eve.page.get_by_text("You asked as a couple. A facilitator will come to you.")
    confirmation.wait_for()
    assert in_view_between_bars(eve, confirmation)
    message = eve.page.locator(".notice-item", has_text="A facilitator has been asked.")
    message.wait_for()
    assert box(message)["y"] + box(message)["height"] <= bars(eve)[1]  # above the button bar, not under it
    eve.shot("help-asked")
    axe += eve.axe("help-asked")

    staff.see("Asked as a couple.")
    staff.page.locator(".help-queue li").get_by_role("button", name="Acknowledge").click()
    confirmation = eve.page.get_by_text("You asked as a couple. A facilitator has seen it and is on the way.")
    confirmation.wait_for()
    assert in_view_between_bars(eve, confirmation)
    assert axe == []


# --- the console at 360 px ---------------------------------------------------------------------------------------

WORDS = "In one word, how are you arriving today?"  # arrival-pulse's third step, a one-word question
SAFE = "How safe does this room feel to you right now?"  # its second, a scale


def test_the_console_at_360_px_starts_and_advances_from_the_top_and_notices_help(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(["arrival-pulse", "naming-moments"])
    staff = screens.open("day1-console-360", server, cookie=login_cookie(facilitator), **NARROW)
    staff.context.add_init_script(RECORD_ALERTS)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")
    page = staff.page
    base_title = page.title()
    axe = []

    # Three couples walk in: Eve and Finn on one phone in a browser, two more through the JSON endpoints.
    eve = one_phone_couple(screens, server, session.join_code, "Eve", "Finn")
    _couple_by_http(server, session, ("Gil", True), ("Gia", True))
    _couple_by_http(server, session, ("Hal", True), ("Hana", True))
    for names in ("Eve", "Gil & Gia", "Hal & Hana"):
        _admit(staff, names)

    # Start sits at the top of the first screenful (the Now panel's own controls are for wide screens).
    page.evaluate("window.scrollTo(0, 0)")
    start = page.get_by_role("button", name="Start the session", exact=True)
    assert box(start)["y"] + box(start)["height"] <= 740
    assert page.get_by_role("button", name="Start the session (N)").count() == 0
    staff.shot("lobby-360")
    axe += staff.axe("lobby-360")
    start.click()
    eve.see("Welcome")  # the arrival pulse's first step

    # Scrolled to the bottom of the console, Next is still at the top of the screen.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 1000
    next_button = page.get_by_role("button", name="Next →", exact=True)
    shown = box(next_button)
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 740
    next_button.click()
    eve.see("How safe does this room feel?")

    # The scale question can show a result with three couples (5 answers); the one-word question next cannot,
    # and the console says so before it opens.
    page.get_by_text(SAFE).first.wait_for()
    assert page.locator(".fb-prompt", has_text=SAFE).locator(".fb-never").count() == 0
    warning = "Needs 8 answers; at most 6 people can answer (3 couples), so it can't show a result."
    staff.see("Next: One word for how you arrive")
    expect(page.locator(".callout.warn", has_text=warning)).to_have_count(1)
    staff.shot("poll-warning-in-advance")
    page.get_by_role("button", name="Next →", exact=True).click()
    eve.see("One word for how you arrive")
    expect(page.locator(".fb-prompt", has_text=WORDS).locator(".fb-never")).to_have_text(warning)
    staff.shot("poll-warning")
    axe += staff.axe("poll-warning")

    # A help request: the title counts it, a beep (the facilitator has clicked on the page) and a vibration.
    assert page.title() == base_title
    eve.click("Help", exact=True)
    eve.click("Ask as a couple")
    expect(page).to_have_title(f"(1) Help — {base_title}")
    page.wait_for_function("window.__tones > 0")
    assert page.evaluate("window.__vibrations.length") == 1
    page.get_by_role("link", name="Help: 1").click()
    page.locator(".help-queue li").get_by_role("button", name="Acknowledge").click()
    expect(page).to_have_title(base_title)
    tones = page.evaluate("window.__tones")

    # Muted: the next request changes the title and vibrates, but plays no sound; the choice stays on this device.
    page.get_by_label("Play a sound for a new help request").uncheck()
    eve.click("Ask just for me, privately")
    expect(page).to_have_title(f"(1) Help — {base_title}")
    page.wait_for_function("window.__vibrations.length === 2")
    assert page.evaluate("window.__tones") == tones
    page.reload()
    staff.see("Private: Eve")
    expect(page.get_by_label("Play a sound for a new help request")).not_to_be_checked()
    expect(page).to_have_title(f"(1) Help — {base_title}")  # still waiting after a reload
    assert axe == []


# --- a retreat keeps what couples built ---------------------------------------------------------------------------

MAP = {"Non-negotiables": "Ask before sharing photos of us", "Negotiables": "How late we stay at parties"}
CHECK_IN = {"When and where": "Sunday 10:00, the kitchen table, 30 minutes"}
# Longer than a calendar line (75 octets), with characters of more than one byte: folded, and unfolded intact.
RITUAL = "Friday tea on the balcony — one appreciation each; Sam starts, Ria closes with a plan for the week."


def test_a_retreat_keeps_its_worksheets_and_the_ritual_has_a_reminder(server, screens, builtin_library):
    sessions, facilitator = retreat([["boundary-map", "co-created-ritual"], ["breather"], ["check-in-ground-rules"]])
    first_session, _, last_session = sessions
    steps = state_for(first_session).steps
    axe = []

    # Session 1: Sam and Ria map their boundaries and design a ritual.
    staff = console(screens, server, facilitator, first_session)
    sam = walk_in(screens, server, "Sam", first_session.join_code)
    ria = walk_in(screens, server, "Ria", first_session.join_code)
    pair(sam, ria)
    welcomed(sam, ria, ("Sam", "Ria"))
    staff.page.keyboard.press("n")
    go(staff, steps, step_index(steps, "worksheet"))
    add_item(sam, "Non-negotiables", MAP["Non-negotiables"])
    add_item(ria, "Negotiables", MAP["Negotiables"])
    sam.see(MAP["Negotiables"])
    go(staff, steps, step_index(steps, "agreement", "ritual"))
    ria.page.get_by_label("What we do").fill(RITUAL)
    ria.page.get_by_label("How often").select_option("weekly")
    ria.page.get_by_label("The first time").fill("2031-01-03")
    ria.page.get_by_label("At (time)").fill("18:00")
    ria.click("Save our agreement")
    expect(sam.page.get_by_label("What we do")).to_have_value(RITUAL)
    staff.click("End the session…")
    staff.click("Yes, end it")
    sam.see("Thank you")
    sam.see("What we built together")

    # The ritual's calendar file: a reminder 15 minutes before, and valid iCalendar (CRLF lines of at most 75
    # octets, folded, that unfold to what Ria wrote).
    with sam.page.expect_download() as download:
        sam.click("Add our ritual to my calendar (.ics)")
    raw = Path(download.value.path()).read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    assert b"\r\n " in raw  # the description is folded
    event = next(c for c in Calendar.from_ical(raw).walk("VEVENT"))
    assert str(event["DESCRIPTION"]) == RITUAL
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    (alarm,) = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm["TRIGGER"].to_ical(), str(alarm["DESCRIPTION"])) == (
        "DISPLAY",
        b"-PT15M",
        "Our ritual",
    )

    # Session 3, later: the phones come back by its code; day one's map shows on both, opened with the couple key.
    move_on_to_the_last_session(sessions)
    last_steps = state_for(last_session).steps
    staff = console(screens, server, facilitator, last_session)
    for phone, name in ((sam, "Sam"), (ria, "Ria")):
        phone.goto(f"/live/?code={last_session.join_code}")
        phone.see(f"Welcome, {name} and")
        menu(phone, "Our agreements and worksheets")
        card = phone.page.locator(".worksheet-card", has_text="Build the shared map")
        expect(card.locator("dt")).to_have_text(["Non-negotiables", "Negotiables"])
        expect(card.locator("dd li")).to_have_text([MAP["Non-negotiables"], MAP["Negotiables"]])
        phone.see(RITUAL)
        assert phone.page.locator("[data-unreadable]").count() == 0
        phone.click("Back", exact=True)
    sam.shot("carried-worksheet")
    axe += sam.axe("carried-worksheet")

    # Session 3's own worksheet, the check-in plan, starts empty: day one's map is no part of it.
    staff.page.keyboard.press("n")
    go(staff, last_steps, step_index(last_steps, "worksheet"))
    ria.page.get_by_label("Add to “When and where”").wait_for()
    assert MAP["Non-negotiables"] not in ria.text()
    add_item(ria, "When and where", CHECK_IN["When and where"])
    sam.see(CHECK_IN["When and where"])
    staff.click("End the session…")
    staff.click("Yes, end it")

    # The takeaway: both worksheets, day one's first, on screen, in the text file and in the phone's export.
    for phone in (sam, ria):
        phone.see("Thank you")
        titles = phone.page.locator(".worksheet-card h3")
        expect(titles).to_have_text(["Build the shared map", "Write down your check-in"])
    sam.shot("takeaway-worksheets")
    axe += sam.axe("takeaway-worksheets")
    with sam.page.expect_download() as text:
        sam.click("Download as a file")
    saved = Path(text.value.path()).read_text()
    assert saved.index(MAP["Non-negotiables"]) < saved.index(CHECK_IN["When and where"])
    assert "Non-negotiables:\n  - Ask before sharing photos of us" in saved
    assert RITUAL in saved
    with sam.page.expect_download() as mine:
        sam.page.get_by_role("button", name="Download what I wrote").click()
    exported = json.loads(Path(mine.value.path()).read_text())
    items = [
        (e["step"], e["earlier_session"], e["content"]["text"]) for e in exported["entries"] if e["kind"] == "item"
    ]
    assert sorted(items) == sorted(
        [
            ("Build the shared map", True, MAP["Non-negotiables"]),
            ("Build the shared map", True, MAP["Negotiables"]),
            ("Write down your check-in", False, CHECK_IN["When and where"]),
        ]
    )

    # The server only ever held the worksheets sealed.
    rows = CoupleEntry.objects.filter(space__couple=couple_of("Sam"), kind="item")
    assert rows.count() == 3
    for row in rows:
        assert SEALED.match(row.payload), row.payload
        assert not [t for t in (*MAP.values(), *CHECK_IN.values()) if re.escape(t) in row.payload]
    assert axe == []
