"""The process-local fan-out (realtime/fanout.py): one channel-layer subscription per process per group, the
already-encoded frame written to each local socket, no socket left behind, no slow socket stalling the others."""

import asyncio
import contextlib
import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from realtime import broadcast, fanout, groups
from realtime.fanout import Hub, frame_event
from realtime.member import Member
from realtime.services import presence
from tests import factories
from tests.support import redis_on_its_port


class Socket:
    """A fake ASGI send that records what it was given; `gate` (an Event) makes it wait, like a full buffer."""

    def __init__(self, gate=None, fail=False):
        self.sent, self.gate, self.fail = [], gate, fail

    async def __call__(self, message):
        if self.fail:
            raise OSError("connection reset")
        if self.gate is not None and not self.gate.is_set():
            await self.gate.wait()
        self.sent.append(message["text"])


def group_name():
    return f"live.test{uuid.uuid4().hex[:8]}.all"


async def settle():
    for _ in range(5):
        await asyncio.sleep(0.01)


async def members_in_layer(layer, group):
    """The channels the layer holds as members of `group`: the in-memory layer's memberships, or the channels this
    process's Redis pub/sub layer delivers the group's subscription to."""
    if isinstance(layer, InMemoryChannelLayer):
        return set(layer.groups.get(group, {}))
    return set(layer.groups.get(layer._get_group_channel_name(group), ()))


async def test_one_subscription_per_process_and_the_frame_written_to_every_socket():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    sockets = [Socket() for _ in range(50)]
    outlets = [await hub.join(group, s) for s in sockets]
    for outlet in outlets:
        outlet.open()
    assert await members_in_layer(layer, group) == {hub.channel}  # one member, not fifty
    await layer.group_send(group, frame_event(group, '{"type":"session","version":2}', "session"))
    await settle()
    assert all(s.sent == ['{"type":"session","version":2}'] for s in sockets)


async def test_frames_for_another_group_or_without_one_reach_nobody():
    layer = InMemoryChannelLayer()
    hub, group, other = Hub(layer), group_name(), group_name()
    socket = Socket()
    (await hub.join(group, socket)).open()
    hub.deliver(frame_event(other, "x", "session"))
    hub.deliver({"type": "live.frame", "text": "y"})
    assert socket.sent == []


async def test_the_last_socket_to_leave_unsubscribes_the_process_and_leaves_no_entry():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    a, b = await hub.join(group, Socket()), await hub.join(group, Socket())
    hub.leave(group, a)
    hub.leave(group, a)  # idempotent
    await settle()
    assert hub.sockets(group) == 1 and group in hub.subscribed
    hub.leave(group, b)
    await settle()
    assert hub.sockets() == 0 and group not in hub.groups and group not in hub.subscribed
    assert await members_in_layer(layer, group) == set()


async def test_a_socket_joining_while_the_last_one_leaves_keeps_the_subscription():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    first = await hub.join(group, Socket())
    hub.leave(group, first)  # the unsubscribe is scheduled, not yet run
    late = Socket()
    (await hub.join(group, late)).open()
    await settle()
    assert group in hub.subscribed and await members_in_layer(layer, group) == {hub.channel}
    await layer.group_send(group, frame_event(group, "after", "session"))
    await settle()
    assert late.sent == ["after"]


async def test_what_a_process_remembers_of_a_group_lasts_until_an_event_of_it_arrives_or_it_expires():
    layer = InMemoryChannelLayer()
    hub, group, other = Hub(layer), group_name(), group_name()
    assert hub.generation(group) is None  # not subscribed: nothing to go by
    hub.remember(group, None, "frames", ttl=60)
    assert hub.recall(group) is None
    outlet = await hub.join(group, Socket())
    await hub.join(other, Socket())
    seen = hub.generation(group)
    hub.remember(group, seen, "frames v1", ttl=60)
    hub.deliver(frame_event(other, "x", "session"))  # another group's change changes nothing here
    assert hub.recall(group) == "frames v1"
    hub.deliver(frame_event(group, "v2", "session"))
    assert hub.recall(group) is None  # a change of the group arrived: read it again
    hub.remember(group, seen, "read before v2 arrived", ttl=60)
    assert hub.recall(group) is None  # a read that raced the change is not kept
    hub.remember(group, hub.generation(group), "frames v2", ttl=0.05)
    assert hub.recall(group) == "frames v2"
    await asyncio.sleep(0.06)
    assert hub.recall(group) is None  # expired
    hub.remember(group, hub.generation(group), "frames v2", ttl=60)
    hub.leave(group, outlet)
    await settle()
    assert hub.generation(group) is None and hub.recall(group) is None  # unsubscribed: events would be missed
    again = await hub.join(group, Socket())
    hub.remember(group, seen, "from before the unsubscribe", ttl=60)
    assert hub.recall(group) is None and hub.generation(group) != seen
    hub.leave(group, again)


