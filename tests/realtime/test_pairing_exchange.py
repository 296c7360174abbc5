"""The pairing key exchange as the server relays it (issue 14): the joiner commits to its key, the couple's phone
answers with its own, then the joiner reveals the key it committed to; the couple's phone confirms with the couple
key wrapped under the exchange, and the joiner's confirmation completes the pairing. The server checks the order,
the commitment and the shapes, shows each exchange only to its two phones, and keeps the wrapped key for the
joiner alone. The values are the phones' public ones in their real shapes (bench/sealed.py); the words and the
sealing are the phones' (tests/e2e)."""

import pytest
from django.utils import timezone

from bench import sealed
from realtime.models import Couple, CoupleEntry, CoupleSpace, PairingRequest, Participant
from tests import factories
from tests.realtime.phones import Device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_session():
    ws = factories.published_workshop(capacity=6)
    session = ws.sessions.get()
    session.starts_at = timezone.now() - timezone.timedelta(minutes=5)
    session.save(update_fields=["starts_at"])
    return session


def walk_in(session, name):
    phone = Device()
    phone.post("/live/api/join/code", {"code": session.join_code})
    assert phone.post("/live/api/enter", {"consent": True, "display_name": name}).status_code == 200
    return phone


def by_invitation(raw, name):
    phone = Device()
    phone.get(f"/i/{raw}")
    phone.post("/live/api/join/invitation")
    return phone, phone.post("/live/api/enter", {"consent": True, "display_name": name}).json()["me"]


def me_of(phone, session):
    return phone.get(f"/live/api/sessions/{session.pk}/me").json()["me"]


def pending(phone, session):
    return phone.get(f"/live/api/sessions/{session.pk}/pair/pending").json()["pending"]


class Exchange:
    """One exchange between the couple's phone `first` and the `joiner`, step by step; each step returns the
    response. `request` is what pair/key and pair/confirm name it by."""

    def __init__(self, session, first, joiner):
        self.session, self.first, self.joiner = session, first, joiner
        self.values = sealed.Exchange()
        self.wrapped = sealed.wrapped_key()
        self.request = None

    def join(self, code=True, commitment=None):
        body = {
            "session_id": self.session.pk,
            "commitment": self.values.commitment if commitment is None else commitment,
        }
        if code is True:
            code = self.first.post("/live/api/pair/start", {"session_id": self.session.pk}).json()["code"]
        response = self.joiner.post("/live/api/pair/join", {**body, "code": code} if code else body)
        if response.status_code == 200:
            self.request = {"session_id": self.session.pk, "request_id": response.json()["request_id"]}
        return response

    def key(self, phone, public_key):
        return phone.post("/live/api/pair/key", {**self.request, "public_key": public_key})

    def keys(self):
        assert self.key(self.first, self.values.creator_key).status_code == 200
        assert self.key(self.joiner, self.values.joiner_key).status_code == 200

    def confirm(self, phone, **extra):
        return phone.post("/live/api/pair/confirm", {**self.request, **extra})

    def run(self, code=True):
        """The whole exchange in its order; returns the joiner's last answer."""
        assert self.join(code).status_code == 200
        self.keys()
        assert self.confirm(self.first, wrapped_key=self.wrapped).json()["paired"] is False
        return self.confirm(self.joiner).json()


def refused(response, code, status=400):
    assert (response.status_code, response.json()["code"]) == (status, code)
    return True


def test_the_joiners_key_comes_after_the_first_phones_and_must_be_the_one_it_committed_to(live_session):
    ana, ben = walk_in(live_session, "Ana"), walk_in(live_session, "Ben")
    exchange = Exchange(live_session, ana, ben)
    assert exchange.join().status_code == 200
    values = exchange.values
    assert refused(exchange.key(ben, values.joiner_key), "too_early")  # before the first phone's: it could adapt
    assert refused(exchange.confirm(ana, wrapped_key=exchange.wrapped), "too_early")
    assert exchange.key(ana, values.creator_key).status_code == 200
    assert exchange.key(ana, values.creator_key).status_code == 200  # the same key again (a resend) is fine
    assert refused(exchange.key(ana, sealed.public_key()), "key_sent")  # but never another one
    assert refused(exchange.key(ben, sealed.public_key()), "bad_commitment")
    assert refused(exchange.key(ben, values.creator_key), "bad_commitment")  # an echo of the other side's key
    assert refused(exchange.key(ben, "not a key"), "bad_key")
    row = PairingRequest.objects.get()
    assert (row.commitment, row.creator_key, row.joiner_key) == (values.commitment, values.creator_key, "")
    assert refused(exchange.confirm(ben), "too_early")
    assert exchange.key(ben, values.joiner_key).status_code == 200
    row.refresh_from_db()
    assert row.joiner_key == values.joiner_key
    view = pending(ana, live_session)
    assert [view[k] for k in ("commitment", "creator_key", "joiner_key")] == [
        values.commitment,
        values.creator_key,
        values.joiner_key,
    ]


