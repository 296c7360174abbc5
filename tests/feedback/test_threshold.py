"""The facilitator raises the anonymity threshold k during a session (never lowers it): the phones, the projector
and the console are told the new threshold, and the next release needs it."""

import pytest
from asgiref.sync import sync_to_async

from realtime.services.session import session_command, state_for

pytestmark = pytest.mark.django_db(transaction=True)

POLL_STEP = 1  # arrival-pulse: step 1 is the scale pulse


async def test_a_facilitator_raises_k_and_every_phone_and_the_projector_are_told(custom_live):
    live = await custom_live("arrival-pulse")
    ana, _ben = await live.couple("Ana", "Ben")
    fac, projector = await sync_to_async(live.staff_device)(), await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await projector.connect(live.session.pk, role="projector")
    await ana.connect(live.session.pk)
    for action, args in (("start", {}), ("goto", {"index": POLL_STEP})):
        state = await sync_to_async(state_for)(live.session)
        await sync_to_async(session_command)(
            session=live.session, action=action, expected_version=state.version, args=args
        )
    opened = await ana.wait_for(lambda f: f["type"] == "feedback" and f["prompts"])
    assert (opened["anonymity_k"], opened["prompts"][0]["threshold"]) == (5, 5)

    assert (await fac.command("feedback.k", k=7))["type"] == "ack"
    told = await ana.wait_for(lambda f: f["type"] == "feedback" and f["anonymity_k"] == 7)
    assert told["prompts"][0]["threshold"] == 7
    await projector.wait_for(lambda f: f["type"] == "feedback" and f["anonymity_k"] == 7)
    staff = await fac.wait_for(lambda f: f["type"] == "feedback" and f["anonymity_k"] == 7)
    assert staff["prompts"][0]["threshold"] == 7

    lowered = await fac.command("feedback.k", k=6)
    assert (lowered["type"], lowered["code"]) == ("error", "k_lowered")
    assert "only go up" in lowered["message"]
    refused = await ana.command("feedback.k", k=9)  # a participant may not
    assert refused["type"] == "error"
    assert (await sync_to_async(state_for)(live.session)).anonymity_k == 7
    for device in (ana, fac, projector):
        await device.close()