async def test_a_participants_frame_carried_in_the_session_group_counts_as_a_change_of_it():
    layer = InMemoryChannelLayer()
    hub, session_id = Hub(layer), 424242
    everyone, ana = groups.session_everyone(session_id), groups.participant(session_id, 1)
    phone = Socket()
    outlet = await hub.join(everyone, phone)
    await hub.join(ana, outlet=outlet)
    outlet.open()
    hub.remember(everyone, hub.generation(everyone), "frames", ttl=60)
    hub.deliver(
        {
            "type": "live.frames",
            "frames": [[ana, "ana's", "couple"], [groups.participant(session_id, 2), "ben's", "couple"]],
            "group": everyone,
        }
    )
    assert phone.sent == ["ana's"]  # only her own frame of the two carried together
    assert hub.recall(everyone) is None


async def test_frames_wait_for_the_first_snapshots_then_come_in_order_newest_of_each_kind():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    socket = Socket()
    outlet = await hub.join(group, socket)
    for text, kind in (("s1", "session"), ("f1", "feedback"), ("s2", "session")):
        hub.deliver(frame_event(group, text, kind))
    assert socket.sent == []  # the socket has not sent its own snapshots yet
    outlet.open()
    await settle()
    assert socket.sent == ["f1", "s2"]  # s1 is superseded by s2: snapshots are complete
    hub.deliver(frame_event(group, "s3", "session"))
    assert socket.sent == ["f1", "s2", "s3"]  # once open, written at once


async def test_a_slow_socket_does_not_stall_the_others_and_ends_on_the_newest_frame():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    gate = asyncio.Event()
    slow, fast = Socket(gate=gate), Socket()
    for socket in (slow, fast):
        (await hub.join(group, socket)).open()
    for version in range(1, 101):
        hub.deliver(frame_event(group, f"v{version}", "session"))
    assert fast.sent == [f"v{v}" for v in range(1, 101)]  # never waited for the slow one
    assert slow.sent == []
    gate.set()
    await settle()
    assert slow.sent == ["v1", "v100"]  # the write under way, then only the newest
    hub.deliver(frame_event(group, "v101", "session"))
    await settle()
    assert slow.sent[-1] == "v101" and fast.sent[-1] == "v101"


async def test_a_failing_socket_does_not_keep_the_others_from_their_frame():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    broken, fine = Socket(fail=True), Socket()
    for socket in (broken, fine):
        (await hub.join(group, socket)).open()
    hub.deliver(frame_event(group, "v1", "session"))
    assert fine.sent == ["v1"]


async def test_leaving_cancels_a_pending_write():
    layer = InMemoryChannelLayer()
    hub, group = Hub(layer), group_name()
    slow = Socket(gate=asyncio.Event())
    outlet = await hub.join(group, slow)
    outlet.open()
    hub.deliver(frame_event(group, "v1", "session"))
    hub.deliver(frame_event(group, "v2", "session"))
    assert outlet.task is not None
    task = outlet.task
    hub.leave(group, outlet)
    await settle()
    assert task.done() and outlet.task is None and not outlet.waiting and hub.sockets() == 0


