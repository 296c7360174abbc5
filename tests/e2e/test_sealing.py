"""The couple's ciphertext against a server that cheats, in real browsers (docs/privacy.md, sections 1 and 2).

A server that swaps the pairing exchange's public keys (rewritten here at the server's edge, in the responses the
phones receive) makes the two phones show different words and delivers no key, even to partners who confirm
anyway. A ciphertext the database moves to another entry or step, or an old version it serves again as the
current one, is refused by the phone, which says so in words and keeps working."""

import base64
import json
import secrets

import pytest
from django.db import connections

from realtime.exchange import commitment_of
from realtime.models import CoupleEntry, Participant
from realtime.services.session import state_for
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter, type_pairing_code
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECTION = "Add to “Non-negotiables”"  # boundary-map's worksheet
NEXT_SECTION = "Add to “Goals we share”"  # goals-to-actions' worksheet


def _attacker_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def _swap_keys(screen, rewrite):
    """Every pairing response this phone receives passes through `rewrite(pairing)` first, as from a server that
    lies to it."""

    def handle(route):
        response = route.fetch()
        body = response.json()
        for pairing in (body, body.get("pending")):
            if isinstance(pairing, dict) and "creator_key" in pairing:
                rewrite(pairing)
        route.fulfill(response=response, body=json.dumps(body))

    screen.page.route("**/live/api/**pair/**", handle)


def _two_phones(screens, server, session):
    ana = screens.open("ana", server, **PHONE).goto(f"/live/?code={session.join_code}")
    enter(ana, "Ana")
    ben = screens.open("ben", server, **PHONE).goto("/live/")
    enter(ben, "Ben", code=session.join_code)
    return ana, ben


def _show_and_type_code(ana, ben):
    ana.click("Show a code for my partner's phone")
    code = ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")
    type_pairing_code(ben, code)


def test_a_server_that_swaps_the_pairing_keys_makes_the_words_differ_and_delivers_no_key(
    server, screens, builtin_library
):
    session, _, _ = _custom_live(["pause-signal"])
    ana, ben = _two_phones(screens, server, session)
    # The server in the middle: to Ana it presents a key of its own as Ben's (with a commitment to match it, which
    # it can make), to Ben a key of its own as Ana's.
    as_ben, as_ana = _attacker_key(), _attacker_key()

    def to_ana(pairing):
        if pairing["joiner_key"]:
            pairing["joiner_key"], pairing["commitment"] = as_ben, commitment_of(as_ben)

    def to_ben(pairing):
        if pairing["creator_key"]:
            pairing["creator_key"] = as_ana

    _swap_keys(ana, to_ana)
    _swap_keys(ben, to_ben)
    _show_and_type_code(ana, ben)
    ana.see("Check the three words")
    ben.see("Check the three words")
    words_ana = ana.page.get_by_role("list", name="Pairing words").inner_text()
    words_ben = ben.page.get_by_role("list", name="Pairing words").inner_text()
    assert words_ana != words_ben

    # Even partners who confirm different words get no shared key: Ana's phone wraps the couple key for the
    # exchange it ran, which Ben's phone cannot open, so it refuses to pair.
    ana.click("Yes, the words match")
    ben.click("Yes, the words match")
    ben.see("Your phones did not agree on the same words, so no key was shared")
    couple_id = Participant.objects.get(display_name="Ana").couple_id
    assert ben.page.evaluate(f"localStorage.getItem('attune.e2e.couple.{couple_id}')") is None
    assert Participant.objects.get(display_name="Ben").couple_id is None
    assert ana.page.evaluate(f"localStorage.getItem('attune.e2e.couple.{couple_id}')") is not None


def _pair(ana, ben):
    _show_and_type_code(ana, ben)
    confirm_words(ana, ben)
    ana.see("Welcome, Ana and Ben")
    ben.see("Welcome, Ben and Ana")


def _go_to(staff, index):
    staff.page.get_by_role("button", name=f"Go to step {index + 1}:", exact=False).click()
    staff.click("Open breakout (O)")


def _add_item(screen, text, section=SECTION):
    box = screen.page.get_by_label(section)
    box.fill(text)
    box.press("Enter")


def _items_in_order():
    """The worksheet's rows in the order they were written (which holds what: the test wrote them; the server can
    only count them)."""
    return list(CoupleEntry.objects.filter(kind="item").order_by("pk"))


def _unreadable(screen):
    note = screen.page.locator("[data-unreadable]")
    note.wait_for()
    return int(note.get_attribute("data-unreadable")), note.inner_text()


def _serve(entry_pk, payload):
    """Whoever holds the database puts `payload` in a row; the server then serves it (the test lets go of its
    connection so the change is committed and visible)."""
    CoupleEntry.objects.filter(pk=entry_pk).update(payload=payload)
    connections.close_all()


def test_a_ciphertext_moved_to_another_entry_or_step_or_an_old_version_served_again_is_refused(
    server, screens, builtin_library
):
    session, facilitator, _ = _custom_live(["boundary-map", "goals-to-actions"])
    steps = state_for(session).steps
    first, second = [i for i, s in enumerate(steps) if s["kind"] == "worksheet"][:2]
    staff = screens.open("console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")
    ana, ben = _two_phones(screens, server, session)
    _pair(ana, ben)
    staff.page.keyboard.press("n")
    _go_to(staff, first)
    _add_item(ana, "Alpha: no surprises")
    ben.see("Alpha: no surprises")
    _add_item(ana, "Beta: ask first")
    ben.see("Beta: ask first")
    alpha, beta = _items_in_order()

    # Moved to another entry: Beta's row now holds Alpha's ciphertext.
    _serve(beta.pk, alpha.payload)
    ben.page.reload()
    count, text = _unreadable(ben)
    assert count == 1 and "changed or moved" in text
    assert ben.page.get_by_text("Alpha: no surprises").count() == 1  # shown once: in its own place only
    _serve(beta.pk, beta.payload)

    # An old version served again as the current one: Ana edits Alpha (version 2); the database then serves
    # version 1's ciphertext under version 2.
    ana.click("Edit: Alpha: no surprises")
    ana.page.get_by_label("Edit this item").fill("Alpha: no surprises, ever")
    ana.click("Save", exact=True)
    ben.see("Alpha: no surprises, ever")
    _serve(alpha.pk, alpha.payload)
    ben.page.reload()
    count, text = _unreadable(ben)
    assert count == 1 and "changed or moved" in text
    assert ben.page.get_by_text("Alpha: no surprises").count() == 0
    ben.see("Beta: ask first")  # the rest of the step still works

    # Moved to another step: the next worksheet step gets a row with Beta's ciphertext, key, scope and version.
    _go_to(staff, second)
    beta.refresh_from_db()
    CoupleEntry.objects.create(
        space=beta.space,
        step_index=second,
        kind="item",
        key=beta.key,
        scope=beta.scope,
        payload=beta.payload,
        version=beta.version,
        author=beta.author,
    )
    connections.close_all()
    ben.page.reload()
    count, _ = _unreadable(ben)
    assert count == 1
    assert ben.page.get_by_text("Beta: ask first").count() == 0
    _add_item(ben, "Gamma: still writing", NEXT_SECTION)  # and the phone keeps working
    ana.see("Gamma: still writing")
