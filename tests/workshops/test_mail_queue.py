"""E-mail goes through a queue: the request only writes it (in its transaction), the maintenance process sends it
through a real SMTP server and retries what the server refuses; times are in the workshop's zone; confirmations
carry the dates, the place and an .ics. Maintenance survives a failing job."""

import email
import email.policy
import re
import subprocess
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from dbfiles.models import DBFile
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from post_office.models import STATUS, Attachment, Email

from tests import factories
from tests.mailbox import mailbox
from tests.platform.servers import server_env
from tests.support import ROOT, VENV_BIN, free_port, stop
from workshops import emails, mail_queue
from workshops.models import Enrollment
from workshops.services import enrollment as enrollment_services
from workshops.services import organizations as org_services
from workshops.services import scheduling

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = "https://attune.example"


class RefusingThenAccepting:
    """An SMTP server's handler that answers 451 (try again later) to the first `refusals` recipients."""

    def __init__(self, refusals):
        self.refusals = refusals
        self.attempts = 0
        self.accepted = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts += 1
        if self.attempts <= self.refusals:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted.append((envelope.rcpt_tos, envelope.original_content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port; yields (handler, port)."""
    handler = RefusingThenAccepting(refusals=2)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def evening_workshop():
    """Published, in Berlin, one session on Tuesday 15 January 2030, 19:00-21:00 Berlin (18:00-20:00 UTC)."""
    ws = factories.workshop(factories.organization(), title="Evening of listening", venue="The Garden Room")
    scheduling.session_create(
        workshop=ws, starts_at=datetime(2030, 1, 15, 19), ends_at=datetime(2030, 1, 15, 21), title="Evening"
    )
    return scheduling.workshop_publish(workshop=ws)


def maintenance_process(tmp_path, *args, **env):
    """`manage.py run_maintenance` as the production `maintenance` service runs it, on this test's database."""
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    process = subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "run_maintenance", *args],
        cwd=ROOT,
        env=server_env(**env),
        stdout=out.open("w"),
        stderr=err.open("w"),
    )
    return process, out, err


