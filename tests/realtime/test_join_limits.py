"""Limits on the live JSON endpoints and the pairing link, through the real views: join codes and participants
per client address (room-sized), pairing codes per client across participants and per participant."""

import re

import pytest
from django.db.models import Count
from django.test import Client, override_settings
from django.utils import timezone

from bench import sealed
from realtime.models import Couple, Participant
from tests import factories
from tests.realtime.phones import Device

pytestmark = pytest.mark.django_db(transaction=True)

VENUE = "203.0.113.1"  # one venue NAT: every phone in the room has this address
TEN_MINUTES = "Too many tries. Try again in 10 minutes."


def _without_language_menu(response):
    """The page but its language menu, which carries a fresh CSRF token and the page's own address back (the code
    its opener typed): neither tells a live code from a dead one."""
    return re.sub(r'<form class="inline language-choice".*?</form>', "", response.content.decode(), flags=re.S)


@pytest.fixture
def live_session():
    ws = factories.published_workshop(capacity=50)
    session = ws.sessions.get()
    session.starts_at = timezone.now() - timezone.timedelta(minutes=5)
    session.save(update_fields=["starts_at"])
    return session


def phone(address=VENUE, **headers):
    device = Device()
    device.client = Client(REMOTE_ADDR=address, **headers)
    return device


def enter(device, session, name):
    return device.post("/live/api/enter", {"session_id": session.pk, "consent": True, "display_name": name})


def join(device, session, code=None):
    """A typed code (or, without one, the QR link's), with the commitment to the phone's key."""
    body = {"session_id": session.pk, "commitment": sealed.Exchange().commitment}
    return device.post("/live/api/pair/join", body if code is None else {**body, "code": code})


def assert_limited(response, words=TEN_MINUTES):
    assert response.status_code == 429
    assert 540 < int(response["Retry-After"]) <= 600
    assert response.json() == {"code": "rate_limited", "message": words, "retry_after": int(response["Retry-After"])}


def test_a_room_of_forty_couples_behind_one_address_joins_enters_and_pairs_by_qr_within_the_limits(live_session):
    statuses = []
    for n in range(40):
        first, second = phone(), phone()
        statuses.append(first.post("/live/api/join/code", {"code": live_session.join_code}).status_code)
        statuses.append(enter(first, live_session, f"A{n}").status_code)
        started = first.post("/live/api/pair/start", {"session_id": live_session.pk})
        statuses.append(started.status_code)
        statuses.append(second.get(f"/live/pair/{started.json()['code']}").status_code)  # the partner's camera
        statuses.append(second.post("/live/api/join/code", {"code": live_session.join_code}).status_code)
        statuses.append(enter(second, live_session, f"B{n}").status_code)
        exchange = sealed.Exchange()
        body = {"session_id": live_session.pk, "commitment": exchange.commitment}
        joined = second.post("/live/api/pair/join", body)
        statuses.append(joined.status_code)
        request = {"session_id": live_session.pk, "request_id": joined.json().get("request_id")}
        for device, step in (
            (first, {"public_key": exchange.creator_key}),
            (second, {"public_key": exchange.joiner_key}),
        ):
            statuses.append(device.post("/live/api/pair/key", {**request, **step}).status_code)
        for device, step in ((first, {"wrapped_key": sealed.wrapped_key()}), (second, {})):
            statuses.append(device.post("/live/api/pair/confirm", {**request, **step}).status_code)
    assert statuses == [200, 200, 200, 302, 200, 200, 200, 200, 200, 200, 200] * 40
    assert Participant.objects.count() == 80
    assert list(Couple.objects.annotate(n=Count("participants")).values_list("n", flat=True)) == [2] * 40


def test_guessing_join_codes_is_limited_per_address_and_other_addresses_still_join(live_session):
    guesser = phone()
    answers = [guesser.post("/live/api/join/code", {"code": "ZZZZZZ"}).status_code for _ in range(120)]
    assert answers == [404] * 120
    assert_limited(guesser.post("/live/api/join/code", {"code": live_session.join_code}))  # even the right one
    other = phone("198.51.100.2")
    assert other.post("/live/api/join/code", {"code": live_session.join_code}).status_code == 200


