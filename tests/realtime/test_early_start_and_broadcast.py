"""Issue 16, live: starting a session long before it is planned asks the facilitator first (the console could start
one months early without a word), and a broadcast belongs to its step (it stayed on every phone and the projector
until cleared by hand)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from realtime.errors import LiveError
from realtime.services.session import session_command, state_for
from tests import factories
from workshops.services import scheduling

pytestmark = pytest.mark.django_db(transaction=True)


def planned_in(delta):
    """A published workshop (Berlin) whose one session starts `delta` from now."""
    org = factories.organization()
    workshop = factories.workshop(org, timezone_name="Europe/Berlin")
    start = timezone.now() + delta
    session = scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timedelta(hours=2))
    scheduling.workshop_publish(workshop=workshop)
    return session


def start(session, **args):
    return session_command(session=session, action="start", expected_version=state_for(session).version, args=args)


def test_a_session_planned_for_later_starts_only_when_the_facilitator_says_so(builtin_library):
    session = planned_in(timedelta(days=90))
    with pytest.raises(LiveError) as refused:
        start(session)
    local = session.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert refused.value.code == "too_early"
    assert f"{local:%-d %B %Y, %H:%M} (Europe/Berlin)" in refused.value.message
    assert state_for(session).status == "lobby"
    assert start(session, early=True).status == "running"


def test_within_the_hour_before_its_start_a_session_starts_at_once(builtin_library):
    assert start(planned_in(timedelta(minutes=50))).status == "running"


async def test_the_console_is_told_when_it_is_planned_and_may_start_it_anyway(builtin_library):
    from tests.realtime.phones import Device

    session = await sync_to_async(planned_in)(timedelta(days=3))
    user = await sync_to_async(lambda: session.workshop.organization.memberships.get(role="owner").user)()
    console = await sync_to_async(Device)(user)
    await console.connect(session.pk, role="facilitator")
    version = (await console.wait_for(lambda f: f["type"] == "session"))["version"]
    refused = await console.command("session.command", action="start", expected_version=version)
    assert (refused["type"], refused["code"]) == ("error", "too_early")
    assert "Start it now anyway?" in refused["message"]
    started = await console.command("session.command", action="start", expected_version=version, early=True)
    assert started["type"] == "ack"
    frame = await console.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "running")
    assert frame["state"]["step_index"] == 0
    await console.close()


def test_a_new_step_clears_the_broadcast(live):
    start(live.session)
    state = session_command(
        session=live.session, action="broadcast", expected_version=state_for(live.session).version, args={"text": "Tea"}
    )
    assert state.broadcast == "Tea"
    state = session_command(session=live.session, action="advance", expected_version=state.version)
    assert (state.broadcast, state.broadcast_at) == ("", None)