def wait_until(condition, timeout=30.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the maintenance process exited with {process.returncode}")
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def test_registration_answers_at_once_and_the_mail_arrives_once_after_the_workers_retries(smtp_server, tmp_path):
    handler, port = smtp_server
    ws = evening_workshop()
    with override_settings(PUBLIC_BASE_URL=PUBLIC):
        response = Client().post(
            reverse("workshop_register", args=[ws.public_id]),
            {"contact_email": "kim@example.test", "display_name": "Kim"},
        )
    assert response.status_code == 302
    assert handler.attempts == 0  # the request never spoke to the mail server
    assert list(Email.objects.values_list("to", "status")) == [(["kim@example.test"], STATUS.queued)]

    process, _, err = maintenance_process(
        tmp_path,
        *("--every", "60", "--mail-every", "1"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="false",
        MAIL_RETRY_SECONDS="1",
    )
    try:
        wait_until(lambda: handler.accepted, process=process)
        wait_until(lambda: Email.objects.filter(status=STATUS.sent).exists(), process=process)
        time.sleep(2.5)  # two more mail rounds: nothing is sent twice
    finally:
        stop(process)

    assert handler.attempts == 3  # refused twice (451), accepted on the second retry
    assert len(handler.accepted) == 1
    recipients, raw = handler.accepted[0]
    assert recipients == ["kim@example.test"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Your place at Evening of listening"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP's line ends
    token = re.search(rf"{PUBLIC}/i/([\w-]+)\n", body).group(1)
    kim = Enrollment.objects.get(contact_email="kim@example.test")
    assert enrollment_services.enrollment_by_invitation(token) == kim
    assert (
        "When (times in Europe/Berlin):\n- Tuesday 15 January 2030, 19:00–21:00 · Evening\nWhere: The Garden Room\n"
        in body
    )

    [attachment] = list(message.iter_attachments())
    assert (attachment.get_content_type(), attachment.get_filename()) == ("text/calendar", "attune-workshop.ics")
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    session = ws.sessions.get()
    assert str(event["uid"]) == f"session-{session.pk}-{ws.public_id}@attune.example"  # PUBLIC_BASE_URL's host
    assert str(event["summary"]) == "Evening of listening: Evening"
    assert event.decoded("dtstart") == datetime(2030, 1, 15, 18, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 1, 15, 20, tzinfo=UTC)
    assert str(event["location"]) == "The Garden Room"

    logged = err.read_text()
    assert logged.count("Failed to send email") == 2
    assert "kim@example.test" not in logged and token not in logged


def test_a_registration_whose_transaction_rolls_back_queues_nothing():
    ws = evening_workshop()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.register(ws, name="Lee")
        assert Email.objects.count() == 1  # queued inside the registration's transaction
        raise RuntimeError("the request failed after registering")
    assert Email.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert mailbox() == []


def test_times_in_emails_are_in_the_workshops_zone_named():
    assert emails.local_time(datetime(2026, 12, 3, 17, 56, tzinfo=UTC), "Europe/Berlin") == (
        "3 December 2026, 18:56 (Europe/Berlin)"
    )
    assert emails.local_time(datetime(2027, 7, 1, 16, 56, tzinfo=UTC), "Europe/Berlin") == (
        "1 July 2027, 18:56 (Europe/Berlin)"
    )


def test_a_waitlist_offer_states_its_hold_in_the_workshops_zone_and_accepting_it_sends_the_dates():
    ws = factories.workshop(factories.organization(), capacity=1, timezone_name="America/New_York", venue="Loft")
    scheduling.session_create(workshop=ws, starts_at=datetime(2030, 3, 5, 18), ends_at=datetime(2030, 3, 5, 20))
    scheduling.workshop_publish(workshop=ws)
    first, _ = factories.register(ws, name="Ada")
    waiting, _ = factories.register(ws, name="Bo")
    enrollment_services.enrollment_cancel(enrollment=first, by="couple")
    offer = waiting.offers.get()
    [offer_mail] = [m for m in mailbox() if m.subject.startswith("A place at")]
    held_until = offer.expires_at.astimezone(ZoneInfo("America/New_York"))
    assert f"It is held for you until {held_until:%-d %B %Y, %H:%M} (America/New_York); " in offer_mail.body
    assert "UTC" not in offer_mail.body

    enrollment_services.waitlist_offer_accept(offer=offer)
    confirmation = mailbox()[-1]
    assert (confirmation.to, confirmation.subject) == (["bo@example.test"], f"Your place at {ws.title}")
    assert "When (times in America/New_York):\n- Tuesday 5 March 2030, 18:00–20:00\nWhere: Loft\n" in confirmation.body
    [(name, content, mimetype)] = confirmation.attachments
    assert (name, mimetype) == ("attune-workshop.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2030, 3, 5, 23, tzinfo=UTC)


def test_an_online_workshops_confirmation_gives_the_video_link_as_its_place():
    ws = factories.workshop(
        factories.organization(), format="online", venue="", video_link="https://video.example/room-7"
    )
    scheduling.session_create(workshop=ws, starts_at=datetime(2030, 1, 15, 19), ends_at=datetime(2030, 1, 15, 20))
    scheduling.workshop_publish(workshop=ws)
    factories.register(ws, name="Cy")
    [confirmation] = mailbox()
    assert "\nOnline: https://video.example/room-7\n" in confirmation.body
    [event] = Calendar.from_ical(confirmation.attachments[0][1]).walk("VEVENT")
    assert str(event["location"]) == "https://video.example/room-7"


def test_a_session_past_midnight_names_the_day_it_ends():
    ws = factories.workshop(factories.organization(), title="Night vigil")
    scheduling.session_create(workshop=ws, starts_at=datetime(2030, 6, 1, 22), ends_at=datetime(2030, 6, 2, 1))
    scheduling.workshop_publish(workshop=ws)
    factories.register(ws, name="Fay")
    [confirmation] = mailbox()
    assert "\n- Saturday 1 June 2030, 22:00–Sunday 2 June 2030, 01:00\n" in confirmation.body


def test_a_staff_invitation_expires_in_the_organizations_zone():
    org = factories.organization(timezone_name="Asia/Tokyo")
    invitation, _ = org_services.staff_invite(
        organization=org, email="sam@example.test", role="organizer", invited_by=None, by_role="owner"
    )
    [invite] = mailbox()
    expires = invitation.expires_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"(the link expires {expires:%-d %B %Y, %H:%M} (Asia/Tokyo)):\n" in invite.body


def test_sent_mail_is_purged_after_the_keep_period_with_its_calendar_file_and_unsent_mail_stays():
    ws = evening_workshop()
    factories.register(ws, name="Old")
    mailbox()
    factories.register(ws, name="Recent")
    mailbox()
    Email.objects.filter(to="old@example.test").update(created=timezone.now() - timedelta(hours=49))
    factories.register(ws, name="Waiting")  # still queued, however old
    Email.objects.filter(to="waiting@example.test").update(created=timezone.now() - timedelta(hours=49))
    assert Attachment.objects.count() == 3

    assert mail_queue.purge_old() == 1

    assert sorted(Email.objects.values_list("to", flat=True)) == [["recent@example.test"], ["waiting@example.test"]]
    assert Attachment.objects.count() == 2
    assert DBFile.objects.count() == 2


def test_no_admin_page_shows_a_queued_email():
    # Django's admin is not installed at all (tests/config/test_security_headers.py), so the admin pages
    # django-post-office and django-dbfiles bring are never mounted.
    assert not apps.is_installed("django.contrib.admin")
    for path in ("/admin/post_office/email/", "/admin/post_office/attachment/", "/admin/dbfiles/dbfile/"):
        assert Client().get(path).status_code == 404


def test_the_mail_cadence_must_be_at_least_a_second():
    with pytest.raises(CommandError, match="--mail-every must be at least 1 second"):
        call_command("run_maintenance", "--every", "60", "--mail-every", "0")


def test_maintenance_logs_a_failing_job_and_keeps_running_its_other_jobs_and_next_rounds(tmp_path):
    """A real database error: the mail queue's table is renamed away under the running process, then back."""
    from realtime.models import ProcessedCommand

    ws = evening_workshop()
    factories.register(ws, name="Dee")
    ProcessedCommand.objects.create(client="p1", message_id="old", created_at=timezone.now() - timedelta(days=2))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE post_office_email RENAME TO post_office_email_away")
    renamed = True
    process, out, err = maintenance_process(tmp_path, "--every", "1", "--mail-every", "1")
    try:
        wait_until(lambda: err.read_text().count("maintenance job mail_delivery failed") >= 2, process=process)
        assert not ProcessedCommand.objects.exists()  # the other jobs ran in those rounds
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE post_office_email_away RENAME TO post_office_email")
        renamed = False
        wait_until(lambda: f"Subject: Your place at {ws.title}" in out.read_text(), process=process)
        # Written out, then marked sent: not stopped in between (a loaded machine once stopped it there).
        wait_until(lambda: Email.objects.get().status == STATUS.sent, process=process)
    finally:
        stop(process)
        if renamed:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE post_office_email_away RENAME TO post_office_email")

    error_class = "ProgrammingError" if connection.vendor == "postgresql" else "OperationalError"
    failures = [line for line in err.read_text().splitlines() if "maintenance job" in line]
    assert {re.search(r"maintenance job (\w+) failed: (\w+)$", line).groups() for line in failures} == {
        ("mail_delivery", error_class),
        ("mail_purge", error_class),
    }
    assert "dee@example.test" not in err.read_text()
    assert Email.objects.get().status == STATUS.sent


@pytest.mark.postgres
def test_a_second_sender_sends_nothing_while_the_first_holds_the_queue():
    import psycopg

    ws = evening_workshop()
    factories.register(ws, name="Eve")
    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [mail_queue.SENDER_LOCK_KEY])
        assert mail_queue.deliver_queued() == (0, 0, 0)
        assert Email.objects.get().status == STATUS.queued
        other.execute("SELECT pg_advisory_unlock(%s)", [mail_queue.SENDER_LOCK_KEY])
        assert mail_queue.deliver_queued() == (1, 0, 0)
    finally:
        other.close()
    assert [m.to for m in mailbox()] == [["eve@example.test"]]
