"""Entering a live session and pairing: consent first, a name, safe pairing codes, one or two phones."""

import pytest
from django.utils import timezone

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


def walk_in(session, name, consent=True, feedback=False):
    phone = Device()
    assert phone.post("/live/api/join/code", {"code": session.join_code.lower()}).status_code == 200
    response = phone.post("/live/api/enter", {"consent": consent, "feedback_consent": feedback, "display_name": name})
    return phone, response


def pair(session, first, second):
    started = first.post("/live/api/pair/start", {"session_id": session.pk}).json()
    joined = second.post("/live/api/pair/join", {"session_id": session.pk, "code": started["code"]}).json()
    creator_view = first.get(f"/live/api/sessions/{session.pk}/pair/pending").json()["pending"]
    assert creator_view["words"] == joined["words"]
    assert (
        first.post("/live/api/pair/confirm", {"session_id": session.pk, "request_id": joined["request_id"]}).json()[
            "paired"
        ]
        is False
    )
    done = second.post("/live/api/pair/confirm", {"session_id": session.pk, "request_id": joined["request_id"]})
    return done.json()


def test_walk_ins_consent_name_and_pair_with_three_matching_words(live_session):
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
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    cleo, _ = walk_in(live_session, "Cleo")
    pair(live_session, ana, ben)
    started = ana.post("/live/api/pair/start", {"session_id": live_session.pk})
    assert started.json()["code"] == "couple_full"


def test_an_expired_code_is_refused(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    Couple.objects.update(pairing_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    response = ben.post("/live/api/pair/join", {"session_id": live_session.pk, "code": code})
    assert response.json()["code"] == "bad_code"


def test_guessing_codes_is_rate_limited(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    real = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    codes = [c for c in ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF"] if c != real]
    for code in codes[:5]:
        assert (
            ben.post("/live/api/pair/join", {"session_id": live_session.pk, "code": code}).json()["code"] == "bad_code"
        )
    while len(codes) < 5:
        codes.append("GGGGGG")
    blocked = ben.post("/live/api/pair/join", {"session_id": live_session.pk, "code": real})
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


def test_walk_ins_are_admitted_only_below_capacity(live_session):
    workshop = live_session.workshop  # capacity 3 couples
    factories.register(workshop)  # one enrolled couple holds a place
    phones = [walk_in(live_session, f"P{n}")[0] for n in range(2)]
    for phone in phones:  # two couples sharing one phone each: no partner is awaited
        assert (
            phone.post("/live/api/pair/one-phone", {"session_id": live_session.pk, "enabled": True}).status_code == 200
        )
    late, response = walk_in(live_session, "Late")
    assert response.status_code == 400
    assert response.json()["code"] == "full"
    assert joining.walk_in_room(workshop) is False


def test_a_full_workshop_still_lets_in_the_partner_of_a_couple_waiting_for_them(live_session):
    workshop = live_session.workshop  # capacity 3 couples
    factories.register(workshop)
    first, _ = walk_in(live_session, "Ana")
    other, _ = walk_in(live_session, "Cleo")
    assert other.post("/live/api/pair/one-phone", {"session_id": live_session.pk, "enabled": True}).status_code == 200
    assert first.post("/live/api/pair/start", {"session_id": live_session.pk}).status_code == 200
    assert joining.walk_in_room(workshop) is False  # the last place is Ana's couple, waiting for its second phone
    partner, response = walk_in(live_session, "Ben")
    assert response.status_code == 200
    pair(live_session, first, partner)
    late, response = walk_in(live_session, "Late")  # no couple waits for anyone now
    assert (response.status_code, response.json()["code"]) == (400, "full")


def test_an_invitation_link_enters_the_enrolled_couple_and_both_partners_share_it(live_session):
    enrollment, raw = factories.register(live_session.workshop, "Robin")
    phones = []
    for name in ("Robin", "Kai"):
        phone = Device()
        phone.get(f"/i/{raw}")
        assert phone.post("/live/api/join/invitation").json()["session_id"] == live_session.pk
        me = phone.post("/live/api/enter", {"consent": True, "display_name": name}).json()["me"]
        phones.append(me)
    assert phones[0]["couple"]["id"] == phones[1]["couple"]["id"]
    assert Couple.objects.get(pk=phones[0]["couple"]["id"]).enrollment_id == enrollment.pk


def test_the_qr_link_keeps_the_code_out_of_the_url(live_session):
    ana, _ = walk_in(live_session, "Ana")
    ben, _ = walk_in(live_session, "Ben")
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    response = ben.get(f"/live/pair/{code}")
    assert response.status_code == 302 and response["Location"] == "/live/"
    joined = ben.post("/live/api/pair/join", {"session_id": live_session.pk})
    assert len(joined.json()["words"]) == 3


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
    joined = fresh.post("/live/api/pair/join", {"session_id": live_session.pk})
    assert len(joined.json()["words"]) == 3