async def test_two_processes_each_get_one_message_and_write_it_to_their_own_sockets():
    """Two hubs on two channel layers of the same kind stand for two server processes."""
    if settings.REDIS_URL:
        from channels_redis.pubsub import RedisPubSubChannelLayer

        def make():
            return RedisPubSubChannelLayer(hosts=[settings.REDIS_URL], prefix=f"fanouttest{uuid.uuid4().hex[:6]}")

        first = make()
        layers = (first, RedisPubSubChannelLayer(hosts=[settings.REDIS_URL], prefix=first.prefix), first)
    else:
        shared = InMemoryChannelLayer()
        layers = (shared, shared, shared)
    group = group_name()
    hubs = [Hub(layers[0]), Hub(layers[1])]
    sockets = [[Socket(), Socket()], [Socket()]]
    for hub, mine in zip(hubs, sockets, strict=True):
        for socket in mine:
            (await hub.join(group, socket)).open()
    await layers[2].group_send(group, frame_event(group, "v7", "session"))
    for _ in range(100):
        if all(s.sent for mine in sockets for s in mine):
            break
        await asyncio.sleep(0.02)
    assert [[s.sent for s in mine] for mine in sockets] == [[["v7"], ["v7"]], [["v7"]]]
    for hub in hubs:
        for outlet in list(hub.groups.get(group, {})):
            hub.leave(group, outlet)
        await settle()
        for task in hub.tasks:
            task.cancel()
    for layer in {id(x): x for x in layers}.values():
        await layer.flush()  # Redis's connections closed on this test's loop (in memory: emptied)


async def test_a_participants_frame_crosses_processes_inside_its_sessions_group_and_reaches_only_that_participant():
    layer = InMemoryChannelLayer()  # one layer, two hubs: two processes
    session_group = groups.session_everyone(901)
    ana_group, ben_group = groups.participant(901, 1), groups.participant(901, 2)
    here, there = Hub(layer), Hub(layer)
    ana, ben, someone = Socket(), Socket(), Socket()
    for hub, socket, own in ((here, ana, ana_group), (there, ben, ben_group), (there, someone, None)):
        outlet = await hub.join(session_group, socket)
        if own:
            await hub.join(own, outlet=outlet)
        outlet.open()
    assert here.subscribed == {session_group} and there.subscribed == {session_group}
    assert set(layer.groups) == {session_group}  # no membership per participant

    await broadcast._send_all(layer, [(ben_group, '{"type":"couple","version":3}', "couple")])
    for _ in range(50):
        if ben.sent:
            break
        await asyncio.sleep(0.02)
    assert ben.sent == ['{"type":"couple","version":3}']
    assert ana.sent == [] and someone.sent == []  # the same process's other phones, and the other process's
    for hub in (here, there):
        for group, members in list(hub.groups.items()):
            for outlet in list(members):
                hub.leave(group, outlet)
        await settle()
        assert hub.groups == {} and not hub.subscribed
        for task in hub.tasks:
            task.cancel()


async def test_changes_queued_while_the_sender_is_busy_travel_together_and_every_socket_gets_them_in_order():
    """The process's sender takes every change waiting in its outbox at once: a run of frames to one carrier is
    one channel-layer message (the hub counts one event), a frame to another carrier between them starts a new
    run, so that no socket sees its frames reordered. On the configured layer (Redis's pub/sub on PostgreSQL
    runs)."""
    layer = get_channel_layer()
    hub = Hub(layer)
    session_group, staff_group = groups.session_everyone(903), groups.session_staff(903)
    ana_group, ben_group = groups.participant(903, 1), groups.participant(903, 2)
    ana, ben, staff = Socket(), Socket(), Socket()
    for socket, joined in (
        (ana, (session_group, ana_group)),
        (ben, (session_group, ben_group)),
        (staff, (staff_group,)),
    ):
        outlet = None
        for group in joined:
            outlet = await hub.join(group, socket, outlet=outlet)
        outlet.open()
    before = hub.generation(session_group), hub.generation(staff_group)

    def couple(version):
        text = f'{{"type":"couple","version":{version}}}'
        return [(ana_group, text, "couple"), (ben_group, text, "couple")]

    for version in range(1, 21):  # twenty couple messages committed while the sender was busy
        broadcast._enqueue(couple(version))
    broadcast._enqueue([(staff_group, '{"type":"roster","n":1}', "roster")])
    broadcast._enqueue(couple(21))
    for _ in range(100):
        if len(ana.sent) == len(ben.sent) == 21 and staff.sent:
            break
        await asyncio.sleep(0.02)

    expected = [f'{{"type":"couple","version":{version}}}' for version in range(1, 22)]
    assert ana.sent == expected and ben.sent == expected  # each frame once, in the order committed
    assert staff.sent == ['{"type":"roster","n":1}']
    # Three channel-layer messages, not twenty-two: the twenty, the staff's, the last one.
    assert (hub.generation(session_group) - before[0], hub.generation(staff_group) - before[1]) == (2, 1)
    broadcast._outboxes.pop(asyncio.get_running_loop())[1].cancel()
    for group, members in list(hub.groups.items()):
        for outlet in list(members):
            hub.leave(group, outlet)
    await settle()
    for task in hub.tasks:
        task.cancel()


