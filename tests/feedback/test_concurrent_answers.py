"""Answers arriving at the same moment (several database threads and server processes answer at once): each
is recorded once, none is refused as a duplicate, none is counted twice."""

import threading

import pytest
from django.db import connections

from feedback import pending, services
from feedback.models import Receipt
from realtime.errors import LiveError
from tests.feedback.conftest import Room

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_twelve_people_answering_at_once_are_each_recorded_exactly_once(attempt):
    room = Room()
    people = [p for n in range(6) for p in room.couple((f"a{n}", f"b{n}"))]
    prompt = services.prompt_add_live(session=room.session, data={"kind": "scale", "question": "How was it?"})
    barrier = threading.Barrier(len(people))
    errors = []

    def answer(person, value):
        try:
            barrier.wait()
            services.answer(prompt=prompt, participant=person, value=value)
        except LiveError as error:
            errors.append(error.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(p, 1 + n % 5)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Receipt.objects.filter(prompt=prompt).values_list("participant_id", flat=True)) == sorted(
        p.pk for p in people
    )
    assert len(pending.waiting(prompt)) == len(people)
    with pytest.raises(LiveError, match="already answered"):
        services.answer(prompt=prompt, participant=people[0], value=3)
