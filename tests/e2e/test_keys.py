"""The couple key's life on real phones (issue 14; docs/privacy.md, sections 1 and 2).

A couple's content is sealed on its phones under the couple key, which lives in each phone's storage
(`attune.e2e.couple.<couple id>`) and travels only inside the pairing exchange. These tests follow that key:
across a retreat's sessions, to a phone that lost its storage and gets the key again from its partner's phone,
through both phones losing it (the couple starts afresh), and in one-phone mode, where it never leaves the one
phone and the database holds only sealed strings.
"""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from realtime.models import Couple, CoupleEntry, Participant
from realtime.services.session import state_for
from tests import factories
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter, type_pairing_code
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live
from workshops.models import Exercise, Session
from workshops.services import library, scheduling

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A payload as the server may hold it: `<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>` (docs/privacy.md).
SEALED = re.compile(r"^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+$")
HOUR = timezone.timedelta(hours=1)


# --- making data ----------------------------------------------------------------------------------------------------


def retreat(parts):
    """A published workshop of three sessions, one per part of its program (`parts`: exercise keys per part).
    Session 1 is under way now; sessions 2 and 3 come later the same day. Returns (sessions, facilitator)."""
    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    items = [
        {"exercise": Exercise.objects.get(organization=None, key=key).pk, "part": number}
        for number, keys in enumerate(parts, start=1)
        for key in keys
    ]
    program = library.program_create(organization=org, title="Retreat", items=items)
    workshop = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Retreat",
        timezone_name="UTC",
        capacity_couples=6,
        format="online",
        video_link="https://v.example/x",
    )
    now = timezone.now()
    sessions = [
        scheduling.session_create(workshop=workshop, starts_at=now + start, ends_at=now + start + HOUR)
        for start in (-5 * timezone.timedelta(minutes=1), 2 * HOUR, 4 * HOUR)
    ]
    scheduling.workshop_set_facilitators(workshop=workshop, users=[facilitator])
    scheduling.workshop_publish(workshop=workshop)
    return sessions, facilitator


def move_on_to_the_last_session(sessions):
    """The clock as the retreat's third session begins: sessions 1 and 2 are over (moved into the past, in their
    order), session 3 is under way, so it is the workshop's current session."""
    now = timezone.now()
    first, second, third = sessions
    # The clock moves, not the organizer: the rows are set directly (the service refuses a session in the past).
    for session, starts, ends in (
        (first, now - 6 * HOUR, now - 5 * HOUR),
        (second, now - 4 * HOUR, now - 3 * HOUR),
        (third, now - timezone.timedelta(minutes=5), now + 2 * HOUR),
    ):
        Session.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=ends)


def couple_of(name):
    return Participant.objects.get(display_name=name).couple


# --- driving the screens ------------------------------------------------------------------------------------------