# --- through the real sockets -------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


def everyone(live):
    return groups.session_everyone(live.session.pk)


@pytestmark_db
async def test_phones_and_projector_share_one_subscription_and_a_disconnect_leaves_no_entry(live):
    ana, ben = await live.couple("Ana", "Ben")
    projector = await sync_to_async(live.staff_device)()
    await ana.connect(live.session.pk)
    await ben.connect(live.session.pk)
    await projector.connect(live.session.pk, role="projector")
    for device in (ana, ben):
        await device.wait_for(lambda f: f["type"] == "my_feedback")
    await projector.wait_for(lambda f: f["type"] == "feedback")
    hub = fanout.hub_for(get_channel_layer())
    assert hub.sockets(everyone(live)) == 3
    assert everyone(live) in hub.subscribed
    await ana.close()
    await settle()
    assert hub.sockets(everyone(live)) == 2
    await ben.close()
    await projector.close()
    await settle()
    assert hub.sockets(everyone(live)) == 0 and everyone(live) not in hub.subscribed


@pytestmark_db
async def test_a_session_change_reaches_every_phone_once_through_the_hub(live):
    phones = [*await live.couple("Ana", "Ben"), *await live.couple("Cleo", "Dan")]
    for phone in phones:
        await phone.connect(live.session.pk)
        await phone.wait_for(lambda f: f["type"] == "my_feedback")
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    version = (await fac.wait_for(lambda f: f["type"] == "session"))["version"]
    assert (await fac.command("session.command", action="start", expected_version=version))["type"] == "ack"
    for phone in phones:
        frame = await phone.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 1)
        assert frame["state"]["status"] == "running" and "run_of_show" not in frame["state"]
    await asyncio.sleep(0.2)
    for phone in phones:
        assert [f["version"] for f in phone.frames if f["type"] == "session"].count(version + 1) == 1
    for device in (*phones, fac):
        await device.close()


@pytestmark_db
async def test_a_removed_couple_leaves_the_hub_at_once(live):
    ana, ben = await live.couple("Ana", "Ben")
    await ana.connect(live.session.pk)
    await ana.wait_for(lambda f: f["type"] == "my_feedback")
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["couples"])
    hub = fanout.hub_for(get_channel_layer())
    assert hub.sockets(everyone(live)) == 1
    await fac.command("couple.remove", couple_id=roster["couples"][0]["couple_id"])
    await ana.wait_for(lambda f: f["type"] == "removed")
    assert hub.sockets(everyone(live)) == 0
    await fac.close()


@pytestmark_db
async def test_a_refused_socket_in_a_session_this_process_serves_leaves_no_entry_and_hears_nothing(live):
    """A socket joins its role's groups before it is identified (so that one database trip admits it): one that is
    refused leaves them at once, and none of their frames reach it."""
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.realtime.phones import ORIGIN

    ana, _ = await live.couple("Ana", "Ben")
    await ana.connect(live.session.pk)
    await ana.wait_for(lambda f: f["type"] == "my_feedback")
    hub = fanout.hub_for(get_channel_layer())
    outsider = await sync_to_async(factories.member)(await sync_to_async(factories.organization)(), "owner")
    stranger_device = await sync_to_async(live.staff_device)(outsider)
    for path, headers, code in (
        (f"/ws/live/{live.session.pk}/", [ORIGIN], 4401),
        (f"/ws/live/{live.session.pk}/?as=facilitator", [ORIGIN, stranger_device.cookie()], 4403),
    ):
        socket = WebsocketCommunicator(application, path, headers=headers)
        await socket.connect()
        assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": code}
        await settle()
        assert hub.sockets(everyone(live)) == 1 and hub.sockets(groups.session_staff(live.session.pk)) == 0
        await socket.wait()
    await ana.close()