def test_a_join_needs_a_commitment_in_the_shape_of_one(live_session):
    ana, ben = walk_in(live_session, "Ana"), walk_in(live_session, "Ben")
    exchange = Exchange(live_session, ana, ben)
    for commitment in ("", "short", sealed.public_key() + "A", sealed.public_key()[:-1] + "+"):
        assert refused(exchange.join(commitment=commitment), "bad_key")
    assert refused(ben.post("/live/api/pair/join", {"session_id": live_session.pk, "code": "AAAAAA"}), "bad_key")
    assert PairingRequest.objects.count() == 0


def test_the_first_phone_confirms_with_the_wrapped_key_and_the_joiners_confirmation_completes_the_pairing(
    live_session,
):
    ana, ben = walk_in(live_session, "Ana"), walk_in(live_session, "Ben")
    exchange = Exchange(live_session, ana, ben)
    assert exchange.join().status_code == 200
    exchange.keys()
    assert refused(exchange.confirm(ben), "too_early")  # the first phone has not confirmed the words
    assert me_of(ben, live_session)["couple"] is None
    assert refused(exchange.confirm(ana), "bad_key")  # no wrapped key
    assert refused(exchange.confirm(ana, wrapped_key=sealed.sealed(31)), "bad_key")  # not a wrapped 32-byte key
    assert refused(exchange.confirm(ana, wrapped_key={"key": exchange.wrapped}), "bad_key")
    joiners = pending(ben, live_session)
    assert (joiners["creator_confirmed"], joiners["wrapped_key"]) == (False, None)
    assert exchange.confirm(ana, wrapped_key=exchange.wrapped).json()["paired"] is False
    joiners, creators = pending(ben, live_session), pending(ana, live_session)
    assert (joiners["role"], joiners["creator_confirmed"], joiners["wrapped_key"]) == ("joiner", True, exchange.wrapped)
    assert (creators["role"], creators["creator_confirmed"], creators["wrapped_key"]) == ("creator", True, None)
    assert me_of(ben, live_session)["couple"] is None  # not in the couple until it has the key and confirms
    done = exchange.confirm(ben).json()
    assert done["paired"] is True and done["me"]["couple"]["partners"] == ["Ana", "Ben"]
    assert (pending(ana, live_session), pending(ben, live_session)) == (None, None)
    assert PairingRequest.objects.count() == 0


def test_a_third_phone_can_neither_read_nor_write_another_couples_exchange(live_session):
    ana, ben, cleo = walk_in(live_session, "Ana"), walk_in(live_session, "Ben"), walk_in(live_session, "Cleo")
    dan, eve = walk_in(live_session, "Dan"), walk_in(live_session, "Eve")
    assert Exchange(live_session, dan, eve).run()["paired"] is True  # a couple of their own
    exchange = Exchange(live_session, ana, ben)
    assert exchange.join().status_code == 200
    exchange.keys()
    before = list(PairingRequest.objects.values())
    for stranger in (cleo, dan):
        assert pending(stranger, live_session) is None
        assert refused(exchange.key(stranger, sealed.public_key()), "not_yours", 403)
        assert refused(exchange.confirm(stranger, wrapped_key=sealed.wrapped_key()), "not_yours", 403)
        assert refused(exchange.confirm(stranger), "not_yours", 403)
    assert list(PairingRequest.objects.values()) == before
    assert exchange.confirm(ana, wrapped_key=exchange.wrapped).status_code == 200
    for stranger in (cleo, dan, eve):
        assert pending(stranger, live_session) is None  # the wrapped key above all
    assert refused(exchange.confirm(cleo), "not_yours", 403)
    assert exchange.confirm(ben).json()["paired"] is True
    assert me_of(cleo, live_session)["couple"] is None
    assert me_of(dan, live_session)["couple"]["partners"] == ["Dan", "Eve"]


def test_a_phone_already_in_another_couple_cannot_join_one(live_session):
    ana, ben, cleo = walk_in(live_session, "Ana"), walk_in(live_session, "Ben"), walk_in(live_session, "Cleo")
    assert Exchange(live_session, ana, ben).run()["paired"] is True
    cleo.post("/live/api/pair/start", {"session_id": live_session.pk})  # Cleo's couple, waiting for a partner
    assert refused(Exchange(live_session, cleo, ben).join(), "already_paired")
    assert me_of(ben, live_session)["couple"]["partners"] == ["Ana", "Ben"]