def console(screens, server, facilitator, session):
    staff = screens.open(f"keys-console-{session.pk}", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")
    return staff


def walk_in(screens, server, name, join_code):
    # A British phone, so that the dates it shows are spelled as this test expects them.
    phone = screens.open(f"keys-{name}", server, locale="en-GB", timezone_id="UTC", **PHONE)
    phone.goto(f"/live/?code={join_code}")
    enter(phone, name)
    return phone


def pair(first, joiner):
    """The first phone shows a pairing code, the partner's phone types it, both confirm the same three words."""
    first.click("Show a code for my partner's phone")
    type_pairing_code(joiner, shown_code(first))
    confirm_words(first, joiner)


def shown_code(phone):
    return phone.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")


def welcomed(first, second, names):
    first.see(f"Welcome, {names[0]} and {names[1]}")
    second.see(f"Welcome, {names[1]} and {names[0]}")


def go(staff, steps, index, breakout=True):
    """The facilitator goes to step `index` (and opens its breakout, the couples' private time)."""
    staff.page.get_by_role("button", name=f"Go to step {index + 1}: {steps[index]['title']}", exact=True).click()
    staff.see(f"Now: step {index + 1} of")
    if breakout:
        staff.click("Open breakout (O)")
        staff.see("Couples are working in their private spaces.")


def step_index(steps, kind, detail=None):
    for index, step in enumerate(steps):
        config = step["config"]
        if step["kind"] == kind and detail in (None, config.get("agreement_kind"), config.get("answer_kind")):
            return index
    raise AssertionError(f"no {kind} {detail} step")


def menu(phone, item):
    phone.click("More", exact=True)
    phone.click(item)


def stored_key(phone, couple_id):
    """The couple key as this phone's storage holds it (None: this phone has none)."""
    return phone.page.evaluate(f"localStorage.getItem('attune.e2e.couple.{couple_id}')")


def lose_storage(phone):
    """The phone's storage is cleared (a new browser profile, "clear site data"), and the page opens again."""
    phone.page.evaluate("localStorage.clear(); sessionStorage.clear()")
    phone.page.reload()


def agreement_cards(phone):
    """The agreements the phone shows (its "Our agreements"), each as (title, [the texts of its fields])."""
    cards = phone.page.locator(".agreement-card")
    return [(card.get_by_role("heading").inner_text(), card.locator("dd").all_inner_texts()) for card in cards.all()]


def unreadable_note(phone):
    """The step's note on what this phone cannot show, and how many things it counts."""
    note = phone.page.locator("[data-unreadable]")
    note.wait_for()
    return note.inner_text(), int(note.get_attribute("data-unreadable"))


def key_missing(phone):
    return phone.page.get_by_role("heading", name="This phone doesn't hold your couple's key")


def give_key(giver, taker, from_taker_menu=False):
    """The key again by the pairing exchange: the giving phone shows a code from its menu, the phone without
    the key types it (opened from its KeyMissing banner, or from its own menu), both confirm the same words."""
    menu(giver, "Give our key to my partner's phone")
    if from_taker_menu:
        menu(taker, "Get our key from my partner's phone")
    else:
        taker.click("Type my partner's code")
    taker.page.get_by_label("The code on your partner's phone").fill(shown_code(giver))
    taker.click("Pair", exact=True)
    return confirm_words(giver, taker)


def add_item(phone, section, text):
    box = phone.page.get_by_label(f"Add to “{section}”")
    box.fill(text)
    box.press("Enter")


# --- 1. a retreat ---------------------------------------------------------------------------------------------------

TRIAL = "One phone-free evening a week, reviewed together on Sundays."
RITUAL = "Friday tea on the balcony: one appreciation each, Sam starts."


def test_a_retreats_agreements_from_session_1_show_decrypted_in_session_3_on_both_phones(
    server, screens, builtin_library
):
    sessions, facilitator = retreat([["trial-period", "co-created-ritual"], ["breather"], ["pause-signal"]])
    first_session, _, last_session = sessions
    steps = state_for(first_session).steps

    # Session 1: the couple pairs and writes two agreements, one on each phone.
    staff = console(screens, server, facilitator, first_session)
    sam = walk_in(screens, server, "Sam", first_session.join_code)
    ria = walk_in(screens, server, "Ria", first_session.join_code)
    pair(sam, ria)
    welcomed(sam, ria, ("Sam", "Ria"))
    staff.page.keyboard.press("n")
    go(staff, steps, step_index(steps, "agreement", "trial_period"))
    sam.page.get_by_label("What we'll try").fill(TRIAL)
    sam.page.get_by_label("The trial ends on").fill("2031-03-01")
    sam.click("Save our agreement")
    expect(ria.page.get_by_label("What we'll try")).to_have_value(TRIAL)
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
    ria.see("Thank you")
    couple = couple_of("Sam")
    key = stored_key(sam, couple.pk)
    assert key and stored_key(ria, couple.pk) == key

    # Later that day: session 3 is the workshop's current one. The phones enter it by its code, as the room's
    # screen shows it; they are the same participants in the same couple, with the key from session 1.
    move_on_to_the_last_session(sessions)
    last_steps = state_for(last_session).steps
    staff = console(screens, server, facilitator, last_session)
    expected = [
        ("Our trial period", [TRIAL, "Saturday, 1 March 2031"]),
        ("Our ritual", [RITUAL, "Every week", "Friday, 3 January 2031", "18:00"]),
    ]
    for phone, name in ((sam, "Sam"), (ria, "Ria")):
        phone.goto(f"/live/?code={last_session.join_code}")
        phone.see(f"Welcome, {name} and")
        menu(phone, "Our agreements")
        phone.see("Our trial period")
        assert agreement_cards(phone) == expected, phone.name
        assert phone.page.locator("[data-unreadable]").count() == 0
        assert stored_key(phone, couple.pk) == key  # no new pairing, no new key
        phone.click("Back", exact=True)
    staff.see("Sam & Ria")
    assert couple_of("Ria").pk == couple.pk

    # Session 3's own agreement step (the pause signal) starts empty and is written afresh. It is the third step
    # of its session, as the trial period was of session 1: session 1's agreement is no draft for it, and both
    # show side by side afterwards.
    staff.page.keyboard.press("n")
    go(staff, last_steps, step_index(last_steps, "agreement", "pause_signal"))
    for phone in (sam, ria):
        expect(phone.page.get_by_label("Our pause signal")).to_have_value("")
    sam.page.get_by_label("Our pause signal").fill("We say 'amber'.")
    sam.click("Save our agreement")
    expect(ria.page.get_by_label("Our pause signal")).to_have_value("We say 'amber'.")
    staff.click("End the session…")
    staff.click("Yes, end it")
    for phone in (sam, ria):
        phone.see("Thank you")
        phone.see("Our pause signal")
        shown = agreement_cards(phone)
        assert sorted(shown) == sorted([*expected, ("Our pause signal", ["We say 'amber'."])]), phone.name

    # Across both sessions the server only ever held the agreements sealed.
    rows = CoupleEntry.objects.filter(space__couple=couple, kind="agreement")
    assert sorted(rows.values_list("space__session", flat=True)) == sorted([first_session.pk] * 2 + [last_session.pk])
    for row in rows:
        assert SEALED.match(row.payload), row.payload
        assert not [text for text in (TRIAL, RITUAL, "amber") if text in row.payload]


def test_a_phone_reopened_during_a_retreats_later_session_enters_that_session(server, screens, builtin_library):
    """Opening the app again (no code typed, as a phone does the next morning) takes it to the workshop's current
    session, the next one not yet ended (realtime/app_views.py, `_current_session_of`), not back to the ended
    session it first joined by code."""
    sessions, _ = retreat([["trial-period"], ["breather"], ["pause-signal"]])
    sam = walk_in(screens, server, "Sam", sessions[0].join_code)
    sam.click("Continue alone for now")
    sam.see("Welcome, Sam")
    move_on_to_the_last_session(sessions)
    with sam.page.expect_websocket(lambda socket: "/ws/live/" in socket.url) as opened:
        sam.goto("/live/")
    assert opened.value.url.endswith(f"/ws/live/{sessions[2].pk}/"), opened.value.url


# --- 2. one phone lost its storage ------------------------------------------------------------------------------

NON_NEGOTIABLE = "Ask before sharing photos of us"
NEGOTIABLE = "How often we see friends on weekdays"
NO_KEY = "This phone doesn't hold the key to read this."
OTHER_KEY = "This was written with a key this phone doesn't hold."


def paired_at_the_worksheet(server, screens, names):
    """Two walk-ins pair by code; the facilitator runs the boundary map up to its shared worksheet, whose
    breakout is open. Returns (staff, first phone, second phone)."""
    session, facilitator, _ = _custom_live(["boundary-map"])
    steps = state_for(session).steps
    staff = console(screens, server, facilitator, session)
    first = walk_in(screens, server, names[0], session.join_code)
    second = walk_in(screens, server, names[1], session.join_code)
    pair(first, second)
    welcomed(first, second, names)
    staff.see(" & ".join(names))
    staff.page.keyboard.press("n")
    go(staff, steps, step_index(steps, "worksheet"))
    return staff, first, second


def test_a_phone_that_lost_its_storage_gets_the_key_again_from_its_partners_phone(server, screens, builtin_library):
    staff, ana, ben = paired_at_the_worksheet(server, screens, ("Ana", "Ben"))
    couple = couple_of("Ana")
    add_item(ana, "Non-negotiables", NON_NEGOTIABLE)
    add_item(ben, "Negotiables", NEGOTIABLE)
    for phone in (ana, ben):
        phone.see(NON_NEGOTIABLE)
        phone.see(NEGOTIABLE)
    key = stored_key(ana, couple.pk)
    assert key and stored_key(ben, couple.pk) == key

    # Ben's phone loses its storage: it is still Ben (his sign-in is a cookie), but it has no key. It says so,
    # and says in words that the two items can't be shown; their text is nowhere on it.
    lose_storage(ben)
    expect(key_missing(ben)).to_be_visible()
    assert unreadable_note(ben) == (f"2 things here can't be shown on this phone. {NO_KEY}", 2)
    assert NON_NEGOTIABLE not in ben.text() and NEGOTIABLE not in ben.text()
    assert stored_key(ben, couple.pk) is None
    ben.shot("key-missing")

    # Ana's phone gives the key by the pairing exchange; both confirm the same words.
    give_key(ana, ben)
    ben.see(NON_NEGOTIABLE)
    ben.see(NEGOTIABLE)
    expect(key_missing(ben)).to_have_count(0)
    assert ben.page.locator("[data-unreadable]").count() == 0
    assert stored_key(ben, couple.pk) == key  # the couple's own key, not a new one: Ana still reads everything
    ana.see(NON_NEGOTIABLE)
    assert ana.page.locator("[data-unreadable]").count() == 0

    # Still the same couple of the same two: one card on the console, both phones online, no new rows.
    cards = staff.page.locator(".couple-card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator(".names")).to_have_text("Ana & Ben")
    expect(cards.first).to_contain_text("2 phones online")
    assert couple_of("Ben").pk == couple.pk
    assert sorted(Participant.objects.filter(couple=couple).values_list("display_name", flat=True)) == ["Ana", "Ben"]
    assert Couple.objects.filter(workshop=couple.workshop).count() == 1

    # Ben's phone writes again under the same key, and Ana reads it.
    ben.click(f"Edit: {NEGOTIABLE}")
    ben.page.get_by_label("Edit this item").fill("How often we see friends, and which ones")
    ben.click("Save", exact=True)
    ana.see("How often we see friends, and which ones")


# --- 3. both phones lost their storage ---------------------------------------------------------------------------


def test_when_both_phones_lost_the_key_the_couple_starts_afresh(server, screens, builtin_library):
    staff, kim, lee = paired_at_the_worksheet(server, screens, ("Kim", "Lee"))
    couple = couple_of("Kim")
    add_item(kim, "Non-negotiables", NON_NEGOTIABLE)
    lee.see(NON_NEGOTIABLE)
    old_key = stored_key(kim, couple.pk)

    # Both phones lose their storage: neither can read what they wrote, and both say so.
    lose_storage(kim)
    lose_storage(lee)
    for phone in (kim, lee):
        expect(key_missing(phone)).to_be_visible()
        assert unreadable_note(phone) == (f"One thing here can't be shown on this phone. {NO_KEY}", 1)

    # Kim starts afresh: a new key on her phone. The earlier item stays unreadable, now because it was sealed
    # with a key this phone doesn't hold, and the banner says so before she chooses.
    expect(kim.page.get_by_text("what you wrote before can't be read any more, by anyone")).to_be_visible()
    kim.click("Neither of us has it: start afresh")
    expect(key_missing(kim)).to_have_count(0)
    new_key = stored_key(kim, couple.pk)
    assert new_key and new_key != old_key
    expect(kim.page.locator("[data-unreadable]")).to_have_text(
        f"One thing here can't be shown on this phone. {OTHER_KEY}"
    )

    # New content works on Kim's phone; Lee's phone, still without a key, can't show it either.
    add_item(kim, "Negotiables", NEGOTIABLE)
    kim.see(NEGOTIABLE)
    expect(lee.page.locator("[data-unreadable]")).to_have_attribute("data-unreadable", "2")
    assert NEGOTIABLE not in lee.text()

    # Lee's phone gets the new key from Kim's by the exchange (this time from its menu), and reads the new item
    # (the old one stays unreadable on both phones: nobody holds its key).
    give_key(kim, lee, from_taker_menu=True)
    lee.see(NEGOTIABLE)
    assert stored_key(lee, couple.pk) == new_key
    for phone in (kim, lee):
        expect(phone.page.locator("[data-unreadable]")).to_have_text(
            f"One thing here can't be shown on this phone. {OTHER_KEY}"
        )
        assert NON_NEGOTIABLE not in phone.text()
    expect(key_missing(lee)).to_have_count(0)
    expect(staff.page.locator(".couple-card .names")).to_have_text(["Kim & Lee"])

    # And Lee's phone writes under the new key, which Kim's reads.
    add_item(lee, "To revisit", "Photos from the wedding, next spring")
    kim.see("Photos from the wedding, next spring")


# --- 4. one phone for both -----------------------------------------------------------------------------------------

ANSWER_ANA = "I went along with the trip quietly and then felt far away all evening."
ANSWER_BEN = "I booked the table without asking and noticed it only afterwards."


def answer_privately(phone, text):
    """On the shared phone: whoever holds it writes their private answer."""
    phone.page.get_by_role("textbox").fill(text)
    phone.click("Save my answer")


def test_one_phone_for_both_keeps_the_key_and_the_database_holds_only_sealed_strings(server, screens, builtin_library):
    session, facilitator, _ = _custom_live(["naming-moments"])
    steps = state_for(session).steps
    staff = console(screens, server, facilitator, session)
    phone = walk_in(screens, server, "Ana", session.join_code)
    phone.click("We share this one phone")
    phone.page.get_by_label("Your partner's first name or pseudonym").fill("Ben")
    phone.click("Use one phone")
    phone.see("Welcome, Ana and Ben")
    couple = couple_of("Ana")
    key = stored_key(phone, couple.pk)
    assert key  # made on this phone

    # Both write a private answer on the one phone, handing it over in between; both show side by side.
    staff.page.keyboard.press("n")
    go(staff, steps, step_index(steps, "answer_reveal", "text"))
    phone.see("Ana, this page is just for you.")
    answer_privately(phone, ANSWER_ANA)
    phone.see("Saved.")
    phone.click("I'm done: hand over to Ben")
    phone.see("Hand the phone to Ben")
    assert ANSWER_ANA not in phone.text()  # hidden from Ben before he writes his
    phone.click("I'm Ben: show my page")
    phone.see("Ben, this page is just for you.")
    answer_privately(phone, ANSWER_BEN)
    phone.see("Your answers, side by side")

    def both_answers_shown():
        reveal = phone.page.locator(".reveal")
        expect(reveal).to_contain_text(ANSWER_ANA)
        expect(reveal).to_contain_text(ANSWER_BEN)

    both_answers_shown()

    # After a reload the phone opens them again with the key it kept (the server sends only sealed strings).
    phone.page.reload()
    phone.see("Your answers, side by side")
    both_answers_shown()
    assert stored_key(phone, couple.pk) == key
    assert phone.page.locator("[data-unreadable]").count() == 0

    # The key never left the phone: no pairing exchange ran for this couple. The database holds the two answers
    # as sealed strings, neither answer in the clear.
    assert not couple.pairing_requests.exists()
    rows = list(CoupleEntry.objects.filter(space__couple=couple, kind="answer"))
    assert len(rows) == 2
    for row in rows:
        assert SEALED.match(row.payload), row.payload
    stored = json.dumps([list(r.__dict__.values()) for r in rows], default=str)
    assert ANSWER_ANA not in stored and ANSWER_BEN not in stored
    assert "far away" not in stored and "booked the table" not in stored
