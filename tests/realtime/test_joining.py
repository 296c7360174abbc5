"""Entering a live session and pairing: consent first, a name, safe pairing codes, one or two phones. Pairing is
the key exchange (the public values as the phones send them: bench/sealed.py); the words both phones show are
derived on the phones from it, so here the server must relay the same values to both."""

import pytest
from django.utils import timezone

from bench import sealed
from realtime.models import Couple, Participant
from realtime.services import joining
from tests import factories
from tests.realtime.phones import Device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_session():
    ws = factories.published_workshop(capacity=3)
    session = ws.sessions.get()
    session.starts_at = timezone.now() - timezone.timedelta(minutes=5)
    session.save(update_fields=["starts_at"])
    return session


def join(phone, session, code=None):
    """pair/join with a fresh commitment: a typed code, or (None) the QR link's code kept by the device."""
    body = {"session_id": session.pk, "commitment": sealed.Exchange().commitment}
    return phone.post("/live/api/pair/join", body if code is None else {**body, "code": code})


def me_of(phone, session):
    return phone.get(f"/live/api/sessions/{session.pk}/me").json()["me"]


def couple_of(phone, session):
    return me_of(phone, session)["couple"]["id"]


def walk_in(session, name, consent=True, feedback=False):
    phone = Device()
    assert phone.post("/live/api/join/code", {"code": session.join_code.lower()}).status_code == 200
    response = phone.post("/live/api/enter", {"consent": consent, "feedback_consent": feedback, "display_name": name})
    return phone, response


def pending(phone, session):
    return phone.get(f"/live/api/sessions/{session.pk}/pair/pending").json()["pending"]


def exchange_keys(session, first, second, joined, exchange):
    """Both public keys, in their order; each phone then sees the same public values (its words' input)."""
    request = {"session_id": session.pk, "request_id": joined["request_id"]}
    assert first.post("/live/api/pair/key", {**request, "public_key": exchange.creator_key}).status_code == 200
    assert second.post("/live/api/pair/key", {**request, "public_key": exchange.joiner_key}).status_code == 200
    public = ("commitment", "creator_key", "joiner_key")
    creator_view, joiner_view = pending(first, session), pending(second, session)
    assert [creator_view[k] for k in public] == [joiner_view[k] for k in public]
    assert [creator_view[k] for k in public] == [exchange.commitment, exchange.creator_key, exchange.joiner_key]
    return request


def pair(session, first, second, code=True):
    """`second` joins `first`'s couple by the code `first` shows (or, code=False, by its invitation link), and the
    two run the key exchange to the end. Returns the joiner's last answer."""
    exchange = sealed.Exchange()
    joined = {"session_id": session.pk, "commitment": exchange.commitment}
    if code:
        joined["code"] = first.post("/live/api/pair/start", {"session_id": session.pk}).json()["code"]
    joined = second.post("/live/api/pair/join", joined).json()
    assert (joined["role"], joined["creator_key"], joined["wrapped_key"]) == ("joiner", None, None)
    creator_view = pending(first, session)
    assert (creator_view["role"], creator_view["request_id"]) == ("creator", joined["request_id"])
    assert creator_view["partner"] == me_of(second, session)["name"]
    request = exchange_keys(session, first, second, joined, exchange)
    confirmed = first.post("/live/api/pair/confirm", {**request, "wrapped_key": sealed.wrapped_key()}).json()
    assert confirmed["paired"] is False
    done = second.post("/live/api/pair/confirm", request)
    return done.json()


def test_walk_ins_consent_name_and_pair_by_the_key_exchange(live_session):
    ana, response = walk_in(live_session, "Ana", feedback=True)
    assert response.status_code == 200
    assert response.json()["me"]["name"] == "Ana" and response.json()["me"]["couple"] is None
    ben, _ = walk_in(live_session, "Ben")
    result = pair(live_session, ana, ben)
    assert result["paired"] is True
    assert result["me"]["couple"]["partners"] == ["Ana", "Ben"]
    assert Participant.objects.get(display_name="Ana").feedback_consent is True
    assert Participant.objects.get(display_name="Ben").feedback_consent is False


def test_consent_is_required_and_the_name_is_checked(live_session):
    _, refused = walk_in(live_session, "Ana", consent=False)
    assert refused.status_code == 400
    assert refused.json()["code"] == "consent_required"
    _, blank = walk_in(live_session, "   ")
    assert blank.json() == {"code": "bad_name", "message": "Give a first name or a pseudonym."}
    assert Participant.objects.count() == 0


def test_a_reload_on_the_same_device_finds_the_same_participant(live_session):
    ana, first = walk_in(live_session, "Ana")
    again = ana.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    assert again.json()["me"]["participant_id"] == first.json()["me"]["participant_id"]
    assert Participant.objects.count() == 1


