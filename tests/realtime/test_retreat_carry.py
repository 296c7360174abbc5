"""A retreat keeps what its couples built: their shared worksheet items (a boundary map, a check-in plan) and
agreements from the workshop's earlier sessions are in the couple snapshot of the next session, sealed as they
were written and with the session they were written in (the phones open them for it). Private entries of an
earlier session (answers, reflections) and removed items are not carried. The phone lays the items out by the
steps of those sessions (`item_steps` of the live API's `me`): titles and section labels, never content.
"""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from realtime.models import CoupleEntry, CoupleSpace, Participant
from realtime.services.session import state_for
from tests import factories
from tests.realtime.conftest import _couple, marked
from workshops.models import Exercise, Session
from workshops.services import library, scheduling

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = timezone.timedelta(hours=1)


def _two_day_retreat():
    """Day one ran the boundary map (part 1), day two, under way now, the check-in (part 2)."""
    org = factories.organization()
    parts = [["boundary-map"], ["check-in-ground-rules"]]
    items = [
        {"exercise": Exercise.objects.get(organization=None, key=key).pk, "part": part}
        for part, keys in enumerate(parts, start=1)
        for key in keys
    ]
    program = library.program_create(organization=org, title="Retreat", items=items)
    workshop = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Retreat",
        timezone_name="UTC",
        capacity_couples=6,
        format="online",
        video_link="https://v.example/x",
    )
    now = timezone.now()
    day_one = scheduling.session_create(workshop=workshop, starts_at=now + HOUR, ends_at=now + 2 * HOUR)
    day_two = scheduling.session_create(workshop=workshop, starts_at=now + 3 * HOUR, ends_at=now + 4 * HOUR)
    scheduling.workshop_publish(workshop=workshop)
    # The clock moves on to day two: the rows are set directly (the service refuses a session in the past).
    Session.objects.filter(pk=day_one.pk).update(starts_at=now - 24 * HOUR, ends_at=now - 23 * HOUR)
    Session.objects.filter(pk=day_two.pk).update(starts_at=now - 5 * timezone.timedelta(minutes=1), ends_at=now + HOUR)
    day_one.refresh_from_db()
    day_two.refresh_from_db()
    return day_one, day_two


def _day_one_work(day_one, couple, ana):
    """What the couple wrote on day one (as the phones seal it: here marked stand-ins)."""
    steps = state_for(day_one).steps  # day one ran: its steps are frozen
    worksheet = next(i for i, s in enumerate(steps) if s["kind"] == "worksheet")
    answer = next(i for i, s in enumerate(steps) if s["kind"] == "answer_reveal")
    space = CoupleSpace.objects.create(session=day_one, couple=couple)
    rows = {
        "kept": (worksheet, "item", "i1", "shared", marked("DAY-ONE-ITEM"), False),
        "removed": (worksheet, "item", "i2", "shared", None, True),
        "answer": (answer, "answer", "0", f"p{ana.pk}", marked("DAY-ONE-ANSWER"), False),
        "reflection": (0, "reflection", "0", f"p{ana.pk}", marked("DAY-ONE-REFLECTION"), False),
    }
    for step_index, kind, key, scope, payload, deleted in rows.values():
        fields = {"step_index": step_index, "kind": kind, "key": key, "scope": scope, "payload": payload}
        CoupleEntry.objects.create(space=space, author=ana, deleted=deleted, **fields)
    return worksheet, rows["kept"][4]


async def test_a_couples_worksheet_from_day_one_is_in_its_day_two_snapshot(builtin_library):
    day_one, day_two = await sync_to_async(_two_day_retreat)()
    ana_phone, ben_phone = await sync_to_async(_couple)(day_two, ["Ana", "Ben"])
    ana = await sync_to_async(Participant.objects.select_related("couple").get)(pk=ana_phone.participant_id)
    worksheet, item = await sync_to_async(_day_one_work)(day_one, ana.couple, ana)

    for phone in (ana_phone, ben_phone):
        await phone.connect(day_two.pk)
        frame = await phone.wait_for(lambda f: f["type"] == "couple")
        carried = [e for e in frame["state"]["entries"] if e.get("session_id") is not None]
        assert carried == [
            {
                "kind": "item",
                "step_index": worksheet,
                "key": "i1",
                "scope": "shared",
                "mine": phone is ana_phone,
                "passed": False,
                "kept_back": False,
                "version": 1,
                "payload": item,
                "session_id": day_one.pk,
            }
        ]
        assert "DAY-ONE-ANSWER" not in str(frame) and "DAY-ONE-REFLECTION" not in str(frame)

    me = (await sync_to_async(ana_phone.get)(f"/live/api/sessions/{day_two.pk}/me")).json()
    laid_out = [
        (s["session_id"], s["step_index"], s["title"], [x["label"] for x in s["sections"]]) for s in me["item_steps"]
    ]
    assert laid_out == [
        (day_one.pk, worksheet, "Build the shared map", ["Non-negotiables", "Negotiables", "To revisit"]),
        (
            day_two.pk,
            2,
            "Write down your check-in",
            ["When and where", "Our ground rules", "How we check we understood", "If we miss one"],
        ),
    ]
    assert all(
        set(s)
        == {
            "session_id",
            "starts_at",
            "step_index",
            "kind",
            "exercise",
            "title",
            "sections",
            "language",
            "translations",
        }
        for s in me["item_steps"]
    )
    # Program structure in each language it has, nothing anyone wrote.
    assert all(
        set(texts) == {"exercise", "title", "sections"}
        for s in me["item_steps"]
        for texts in s["translations"].values()
    )
