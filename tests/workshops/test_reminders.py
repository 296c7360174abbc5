"""Reminders before a session: on the workshop's (or organization's) schedule, sent by run_maintenance through the
mail queue, once per couple and reminder, with the session's time in the workshop's zone, named."""

import zoneinfo
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.mailbox import mailbox
from workshops.models import Enrollment, SessionReminder
from workshops.services import enrollment as enrollment_services
from workshops.services import reminders, scheduling

pytestmark = pytest.mark.django_db


def berlin(moment):
    return f"{moment.astimezone(zoneinfo.ZoneInfo('Europe/Berlin')):%-d %B %Y, %H:%M} (Europe/Berlin)"


def workshop_starting_in(delta, *, days=(7, 1), capacity=2, title="Evening for two"):
    org = factories.organization(timezone_name="Europe/Berlin")
    reminders.organization_set_reminder_days(organization=org, days=list(days))
    ws = factories.workshop(org, capacity=capacity, title=title)
    start = (timezone.now() + delta).replace(second=0, microsecond=0)
    factories.session(ws, start, hours=3)
    scheduling.workshop_publish(workshop=ws)
    return ws, start


def register(ws, name, confirmed_days_ago=30):
    enrollment, _ = enrollment_services.registration_submit(
        workshop=ws, contact_email=f"{name.lower()}@example.net", display_name=name
    )
    if enrollment.confirmed_at:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            confirmed_at=timezone.now() - timedelta(days=confirmed_days_ago)
        )
    return enrollment


def reminder_mails():
    return [m for m in mailbox() if m.subject.startswith("Reminder:")]


def test_run_maintenance_reminds_each_confirmed_couple_once_with_the_local_time_named():
    ws, start = workshop_starting_in(timedelta(days=6, hours=20))
    for name in ("Ada", "Bo", "Cy"):  # Cy waits: no reminder
        register(ws, name)
    mailbox().clear()

    call_command("run_maintenance")
    sent = reminder_mails()
    assert sorted(m.to[0] for m in sent) == ["ada@example.net", "bo@example.net"]
    assert sent[0].subject == f"Reminder: Evening for two on {berlin(start)}"
    assert f"the next session of Evening for two starts {berlin(start)}." in sent[0].body
    assert "When (times in Europe/Berlin):" in sent[0].body
    assert "Where: The Garden Room" in sent[0].body

    call_command("run_maintenance")
    call_command("run_maintenance")
    assert len(reminder_mails()) == 2  # idempotent
    assert list(SessionReminder.objects.values_list("days_before", flat=True)) == [7, 7]

    # A day before: the second reminder, once.
    assert reminders.reminders_send_due(now=start - timedelta(hours=23)) == 2
    assert reminders.reminders_send_due(now=start - timedelta(hours=22)) == 0
    assert sorted(SessionReminder.objects.values_list("days_before", flat=True)) == [1, 1, 7, 7]


def test_only_the_nearest_due_reminder_goes_and_none_before_the_couple_was_confirmed():
    ws, start = workshop_starting_in(timedelta(hours=20))
    register(ws, "Ada", confirmed_days_ago=30)
    register(ws, "Bo", confirmed_days_ago=0)  # registered a moment ago: their confirmation said it all
    mailbox().clear()
    assert reminders.reminders_send_due() == 1
    assert [(m.to, m.subject) for m in reminder_mails()] == [
        (["ada@example.net"], f"Reminder: Evening for two on {berlin(start)}")
    ]
    assert list(SessionReminder.objects.values_list("days_before", flat=True)) == [1]


def test_a_retreats_second_day_is_not_announced_during_the_first():
    ws, start = workshop_starting_in(timedelta(days=3), days=(1,))
    factories.session(ws, start + timedelta(days=1), hours=3, title="Day 2")
    register(ws, "Ada")
    assert reminders.reminders_send_due(now=start - timedelta(hours=20)) == 1  # before day 1
    assert reminders.reminders_send_due(now=start + timedelta(hours=5)) == 0  # day 2's would fall on day 1
    assert SessionReminder.objects.get().session.starts_at == start


def test_a_workshop_schedule_overrides_the_organizations_and_none_sends_nothing():
    ws, start = workshop_starting_in(timedelta(days=2, hours=12), days=(7, 1))
    register(ws, "Ada")
    scheduling.workshop_update(workshop=ws, reminder_days="none")
    assert reminders.reminders_send_due(now=start - timedelta(hours=2)) == 0
    scheduling.workshop_update(workshop=ws, reminder_days="3")
    assert reminders.reminders_send_due() == 1
    assert list(SessionReminder.objects.values_list("days_before", flat=True)) == [3]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("7, 1", [7, 1]), ("1;7;7", [7, 1]), ("none", []), ("", []), (" 14 ", [14])],
)
def test_reminder_schedules_are_read_as_typed(typed, expected):
    assert reminders.reminder_days_clean(typed) == expected