@pytestmark_db
async def test_a_socket_that_fails_while_connecting_leaves_no_entry(live, monkeypatch):
    (ana,) = await live.couple("Ana")

    def broken(self, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Member, "first_frames", broken)
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.realtime.phones import ORIGIN

    socket = WebsocketCommunicator(application, f"/ws/live/{live.session.pk}/", headers=[ORIGIN, ana.cookie()])
    with pytest.raises(RuntimeError, match="database went away"):
        await socket.connect()
        await socket.receive_from(timeout=2)
    await settle()
    hub = fanout.hub_for(get_channel_layer())
    assert hub.sockets(everyone(live)) == 0


@pytestmark_db
async def test_a_facilitator_is_not_in_the_public_fan_out(live):
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await fac.wait_for(lambda f: f["type"] == "feedback")
    assert fanout.hub_for(get_channel_layer()).sockets(everyone(live)) == 0
    await fac.close()


def test_published_frames_carry_their_group_and_kind_for_the_hubs():
    event = frame_event("live.1.all", json.dumps({"type": "session"}), "session")
    assert event == {"type": "live.frame", "text": '{"type": "session"}', "group": "live.1.all", "kind": "session"}


@pytestmark_db
async def test_a_process_renews_all_its_sockets_together_and_never_a_closed_one(live):
    from django.utils import timezone

    from realtime.models import Presence

    old = timezone.now() - timezone.timedelta(seconds=20)
    names = [f"specific.test!{n}" for n in range(3)]
    for name in [*names, "specific.test!closed"]:
        await sync_to_async(Presence.objects.create)(
            channel_name=name, session=live.session, participant=None, role="facilitator", last_seen=old
        )
    batch = presence.Renewals(interval=0.05)
    batch.CHUNK = 2  # more sockets than one statement holds
    for name in [*names, "specific.test!closed", "specific.test!gone"]:
        batch.track(name)
    batch.untrack("specific.test!closed")  # a socket that closed: no longer renewed
    await sync_to_async(Presence.objects.filter(channel_name="specific.test!gone").delete)()
    renewed = []
    for _ in range(100):
        await asyncio.sleep(0.02)
        renewed = await sync_to_async(list)(
            Presence.objects.filter(channel_name__in=names, last_seen__gt=old).values_list("channel_name", flat=True)
        )
        if len(renewed) == 3:
            break
    assert sorted(renewed) == names
    closed = await sync_to_async(Presence.objects.get)(channel_name="specific.test!closed")
    assert closed.last_seen == old
    assert not await sync_to_async(Presence.objects.filter(channel_name="specific.test!gone").exists)()
    for name in names:
        batch.untrack(name)
    batch.untrack("specific.test!gone")
    for _ in range(20):  # with nothing left to renew, the timer ends
        if batch.task is None:
            break
        await asyncio.sleep(0.05)
    assert batch.task is None


@pytestmark_db
async def test_a_participant_socket_has_no_timer_of_its_own_and_is_renewed_by_its_process(live):
    from realtime.models import Presence

    (ana,) = await live.couple("Ana")
    await ana.connect(live.session.pk)
    await ana.wait_for(lambda f: f["type"] == "my_feedback")
    socket_names = await sync_to_async(list)(
        Presence.objects.filter(session=live.session, role="participant").values_list("channel_name", flat=True)
    )
    assert len(socket_names) == 1
    assert socket_names[0] in presence.renewals().live
    assert [t for t in asyncio.all_tasks() if "_beat" in repr(t.get_coro())] == []
    await ana.close()
    await settle()
    assert socket_names[0] not in presence.renewals().live


