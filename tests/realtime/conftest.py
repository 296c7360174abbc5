import re

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from bench import sealed
from realtime.models import Participant
from realtime.services import joining
from tests import factories
from tests.realtime.phones import Device
from workshops.models import Program
from workshops.services import scheduling


def _live_workshop(capacity=6):
    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    program = Program.objects.get(organization=None, key="online-90")
    ws = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Live test",
        timezone_name="UTC",
        capacity_couples=capacity,
        format="online",
        video_link="https://v.example/x",
    )
    start = timezone.now() - timezone.timedelta(minutes=5)
    session = scheduling.session_create(workshop=ws, starts_at=start, ends_at=start + timezone.timedelta(hours=2))
    scheduling.workshop_set_facilitators(workshop=ws, users=[facilitator])
    scheduling.workshop_publish(workshop=ws)
    return session, facilitator, org


def _couple(session, names, one_phone=False, admitted=True):
    """A walk-in couple whose phones joined by code and paired (or one phone, or one partner waiting), admitted
    to the anonymous feedback as a facilitator admits it (couple.admit) unless `admitted` is False."""
    phones = []
    for name in names:
        phone = Device()
        phone.post("/live/api/join/code", {"code": session.join_code})
        entered = phone.post("/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": name})
        phone.participant_id = _ok(entered)["me"]["participant_id"]
        phones.append(phone)
    if one_phone:
        phones[0].post("/live/api/pair/one-phone", {"session_id": session.pk, "enabled": True})
    elif len(phones) == 2:
        pair_by_exchange(session, *phones)
    else:
        phones[0].post("/live/api/pair/start", {"session_id": session.pk})
    if admitted:
        joining.couple_admit(couple=Participant.objects.get(pk=phones[0].participant_id).couple, session=session)
    return phones


@pytest.fixture
def live(builtin_library):
    """A running online workshop session (the built-in 90-minute program), its facilitator and a couple maker."""

    class Live:
        pass

    live = Live()
    live.session, live.facilitator_user, live.org = _live_workshop()
    live.couple = lambda *names, one_phone=False, admitted=True: sync_to_async(_couple)(
        live.session, names, one_phone, admitted
    )
    live.staff_device = lambda user=None: Device(user or live.facilitator_user)
    return live


def _custom_live(exercise_keys):
    from workshops.models import Exercise
    from workshops.services import library

    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    items = [{"exercise": Exercise.objects.get(organization=None, key=key).pk} for key in exercise_keys]
    program = library.program_create(organization=org, title="Custom", items=items)
    ws = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Custom live",
        timezone_name="UTC",
        capacity_couples=6,
        format="online",
        video_link="https://v.example/x",
    )
    start = timezone.now() - timezone.timedelta(minutes=5)
    session = scheduling.session_create(workshop=ws, starts_at=start, ends_at=start + timezone.timedelta(hours=3))
    scheduling.workshop_set_facilitators(workshop=ws, users=[facilitator])
    scheduling.workshop_publish(workshop=ws)
    return session, facilitator, org


@pytest.fixture
def custom_live(builtin_library):
    """A session whose program is the given built-in exercises, e.g. custom_live("boundary-map")."""

    async def make(*keys):
        class Live:
            pass

        live = Live()
        live.session, live.facilitator_user, live.org = await sync_to_async(_custom_live)(keys)
        live.couple = lambda *names, one_phone=False, admitted=True: sync_to_async(_couple)(
            live.session, names, one_phone, admitted
        )
        live.staff_device = lambda user=None: Device(user or live.facilitator_user)
        return live

    return make


def pair_by_exchange(session, first, joiner, exchange=None):
    """The first phone shows a code, the joiner types it: the key exchange's public values as the phones send them
    (bench/sealed.py), both confirm, the first with the wrapped couple key. Returns the request id."""
    exchange = exchange or sealed.Exchange()
    code = _ok(first.post("/live/api/pair/start", {"session_id": session.pk}))["code"]
    joined = {"session_id": session.pk, "code": code, "commitment": exchange.commitment}
    request = {"session_id": session.pk, "request_id": _ok(joiner.post("/live/api/pair/join", joined))["request_id"]}
    _ok(first.post("/live/api/pair/key", {**request, "public_key": exchange.creator_key}))
    _ok(joiner.post("/live/api/pair/key", {**request, "public_key": exchange.joiner_key}))
    _ok(first.post("/live/api/pair/confirm", {**request, "wrapped_key": sealed.wrapped_key()}))
    assert _ok(joiner.post("/live/api/pair/confirm", request))["paired"] is True
    return request["request_id"]


def _ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def marked(marker=""):
    """A payload in the sealed form (bench/sealed.py) that ends with a readable marker of base64url characters, so
    a test can look for it in what others received: to the server it is ciphertext like any other."""
    assert re.fullmatch(r"[A-Za-z0-9_-]*", marker), marker
    return sealed.sealed() + marker
