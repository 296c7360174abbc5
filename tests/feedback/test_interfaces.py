"""Feedback through every interface: facilitator and projector sockets, partners' phones, the report and its
CSV. Below the threshold nothing shows anywhere, not even a count; answering changes nothing anyone sees."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from feedback.models import Survey
from realtime.services.session import session_command, state_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

POLL_STEP = 1  # arrival-pulse: step 1 is the scale pulse "How safe does this room feel?"


async def command(live, action, **args):
    state = await sync_to_async(state_for)(live.session)
    await sync_to_async(session_command)(session=live.session, action=action, expected_version=state.version, args=args)


def staff_client(live):
    client = Client()
    client.force_login(live.org.memberships.get(role="owner").user)
    return client


def report_views(live):
    client = staff_client(live)
    page = client.get(f"/o/{live.org.slug}/feedback/").content.decode()
    csv_lines = client.get(f"/o/{live.org.slug}/feedback/report.csv").content.decode().strip().splitlines()
    api = client.get(f"/api/v1/orgs/{live.org.slug}/feedback/report/").json()
    return page, csv_lines, api


async def test_differencing_answers_one_at_a_time_shows_nothing_until_a_release(custom_live):
    live = await custom_live("arrival-pulse")
    couples = [await live.couple(a, b) for a, b in (("A1", "A2"), ("B1", "B2"), ("C1", "C2"))]
    phones = [p for pair in couples for p in pair]
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await projector.connect(live.session.pk, role="projector")
    for phone in phones:
        await phone.connect(live.session.pk)
    await command(live, "start")
    await command(live, "goto", index=POLL_STEP)
    opened = await phones[0].wait_for(lambda f: f["type"] == "feedback" and f["prompts"])
    prompt_id = opened["prompts"][0]["id"]

    # The room has settled: staff see every phone (roster and couple-count updates are coalesced, so they may
    # come a moment after the phones connected), and nothing is still on its way to anyone.
    def everyone_in(frame):
        return frame is not None and frame["type"] == "roster" and sum(c["devices"] for c in frame["couples"]) == 6

    if not everyone_in(await fac.latest("roster")):
        await fac.wait_for(everyone_in, timeout=10)
    if (await projector.latest("presence") or {}).get("couples_present") != 3:
        await projector.wait_for(lambda f: f["type"] == "presence" and f["couples_present"] == 3, timeout=10)
    for device in [fac, projector, *phones]:
        await device.latest("feedback")
        device.frames.clear()

    answering = [phones[0], phones[1], phones[2], phones[4]]  # 4 answers from 3 couples: below k = 5
    for n, phone in enumerate(answering):
        ack = await phone.command("feedback.answer", prompt_id=prompt_id, value=1 + n)
        assert ack == {"type": "ack", "id": ack["id"], "duplicate": False}
        for other in [fac, projector, *[p for p in phones if p is not phone]]:
            if not await other.socket.receive_nothing(timeout=0.2):
                frame = await other.next_frame()
                raise AssertionError(f"an answer changed what someone else sees: {frame}")
        page, csv_lines, api = await sync_to_async(report_views)(live)
        assert "Nothing released yet" in page and csv_lines == ["question,kind,sessions,answers,couples,item,count"]
        assert api == []
    await fac.command("sync")
    staff_view = await fac.latest("feedback")
    assert [p["result"] for p in staff_view["prompts"]] == [None]
    assert "answers" not in json.dumps(staff_view["prompts"])

    refused = await fac.command("feedback.show", prompt_id=prompt_id)
    release = next(f for f in fac.frames if f["type"] == "release")
    assert (refused["type"], release["released"]) == ("ack", False)
    assert all(not f.get("shown") for f in projector.frames if f["type"] == "feedback")

    assert (await phones[5].command("feedback.answer", prompt_id=prompt_id, value=5))["type"] == "ack"
    again = await phones[5].command("feedback.answer", prompt_id=prompt_id, value=4)
    assert again["duplicate"] is True  # one answer per person
    await fac.command("feedback.show", prompt_id=prompt_id)
    assert [f for f in fac.frames if f["type"] == "release"][-1]["released"] is True
    shown = await projector.wait_for(lambda f: f["type"] == "feedback" and f["shown"])
    assert (shown["shown"][0]["result"]["answers"], shown["shown"][0]["result"]["couples"]) == (5, 3)
    assert shown["shown"][0]["result"]["counts"] == [{"value": v, "count": 1} for v in range(1, 6)]
    page, csv_lines, api = await sync_to_async(report_views)(live)
    assert "5 answers from 3 couples" in page
    assert len(csv_lines) == 6
    assert [(g["question"], g["sessions"], g["result"]["answers"]) for g in api] == [
        ("How safe does this room feel to you right now?", 1, 5)
    ]
    for device in [fac, projector, *phones]:
        await device.close()


def test_survey_editor_report_filters_are_unions_of_whole_units(builtin_library):
    from tests import factories
    from tests.feedback.conftest import Room

    room = Room()
    owner = room.org.memberships.get(role="owner").user
    client = Client()
    client.force_login(owner)
    added = client.post(
        f"/o/{room.org.slug}/feedback/survey/",
        {"action": "add", "kind": "scale", "question": "How useful was today?", "min": "1", "max": "5"},
    )
    assert added.status_code == 302
    bad = client.post(
        f"/o/{room.org.slug}/feedback/survey/",
        {"action": "add", "kind": "single", "question": "Pick", "options": "only one"},
    )
    assert bad.status_code == 400 and "Give 2 to 10 options, each of 1 to 120 characters." in bad.content.decode()
    assert Survey.objects.get(organization=room.org).prompts[0]["question"] == "How useful was today?"

    from feedback import services

    second = factories.session(room.workshop, factories.future(days=30))
    totals = {}
    for session, values in ((room.session, [1, 2, 3, 4, 5]), (second, [5, 5, 5, 5, 5, 5])):
        people = [p for _ in range(3) for p in room.couple(session=session)]  # in the session as it ends
        state = state_for(session)
        session_command(session=session, action="end", expected_version=state.version)
        (prompt,) = services.survey_prompts(session)
        for person, value in zip(people, values, strict=False):
            services.answer(prompt=prompt, participant=person, value=value)
        assert services.close(prompt=prompt).answers == len(values)
        totals[session.pk] = len(values)

    def answers(query=""):
        return (
            client.get(f"/o/{room.org.slug}/feedback/report.csv?{query}").content.decode().splitlines()[1].split(",")[3]
        )

    assert answers(f"session={room.session.pk}") == "5"
    assert answers(f"session={second.pk}") == "6"
    assert answers(f"workshop={room.workshop.pk}") == "11"  # the union of the two whole units, nothing finer
    assert answers(f"program={room.workshop.program_id}") == "11"
    assert answers("session=999999") == "11"  # the page leaves out a filter that names nothing of this org

    def api(query):
        return client.get(f"/api/v1/orgs/{room.org.slug}/feedback/report/?{query}")

    assert api(f"session={second.pk}").json()[0]["result"]["answers"] == 6  # the same units as the page
    assert api(f"workshop={room.workshop.pk}").json()[0]["result"]["answers"] == 11
    for query, field, message in (
        ("session=abc", "session", "session must be an id."),
        ("workshop=999999", "workshop", "No such workshop in this organization."),
    ):
        refused = api(query)
        assert (refused.status_code, refused.json()["field"], refused.json()["detail"]) == (400, field, message)
    facilitator = factories.member(room.org, "facilitator")
    client.force_login(facilitator)
    assert client.get(f"/o/{room.org.slug}/feedback/").status_code == 403
