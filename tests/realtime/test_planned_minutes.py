"""A program gives each exercise its own length: the console's run of show plans the session with those minutes,
shared among the exercise's steps as they share their own (issue 16: a step set to 40 minutes in the program
still planned with the exercise's own minutes)."""

from datetime import timedelta

import pytest

from realtime.services.session import state_for
from realtime.snapshots import session_staff
from realtime.steps import planned_minutes
from tests import factories
from workshops.models import Exercise, Program
from workshops.services import library, scheduling

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("item", "steps", "planned"),
    [
        (40, [10, 20], [13, 27]),  # longer: each step grows in proportion, whole minutes adding up to 40
        (20, [15, 5, 10], [10, 3, 7]),  # shorter
        (30, [10, 20], [10, 20]),  # the exercise's own length: unchanged
        (3, [10, 10, 10], [1, 1, 1]),  # never below a minute a step
        (5, [100, 1, 1, 1, 1], [1, 1, 1, 1, 1]),
        (2, [5, 5, 5], [5, 5, 5]),  # fewer minutes than steps: the program's figure cannot be kept, the steps are
    ],
)
def test_steps_share_the_programs_minutes_for_their_exercise(item, steps, planned):
    assert planned_minutes(item, steps) == planned


def session_of(program):
    org = program.organization or factories.organization()
    workshop = scheduling.workshop_create(
        organization=org, program=program, title="Planned", timezone_name="UTC", capacity_couples=4
    )
    start = factories.future()
    return scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timedelta(hours=3))


def test_the_console_plans_with_the_programs_minutes(builtin_library):
    org = factories.organization()
    exercise = Exercise.objects.filter(organization=None).exclude(steps=None).first()
    own = [step.duration_minutes for step in exercise.steps.all()]
    longer = sum(own) + 10
    program = library.program_create(
        organization=org, title="Longer", items=[{"exercise": exercise.pk, "duration_minutes": longer}]
    )
    run_of_show = session_staff(state_for(session_of(program)))["run_of_show"]
    assert sum(step["planned_minutes"] for step in run_of_show) == longer
    assert [step["planned_minutes"] for step in run_of_show] == planned_minutes(longer, own)


def test_the_built_in_ninety_minute_program_plans_ninety_minutes(builtin_library):
    program = Program.objects.get(organization=None, key="online-90")
    run_of_show = session_staff(state_for(session_of(program)))["run_of_show"]
    assert sum(step["planned_minutes"] for step in run_of_show) == 90