@override_settings(NUM_PROXIES=1)
def test_behind_the_proxy_a_spoofed_leftmost_address_does_not_escape_the_join_limit(live_session):
    for n in range(120):
        spoofing = phone("10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.{n // 250}.{n % 250}, {VENUE}")
        spoofing.post("/live/api/join/code", {"code": "ZZZZZZ"})
    again = phone("10.0.0.1", HTTP_X_FORWARDED_FOR=f"7.7.7.7, {VENUE}")
    assert_limited(again.post("/live/api/join/code", {"code": live_session.join_code}))
    elsewhere = phone("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert elsewhere.post("/live/api/join/code", {"code": live_session.join_code}).status_code == 200


def test_making_participants_is_limited_per_address_and_a_reload_still_finds_its_own(live_session):
    first = phone()
    assert enter(first, live_session, "First").status_code == 200
    assert [enter(phone(), live_session, f"P{n}").status_code for n in range(119)] == [200] * 119
    assert_limited(enter(phone(), live_session, "One too many"))
    assert Participant.objects.count() == 120
    again = enter(first, live_session, "First")  # the same phone reloading makes nobody new
    assert again.status_code == 200
    assert again.json()["me"]["name"] == "First"
    assert enter(phone("198.51.100.2"), live_session, "Elsewhere").status_code == 200


def test_a_participant_gets_five_pairing_codes_and_a_neighbour_on_the_same_address_still_pairs(live_session):
    ana, ben, cleo = phone(), phone(), phone()
    for device, name in ((ana, "Ana"), (ben, "Ben"), (cleo, "Cleo")):
        enter(device, live_session, name)
    real = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    wrong = [join(ben, live_session, "AAAAAA") for _ in range(5)]
    assert [r.json()["code"] for r in wrong] == ["bad_code"] * 5
    assert_limited(join(ben, live_session, real))
    joined = join(cleo, live_session, real)
    assert joined.status_code == 200
    assert joined.json()["role"] == "joiner"
    assert joined.json()["couple_id"] == Participant.objects.get(display_name="Ana").couple_id


def test_pairing_guesses_are_limited_per_address_across_throwaway_participants(live_session):
    guesses = []
    for n in range(24):  # 24 participants x 5 codes: the address's 120
        device = phone()
        enter(device, live_session, f"T{n}")
        for _ in range(5):
            guesses.append(join(device, live_session, "AAAAAA"))
    assert {r.json()["code"] for r in guesses} == {"bad_code"}
    fresh = phone()
    enter(fresh, live_session, "Fresh")
    assert_limited(join(fresh, live_session, "AAAAAA"))
    other = phone("198.51.100.2")
    enter(other, live_session, "Elsewhere")
    assert join(other, live_session, "AAAAAA").json()["code"] == "bad_code"


def test_opening_pairing_links_counts_and_then_a_live_code_and_a_dead_one_look_the_same(live_session):
    ana = phone("198.51.100.2")
    enter(ana, live_session, "Ana")
    real = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    scanner = phone()
    assert [scanner.get("/live/pair/AAAAAA").status_code for _ in range(120)] == [302] * 120
    live_link, dead_link = scanner.get(f"/live/pair/{real}"), scanner.get("/live/pair/AAAAAA")
    for refused in (live_link, dead_link):
        assert refused.status_code == 429
        assert 540 < int(refused["Retry-After"]) <= 600
        assert TEN_MINUTES in refused.content.decode()
    assert _without_language_menu(live_link) == _without_language_menu(dead_link)
    enter(scanner, live_session, "Scanner")  # and typing codes is over for this address too
    assert_limited(join(scanner, live_session, real))
    assert phone("198.51.100.3").get(f"/live/pair/{real}").status_code == 302