@pytestmark_db
async def test_a_phone_has_no_channel_of_its_own_and_gets_its_couple_frames_through_the_hub(live):
    ana, ben = await live.couple("Ana", "Ben")
    for phone in (ana, ben):
        await phone.connect(live.session.pk)
        await phone.wait_for(lambda f: f["type"] == "my_feedback")
    layer = get_channel_layer()
    hub = fanout.hub_for(layer)
    couple_groups = [g for g in hub.groups if g != everyone(live)]
    assert len(couple_groups) == 2 and all(hub.sockets(g) == 1 for g in couple_groups)  # one per partner
    assert all(groups.carrier(g) == everyone(live) for g in couple_groups)  # carried in the session's group
    assert hub.subscribed == {everyone(live)}  # the process's one subscription: nothing per phone in the layer
    assert await members_in_layer(layer, everyone(live)) == {hub.channel}
    assert [await members_in_layer(layer, g) for g in couple_groups] == [set(), set()]
    assert (await ana.command("couple.pause", raised=True))["type"] == "ack"
    frame = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["pause"]["raised"])
    assert frame["state"]["pause"]["by_me"] is False  # Ben's own view, not Ana's
    mine = await ana.latest("couple")  # it may have come before the ack
    assert mine["state"]["pause"] == {"raised": True, "by_me": True}
    await ana.close()
    await ben.close()
    await settle()
    assert hub.groups == {} and not hub.subscribed


@pytestmark_db
async def test_staff_and_projector_sockets_have_no_channel_and_get_their_groups_through_the_hub(live):
    """Staff and projector sockets receive like phones: their groups are the hub's subscriptions (so Redis can fail
    without ending them), and a participant's frame, carried in the session's group, reaches that participant's
    socket and no staff socket."""

    from realtime.models import Presence

    (ana,) = await live.couple("Ana")
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await fac.wait_for(lambda f: f["type"] == "feedback")
    await projector.connect(live.session.pk, role="projector")
    await projector.wait_for(lambda f: f["type"] == "feedback")
    await ana.connect(live.session.pk)
    await ana.wait_for(lambda f: f["type"] == "my_feedback")
    sid = live.session.pk
    layer = get_channel_layer()
    hub = fanout.hub_for(layer)
    assert hub.subscribed == {groups.session_staff(sid), groups.session_projectors(sid), everyone(live)}
    assert (hub.sockets(groups.session_staff(sid)), hub.sockets(groups.session_projectors(sid))) == (1, 1)
    assert hub.sockets(everyone(live)) == 2  # the projector and Ana
    if hasattr(layer, "groups"):  # the in-memory layer shows its memberships: the hub's channel only
        for group in hub.subscribed:
            assert await members_in_layer(layer, group) == {hub.channel}

    ana_id = await sync_to_async(
        lambda: Presence.objects.get(session=live.session, role="participant").participant_id
    )()
    for group, kind in (
        (groups.participant(sid, ana_id), "secret"),
        (groups.session_staff(sid), "marker"),
        (groups.session_projectors(sid), "screen"),
    ):
        assert await broadcast.send_event(layer, group, frame_event(group, json.dumps({"type": kind}), kind)) is True
    assert (await ana.wait_for(lambda f: f["type"] == "secret"))["type"] == "secret"
    await fac.wait_for(lambda f: f["type"] == "marker")
    await projector.wait_for(lambda f: f["type"] == "screen")
    assert not any(f["type"] in ("secret", "screen") for f in fac.frames)
    assert not any(f["type"] in ("secret", "marker") for f in projector.frames)
    for device in (ana, fac, projector):
        await device.close()
    await settle()
    assert hub.groups == {} and not hub.subscribed


# --- Redis down: the hub and the publisher give up quickly, stay quiet and recover (tests/realtime/test_redis_outage.py
# runs the whole thing through real server processes) ------------------------------------------------------------------


def redis_layer(url):
    from channels_redis.pubsub import RedisPubSubChannelLayer

    return RedisPubSubChannelLayer(hosts=[url], prefix=f"t{uuid.uuid4().hex[:6]}")