def test_an_unknown_join_code_is_a_clear_404(live_session):
    response = Device().post("/live/api/join/code", {"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert response.json()["message"] == "No session is open with that code. Check the code on the screen."


def test_a_couple_holds_at_most_two_phones(live_session):
    """A couple of two may show a code (for a partner's phone that lost the couple key), but no third phone gets
    in with it."""
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    cleo, _ = walk_in(live_session, "Cleo")
    pair(live_session, ana, ben)
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    body = {"session_id": live_session.pk, "code": code, "commitment": sealed.Exchange().commitment}
    refused = cleo.post("/live/api/pair/join", body)
    assert (refused.status_code, refused.json()["code"]) == (400, "couple_full")
    assert me_of(cleo, live_session)["couple"] is None
    assert pending(ana, live_session) is None


def test_an_expired_code_is_refused(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    Couple.objects.update(pairing_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    response = join(ben, live_session, code)
    assert response.json()["code"] == "bad_code"


def test_guessing_codes_is_rate_limited(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    real = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    codes = [c for c in ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF"] if c != real]
    for code in codes[:5]:
        assert join(ben, live_session, code).json()["code"] == "bad_code"
    while len(codes) < 5:
        codes.append("GGGGGG")
    blocked = join(ben, live_session, real)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited"


def test_either_partner_can_unpair_and_the_other_keeps_the_couple(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    pair(live_session, ana, ben)
    left = ben.post("/live/api/pair/unpair", {"session_id": live_session.pk}).json()
    assert left["me"]["couple"] is None
    assert ana.get(f"/live/api/sessions/{live_session.pk}/me").json()["me"]["couple"]["partners"] == ["Ana"]


def test_one_phone_mode_refuses_a_second_phone(live_session):
    ana, _ = walk_in(live_session, "Ana & Ben")
    me = ana.post("/live/api/pair/one-phone", {"session_id": live_session.pk, "enabled": True}).json()["me"]
    assert me["couple"]["one_phone"] is True
    assert ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"] == "one_phone"


def start_couple(phone, session):
    return phone.post("/live/api/pair/start", {"session_id": session.pk})


def test_walk_in_couples_form_only_below_capacity_and_entering_takes_no_seat(live_session):
    workshop = live_session.workshop  # capacity 3 couples
    factories.register(workshop)  # one enrolled couple holds a place
    phones = [walk_in(live_session, f"P{n}")[0] for n in range(2)]
    for phone in phones:
        assert start_couple(phone, live_session).status_code == 200
    assert joining.walk_in_room(workshop) is False
    late, response = walk_in(live_session, "Late")
    assert response.status_code == 200  # a participant in no couple holds no seat
    refused = start_couple(late, live_session)
    assert (refused.status_code, refused.json()["code"]) == (400, "full")
    one_phone = late.post("/live/api/pair/one-phone", {"session_id": live_session.pk, "enabled": True})
    assert (one_phone.status_code, one_phone.json()["code"]) == (400, "full")


def test_a_full_workshop_still_lets_a_walk_in_partner_join_their_own_couple(live_session):
    workshop = live_session.workshop  # capacity 3 couples
    factories.register(workshop)
    first, _ = walk_in(live_session, "Ana")
    other, _ = walk_in(live_session, "Cleo")
    assert other.post("/live/api/pair/one-phone", {"session_id": live_session.pk, "enabled": True}).status_code == 200
    first.post("/live/api/pair/start", {"session_id": live_session.pk})
    Couple.objects.filter(participants__display_name="Ana").update(pairing_expires_at=None)  # her code lapsed
    assert joining.walk_in_room(workshop) is False
    partner, response = walk_in(live_session, "Ben")  # the room is full, and no code is open
    assert response.status_code == 200
    assert pair(live_session, first, partner)["paired"] is True  # Ana shows a fresh code; Ben joins her couple
    assert Couple.objects.filter(workshop=workshop, enrollment=None).count() == 2


def test_seats_registration_holds_count_for_walk_ins_too(live_session):
    from workshops.models import Enrollment, WaitlistOffer
    from workshops.services import enrollment as enrollment_services

    workshop = live_session.workshop  # capacity 3 couples
    for n in range(3):
        factories.register(workshop, f"Reg{n}")
    waiting, _ = factories.register(workshop, "Later")
    assert waiting.status == Enrollment.Status.WAITLISTED
    cancelled = Enrollment.objects.filter(workshop=workshop, status=Enrollment.Status.CONFIRMED).first()
    enrollment_services.enrollment_cancel(enrollment=cancelled, by="organizer")
    assert WaitlistOffer.objects.filter(enrollment=waiting, status=WaitlistOffer.Status.PENDING).exists()
    assert joining.walk_in_room(workshop) is False  # two confirmed and the seat offered to the waitlist
    phone, _ = walk_in(live_session, "Walk")
    assert start_couple(phone, live_session).json()["code"] == "full"


def test_a_walk_in_couple_whose_phones_went_away_gives_its_seat_back(live_session):
    from datetime import timedelta

    workshop = live_session.workshop  # capacity 3 couples
    phones = [walk_in(live_session, f"W{n}")[0] for n in range(3)]
    for phone in phones:
        assert start_couple(phone, live_session).status_code == 200
    assert joining.walk_in_room(workshop) is False
    gone, admitted = Couple.objects.filter(workshop=workshop).order_by("pk")[:2]
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Couple.objects.filter(pk__in=[gone.pk, admitted.pk]).update(created_at=an_hour_ago)  # no phone online since
    joining.couple_admit(couple=admitted, session=live_session)  # a facilitator vouched for this one: it stays
    assert joining.walk_in_room(workshop) is True
    newcomer, _ = walk_in(live_session, "New")
    assert start_couple(newcomer, live_session).status_code == 200
    assert Couple.objects.get(pk=gone.pk).removed_at is None  # still its own couple if its phone comes back


def test_an_invitation_link_enters_the_enrolled_couple_and_the_second_phone_pairs_into_it_by_the_exchange(
    live_session,
):
    enrollment, raw = factories.register(live_session.workshop, "Robin")
    phones, entered = [], []
    for name in ("Robin", "Kai"):
        phone = Device()
        phone.get(f"/i/{raw}")
        assert phone.post("/live/api/join/invitation").json()["session_id"] == live_session.pk
        entered.append(phone.post("/live/api/enter", {"consent": True, "display_name": name}).json()["me"])
        phones.append(phone)
    robin, kai = entered
    assert Couple.objects.get(pk=robin["couple"]["id"]).enrollment_id == enrollment.pk
    assert (robin["invited"], kai["couple"], kai["invited"]) == (False, None, True)
    result = pair(live_session, *phones, code=False)  # no code: the invitation names the couple
    assert result["paired"] is True
    assert (result["me"]["couple"]["id"], result["me"]["invited"]) == (robin["couple"]["id"], False)
    assert result["me"]["couple"]["partners"] == ["Robin", "Kai"]


def test_the_qr_link_keeps_the_code_out_of_the_url(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    response = ben.get(f"/live/pair/{code}")
    assert response.status_code == 302 and response["Location"] == "/live/?via=pairing"  # no code in it
    joined = join(ben, live_session)
    assert (joined.json()["role"], joined.json()["couple_id"]) == ("joiner", couple_of(ana, live_session))


def test_the_protocol_schema_is_served():
    schema = Device().get("/live/protocol.json").json()
    assert schema["title"] == "Attune live protocol: client messages"
    assert "session.command" in str(schema)
    assert schema["x-close-codes"]["4410"] == "the couple was removed by a facilitator"


def test_a_retreats_next_session_finds_the_same_participant_on_the_same_device():
    ws = factories.published_workshop(capacity=3, sessions=2)
    first, second = ws.sessions.order_by("starts_at")
    ana, entered = walk_in(first, "Ana")
    assert ana.post("/live/api/join/code", {"code": second.join_code}).status_code == 200
    again = ana.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    assert again.json()["session_id"] == second.pk
    assert again.json()["me"]["participant_id"] == entered.json()["me"]["participant_id"]


def test_the_qr_link_on_a_fresh_phone_also_says_which_session_to_enter(live_session):
    ana, _ = walk_in(live_session, "Ana")
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    fresh = Device()
    fresh.get(f"/live/pair/{code}")
    entered = fresh.post("/live/api/enter", {"consent": True, "display_name": "Ben"})
    assert entered.json()["session_id"] == live_session.pk
    joined = join(fresh, live_session)
    assert (joined.json()["role"], joined.json()["couple_id"]) == ("joiner", couple_of(ana, live_session))


def test_an_enrolled_couples_second_phone_going_on_alone_enters_its_couple_not_a_new_one(live_session):
    """Each phone that opened the couple's link and tapped "Continue alone for now" made a new walk-in couple,
    until the room said "full" to the couple's own second phone (issue 16)."""
    workshop = live_session.workshop  # capacity 3 couples
    enrollment, raw = factories.register(workshop, "Robin")
    phones = []
    for name in ("Robin", "Kai", "Kai again"):
        phone = Device()
        phone.get(f"/i/{raw}")
        phone.post("/live/api/join/invitation")
        phone.post("/live/api/enter", {"consent": True, "display_name": name})
        phones.append(phone)
    robin, kai, again = phones
    alone = start_couple(kai, live_session)
    assert alone.status_code == 200
    couple = Couple.objects.get(enrollment=enrollment)
    assert sorted(couple.participants.values_list("display_name", flat=True)) == ["Kai", "Robin"]
    assert Couple.objects.filter(workshop=workshop).count() == 1  # no walk-in couple made, no seat taken
    # Kai's phone has no couple key yet: it asks Robin's phone for it, as a phone that lost the key does.
    assert me_of(kai, live_session)["couple"]["id"] == couple.pk
    # A third phone with the same link finds the couple complete: it would form a walk-in couple of its own.
    assert me_of(again, live_session)["invited"] is False
    assert joining.walk_in_room(workshop) is True
