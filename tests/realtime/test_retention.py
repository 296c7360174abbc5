"""Retention and erasure: the purge command deletes couple content past the retention period; each partner can
erase every row they own."""

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.utils import timezone

from realtime.models import CoupleEntry, HelpRequest, Participant
from realtime.services.session import session_command, state_for
from tests.realtime.conftest import marked
from workshops.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


async def written_session(custom_live):
    live = await custom_live("naming-moments")
    ana, ben = await live.couple("Ana", "Ben")
    for phone in (ana, ben):
        await phone.connect(live.session.pk)
    for action, args in (("start", {}), ("goto", {"index": 1}), ("breakout.open", {"seconds": 600})):
        state = await sync_to_async(state_for)(live.session)
        await sync_to_async(session_command)(
            session=live.session, action=action, expected_version=state.version, args=args
        )
    live.written = {"ana": marked("ana-private"), "ben": marked("ben-private")}
    for phone, name in ((ana, "ana"), (ben, "ben")):
        ack = await phone.command("entry.put", step_index=1, kind="reflection", key="0", payload=live.written[name])
        assert ack["type"] == "ack"
    return live, ana, ben


async def test_a_partner_erases_every_row_they_own_and_nothing_of_their_partner(custom_live):
    """Erase takes the participant's entries (a removed item of theirs too), their private help request and their
    pairing exchange; the partner's reflection and the partner's own request stay. (The export is made on the
    phone, which holds the keys: tests/e2e/test_step_kinds.py.)"""
    live, ana, ben = await written_session(custom_live)
    assert (await ana.aget(f"/live/api/sessions/{live.session.pk}/my-data")).status_code == 404  # no server copy
    for phone in (ana, ben):
        assert (await phone.command("help.ask", private=True))["type"] == "ack"

    refused = await ana.apost("/live/api/erase", {"session_id": live.session.pk})
    assert refused.json()["code"] == "confirm_required"
    erased = await ana.apost("/live/api/erase", {"session_id": live.session.pk, "confirm": True})
    assert erased.json() == {"erased": 1}
    remaining = await sync_to_async(lambda: list(CoupleEntry.objects.values_list("payload", flat=True)))()
    assert remaining == [live.written["ben"]]
    helps = await sync_to_async(lambda: list(HelpRequest.objects.values_list("participant__display_name", flat=True)))()
    assert helps == ["Ben"]
    for phone in (ana, ben):
        await phone.close()


async def test_the_deletion_date_is_shown_and_the_purge_deletes_content_after_it(custom_live):
    live, ana, ben = await written_session(custom_live)
    me = (await ana.aget(f"/live/api/sessions/{live.session.pk}/me")).json()["me"]
    session = await sync_to_async(Session.objects.get)(pk=live.session.pk)
    expected = session.ends_at + timezone.timedelta(days=14)
    assert me["content_deleted_after"] == expected.isoformat()
    for phone in (ana, ben):
        await phone.close()

    await sync_to_async(call_command)("purge_couple_content")
    assert await sync_to_async(CoupleEntry.objects.count)() == 2  # not yet due

    past = timezone.now() - timezone.timedelta(days=15)
    await sync_to_async(Session.objects.filter(pk=session.pk).update)(
        starts_at=past - timezone.timedelta(hours=2), ends_at=past
    )
    await sync_to_async(call_command)("run_maintenance")
    assert await sync_to_async(CoupleEntry.objects.count)() == 0
    assert await sync_to_async(Participant.objects.count)() == 0


def test_maintenance_forgets_old_message_ids_and_dead_presence_rows(builtin_library):
    from realtime.models import Presence, ProcessedCommand
    from realtime.services.retention import prune_bookkeeping
    from tests import factories

    session = factories.published_workshop().sessions.get()
    old = timezone.now() - timezone.timedelta(days=2)
    ProcessedCommand.objects.create(client="p1", message_id="old", created_at=old)
    ProcessedCommand.objects.create(client="p1", message_id="new")
    Presence.objects.create(session=session, channel_name="dead", role="participant", last_seen=old)
    Presence.objects.create(session=session, channel_name="alive", role="participant")
    prune_bookkeeping()
    assert list(ProcessedCommand.objects.values_list("message_id", flat=True)) == ["new"]
    assert list(Presence.objects.values_list("channel_name", flat=True)) == ["alive"]