async def until_pushed(layer, sockets_by_group, timeout=5.0):
    """Send a frame to each group every 50 ms until every socket has one; how long that took."""
    started = asyncio.get_running_loop().time()
    while not all(socket.sent for socket in sockets_by_group.values()):
        assert asyncio.get_running_loop().time() - started < timeout, "no frame came through"
        for group in sockets_by_group:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(layer.group_send(group, frame_event(group, '{"type":"x"}', "x")), 0.2)
        await asyncio.sleep(0.05)
    return asyncio.get_running_loop().time() - started


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.parametrize("fault", ["refused", "hung"])
async def test_a_socket_joins_at_once_while_redis_is_down_and_its_group_is_subscribed_when_redis_answers(fault):
    with redis_on_its_port() as redis:
        layer = redis_layer(redis.url)
        hub, before, during = Hub(layer), group_name(), group_name()
        early, late = Socket(), Socket()
        (await hub.join(before, early)).open()
        redis.stop() if fault == "refused" else redis.pause()
        started = asyncio.get_running_loop().time()
        (await hub.join(during, late)).open()
        joined_in = asyncio.get_running_loop().time() - started
        assert joined_in < fanout.LAYER_TIMEOUT_S + 0.2  # never the socket's problem
        # Registered at once; subscribed now or when Redis answers (on pub/sub, a SUBSCRIBE may go out on a
        # connection Redis has left: redis-py's PubSub makes its subscriptions again when it connects again).
        assert hub.sockets(during) == 1
        await asyncio.sleep(1.5)  # the hub keeps trying meanwhile
        redis.start() if fault == "refused" else redis.resume()
        resumed_in = await until_pushed(layer, {before: early, during: late})
        assert during in hub.subscribed and hub.down_since is None
        for task in hub.tasks:
            task.cancel()
    print(f"\n{fault}: a join took {joined_in * 1000:.0f} ms; pushes resumed {resumed_in * 1000:.0f} ms after Redis")


@pytest.mark.redis
@pytest.mark.slow
async def test_a_publish_while_redis_hangs_gives_up_within_its_limit_and_the_next_ones_do_not_wait(monkeypatch):
    monkeypatch.setattr(broadcast, "_outage", broadcast._Outage())
    with redis_on_its_port() as redis:
        layer, group = redis_layer(redis.url), groups.session_staff(1)
        event = frame_event(group, '{"type":"session"}', "session")
        assert await broadcast.send_event(layer, group, event) is True
        redis.pause()
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await broadcast.send_event(layer, group, event) is False
        first = loop.time() - started
        started = loop.time()
        assert [await broadcast.send_event(layer, group, event) for _ in range(100)] == [False] * 100
        next_hundred = loop.time() - started
        redis.resume()
        await asyncio.sleep(fanout.RETRY_S)
        assert await broadcast.send_event(layer, group, event) is True
    assert fanout.LAYER_TIMEOUT_S <= first < fanout.LAYER_TIMEOUT_S + 0.3
    assert next_hundred < 0.1  # dropped at once for RETRY_S after a failure
    assert broadcast._outage.since is None


@pytest.mark.redis
async def test_the_senders_outbox_keeps_at_most_its_limit_while_redis_hangs(monkeypatch):
    from django.test import override_settings

    monkeypatch.setattr(broadcast, "_outage", broadcast._Outage())
    monkeypatch.setattr(broadcast, "OUTBOX_LIMIT", 5)
    with redis_on_its_port() as redis:
        backend = "channels_redis.pubsub.RedisPubSubChannelLayer"
        config = {"default": {"BACKEND": backend, "CONFIG": {"hosts": [redis.url]}}}
        with override_settings(CHANNEL_LAYERS=config):
            redis.pause()
            for version in range(50):
                broadcast._enqueue([(groups.session_staff(1), f'{{"version":{version}}}', "session")])
            queue, sender = broadcast._outboxes[asyncio.get_running_loop()]
            assert (queue.qsize(), broadcast._outage.dropped) == (5, 45)  # the newest five kept, the oldest dropped
            kept = [queue.get_nowait() for _ in range(5)]  # each (its frames, when it was committed)
            assert [json.loads(frames[0][1])["version"] for frames, _ in kept] == [45, 46, 47, 48, 49]
            sender.cancel()
            redis.resume()