def test_a_partners_phone_that_lost_the_couple_key_gets_it_again_and_the_couple_stays_as_it_was(live_session):
    """The couple of two shows a code for Ben's phone, which lost the couple key: Ben joins with it, the two run
    the exchange, and the couple is the same couple, with the same partners and what they wrote."""
    ana, ben = walk_in(live_session, "Ana"), walk_in(live_session, "Ben")
    assert Exchange(live_session, ana, ben).run()["paired"] is True
    couple = Couple.objects.get()
    space = CoupleSpace.objects.get(couple=couple)
    written = CoupleEntry.objects.create(
        space=space, step_index=3, kind="agreement", key="a1", scope="shared", payload=sealed.sealed()
    )
    rekey = Exchange(live_session, ana, ben)
    joined = rekey.join()
    assert joined.status_code == 200
    assert (joined.json()["role"], joined.json()["couple_id"]) == ("joiner", couple.pk)
    assert pending(ana, live_session)["partner"] == "Ben"
    rekey.keys()
    assert rekey.confirm(ana, wrapped_key=rekey.wrapped).json()["paired"] is False
    assert pending(ben, live_session)["wrapped_key"] == rekey.wrapped
    done = rekey.confirm(ben).json()
    assert done["paired"] is True
    assert (done["me"]["couple"]["id"], done["me"]["couple"]["partners"]) == (couple.pk, ["Ana", "Ben"])
    assert list(Couple.objects.values_list("pk", flat=True)) == [couple.pk]
    assert set(Participant.objects.values_list("couple_id", flat=True)) == {couple.pk}
    assert list(CoupleEntry.objects.values_list("pk", "payload")) == [(written.pk, written.payload)]
    assert PairingRequest.objects.count() == 0
    couple.refresh_from_db()
    assert (couple.pairing_digest, couple.pairing_expires_at) == ("", None)  # the code is used up


def test_the_rekey_code_of_a_couple_of_two_lets_no_stranger_in(live_session):
    ana, ben, cleo = walk_in(live_session, "Ana"), walk_in(live_session, "Ben"), walk_in(live_session, "Cleo")
    assert Exchange(live_session, ana, ben).run()["paired"] is True
    code = ana.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    assert refused(Exchange(live_session, ana, cleo).join(code), "couple_full")
    assert PairingRequest.objects.count() == 0
    assert me_of(ana, live_session)["couple"]["partners"] == ["Ana", "Ben"]


def test_an_invitations_second_phone_is_in_no_couple_until_the_exchange_completes_and_a_third_cannot_join(
    live_session,
):
    enrollment, raw = factories.register(live_session.workshop, "Robin")
    robin, robins = by_invitation(raw, "Robin")
    kai, kais = by_invitation(raw, "Kai")
    couple = Couple.objects.get(enrollment=enrollment)
    assert robins["couple"]["id"] == couple.pk
    assert (kais["couple"], kais["invited"]) == (None, True)
    exchange = Exchange(live_session, robin, kai)
    joined = exchange.join(code=None)  # the invitation names the couple
    assert (joined.json()["role"], joined.json()["couple_id"]) == ("joiner", couple.pk)
    for step in (
        exchange.keys,
        lambda: exchange.confirm(robin, wrapped_key=exchange.wrapped),
    ):
        assert me_of(kai, live_session)["couple"] is None
        assert me_of(robin, live_session)["couple"]["partners"] == ["Robin"]
        step()
    assert list(couple.participants.values_list("display_name", flat=True)) == ["Robin"]
    done = exchange.confirm(kai).json()
    assert done["paired"] is True
    assert (done["me"]["couple"]["id"], done["me"]["invited"]) == (couple.pk, False)

    third, thirds = by_invitation(raw, "Third")  # the same link on a third device
    assert (thirds["couple"], thirds["invited"]) == (None, False)
    intruder = Exchange(live_session, robin, third)
    assert refused(intruder.join(code=None), "bad_code")  # no couple awaits this invitation's phone
    code = robin.post("/live/api/pair/start", {"session_id": live_session.pk}).json()["code"]
    assert refused(intruder.join(code), "couple_full")
    assert sorted(couple.participants.values_list("display_name", flat=True)) == ["Kai", "Robin"]
    assert Participant.objects.get(display_name="Third").couple_id is None
