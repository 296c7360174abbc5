"""What a former partner wrote for the couple, after they unpair: the partner who stays keeps seeing the couple's
shared items and agreements, and whoever pairs into the couple later sees nothing the former partner wrote
(rules.shared_visible). Over the socket, as the phones receive it."""

import pytest
from asgiref.sync import sync_to_async

from bench import sealed
from realtime.services.session import session_command, state_for
from tests.realtime.conftest import pair_by_exchange
from tests.realtime.phones import Device

pytestmark = pytest.mark.django_db(transaction=True)

WORKSHEET = 2  # boundary-map: instruction, reflection, worksheet, answer


async def _open_worksheet(live):
    for action, args in (("start", {}), ("goto", {"index": WORKSHEET}), ("breakout.open", {"seconds": 600})):
        state = await sync_to_async(state_for)(live.session)
        await sync_to_async(session_command)(
            session=live.session, action=action, expected_version=state.version, args=args
        )


def _newcomer(session, partner, name):
    """A new phone enters and pairs into `partner`'s couple by the exchange."""
    newcomer = Device()
    newcomer.post("/live/api/join/code", {"code": session.join_code})
    newcomer.post("/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": name})
    pair_by_exchange(session, partner, newcomer)
    return newcomer


def _items(frame):
    return {e["payload"] for e in frame["state"]["entries"] if e["kind"] == "item"}


async def _put_item(device, key, payload):
    ack = await device.command(
        "entry.put", step_index=WORKSHEET, kind="item", key=key, payload=payload, expected_version=0
    )
    assert ack["type"] == "ack", ack


async def test_a_new_partner_sees_nothing_the_former_partner_wrote_and_the_one_who_stayed_keeps_it(custom_live):
    live = await custom_live("boundary-map")
    ana, ben = await live.couple("Ana", "Ben")
    for device in (ana, ben):
        await device.connect(live.session.pk)
    await _open_worksheet(live)
    by_ana, by_ben = sealed.sealed(), sealed.sealed()
    await _put_item(ana, "ana-item", by_ana)
    await _put_item(ben, "ben-item", by_ben)
    await ben.wait_for(lambda f: f["type"] == "couple" and _items(f) == {by_ana, by_ben})

    assert (await ana.apost("/live/api/pair/unpair", {"session_id": live.session.pk})).status_code == 200
    stayed = await ben.wait_for(lambda f: f["type"] == "couple" and len(f["state"]["couple"]["partners"]) == 1)
    assert _items(stayed) == {by_ana, by_ben}  # the couple's worksheet, as Ben wrote it with Ana

    cleo = await sync_to_async(_newcomer)(live.session, ben, "Cleo")
    await cleo.connect(live.session.pk)
    joined = await cleo.wait_for(lambda f: f["type"] == "couple" and f["state"]["couple"] is not None)
    assert _items(joined) == {by_ben}  # Ben's, who is her partner; nothing Ana wrote
    by_cleo = sealed.sealed()
    await _put_item(cleo, "cleo-item", by_cleo)
    latest = await ben.wait_for(lambda f: f["type"] == "couple" and by_cleo in _items(f))
    assert _items(latest) == {by_ana, by_ben, by_cleo}
    assert by_ana not in str(cleo.frames)
