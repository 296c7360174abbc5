"""Two couples take the last seat at the same moment: exactly one gets it."""

import threading

import pytest
from django.db import connections

from tests import factories
from workshops.models import Enrollment
from workshops.services import enrollment as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(workshop, names):
    barrier = threading.Barrier(len(names))
    results, errors = {}, []

    def take_seat(name):
        try:
            barrier.wait()
            enrollment, _ = services.registration_submit(
                workshop=workshop, contact_email=f"{name}@example.test", display_name=name
            )
            results[name] = enrollment.status
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_seat, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.parametrize("attempt", range(5))
def test_two_couples_taking_the_last_seat_at_once_exactly_one_wins(attempt):
    ws = factories.published_workshop(capacity=3)
    factories.register(ws)
    factories.register(ws)

    results, errors = race(ws, [f"a{attempt}", f"b{attempt}"])

    assert errors == []
    assert sorted(results.values()) == ["confirmed", "waitlisted"]
    assert ws.enrollments.filter(status=Enrollment.Status.CONFIRMED).count() == 3


def test_eight_couples_racing_for_two_seats_fill_exactly_two():
    ws = factories.published_workshop(capacity=2)
    results, errors = race(ws, [f"c{n}" for n in range(8)])
    assert errors == []
    assert sorted(results.values()) == ["confirmed"] * 2 + ["waitlisted"] * 6
