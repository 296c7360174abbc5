"""A workshop's cancellation deadline and contact e-mail, and the reminder schedules (the organization's and a
workshop's own), over the API: read and changed with the rules and words of the workshop form and the settings page
(workshops.services.scheduling, workshops.services.reminders), and in effect for couples."""

from datetime import timedelta

import pytest
from django.test import Client

from tests.mailbox import mailbox
from tests.workshops.api.conftest import in_days
from tests.workshops.pages.helpers import text_of
from workshops.models import Enrollment, Organization, Workshop
from workshops.services import enrollment as enrollment_services
from workshops.services import reminders

pytestmark = pytest.mark.django_db

CONTACT_NEEDED = "Give an e-mail address: after the cancellation deadline couples write to it to cancel."


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


@pytest.fixture
def organizer(own, api_as):
    return api_as(own.users["organizer"])


def workshop_url(world, workshop=None):
    return f"{world.base}/workshops/{(workshop or world.live).pk}/"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


# ---- Cancellation deadline and contact --------------------------------------------------------------------------


def test_an_organizer_sets_reads_and_clears_the_cancellation_terms(own, organizer, anonymous):
    deadline = in_days(38, 17)
    url = workshop_url(own)
    assert (organizer.get(url).json()["cancellation_deadline"], organizer.get(url).json()["contact_email"]) == (
        None,
        "",
    )

    changed = organizer.patch(
        url, {"cancellation_deadline": deadline.isoformat(), "contact_email": "  hello@acme.test "}
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["cancellation_deadline"], body["contact_email"]) == (
        deadline.isoformat().replace("+00:00", "Z"),
        "hello@acme.test",
    )
    stored = Workshop.objects.get(pk=own.live.pk)
    assert (stored.cancellation_deadline, stored.contact_email) == (deadline, "hello@acme.test")
    listed = organizer.get(f"{own.base}/workshops/?status=published").json()["results"]
    assert [(w["cancellation_deadline"], w["contact_email"]) for w in listed] == [
        (body["cancellation_deadline"], "hello@acme.test")
    ]

    # Couples see them: on the public endpoint, the registration page, and (past the deadline) when cancelling.
    public = anonymous.get(f"/api/v1/public/workshops/{own.live.public_id}/").json()
    assert (public["cancellation_deadline"], public["contact_email"]) == (
        body["cancellation_deadline"],
        "hello@acme.test",
    )
    page = Client().get(f"/w/{own.live.public_id}/")
    assert "After that, write to hello@acme.test." in text_of(page, "cancel-terms")
    ana = Enrollment.objects.select_related("workshop").get(pk=own.enrollment.pk)
    closed = enrollment_services.online_cancellation_closed(ana, now=deadline + timedelta(minutes=1))
    assert closed.endswith("To cancel, write to hello@acme.test.")

    cleared = organizer.patch(url, {"cancellation_deadline": None, "contact_email": ""})
    assert cleared.status_code == 200
    assert (cleared.json()["cancellation_deadline"], cleared.json()["contact_email"]) == (None, "")


def test_a_new_workshop_takes_its_cancellation_terms_and_reminders(own, owner):
    response = owner.post(
        f"{own.base}/workshops/",
        {
            "program": own.program.pk,
            "title": "Retreat",
            "capacity_couples": 6,
            "cancellation_deadline": "2030-06-01T18:00:00+02:00",
            "contact_email": "retreat@acme.test",
            "reminder_days": [1, 7],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["cancellation_deadline"], body["contact_email"]) == ("2030-06-01T16:00:00Z", "retreat@acme.test")
    assert (body["reminder_days"], body["reminder_schedule"]) == ([7, 1], [7, 1])


@pytest.mark.parametrize(
    ("body", "field", "detail"),
    [
        ({"cancellation_deadline": "2030-06-01T18:00:00+02:00"}, "contact_email", CONTACT_NEEDED),
        ({"contact_email": "not an address"}, "contact_email", "contact_email: Enter a valid email address."),
        ({"contact_email": ["a@acme.test"]}, "contact_email", "contact_email: Enter a valid email address."),
        (
            {"cancellation_deadline": "2030-06-01T18:00:00", "contact_email": "a@acme.test"},
            "cancellation_deadline",
            "cancellation_deadline: Give the time with its UTC offset, e.g. 2026-05-01T09:00:00+02:00.",
        ),
        (
            {"cancellation_deadline": "next Friday", "contact_email": "a@acme.test"},
            "cancellation_deadline",
            "cancellation_deadline: Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss][+HH:MM|Z].",
        ),
        (
            {"cancellation_deadline": 1767225600, "contact_email": "a@acme.test"},
            "cancellation_deadline",
            "cancellation_deadline: Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss][+HH:MM|Z].",
        ),
    ],
)
def test_bad_cancellation_terms_are_refused_naming_the_field(body, field, detail, own, organizer):
    response = organizer.patch(workshop_url(own), body)
    assert response.status_code == 400, response.content
    assert (response.json()["field"], response.json()["detail"]) == (field, detail)
    stored = Workshop.objects.get(pk=own.live.pk)
    assert (stored.cancellation_deadline, stored.contact_email) == (None, "")


def test_the_deadline_is_no_later_than_the_first_session_and_keeps_its_contact(own, organizer):
    url = workshop_url(own)
    late = own.live_session.starts_at + timedelta(minutes=1)
    response = organizer.patch(url, {"cancellation_deadline": late.isoformat(), "contact_email": "a@acme.test"})
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("cancellation_deadline", "after_first_session")
    assert response.json()["detail"].startswith("The cancellation deadline must be by the time the first session ")

    on_time = own.live_session.starts_at - timedelta(days=1)
    assert (
        organizer.patch(url, {"cancellation_deadline": on_time.isoformat(), "contact_email": "a@acme.test"}).status_code
        == 200
    )
    dropped = organizer.patch(url, {"contact_email": ""})  # couples would have nobody to write to
    assert (dropped.status_code, dropped.json()) == (
        400,
        {"detail": CONTACT_NEEDED, "field": "contact_email", "code": "invalid"},
    )
    assert Workshop.objects.get(pk=own.live.pk).contact_email == "a@acme.test"


def test_the_api_and_the_workshop_form_refuse_a_deadline_without_a_contact_in_the_same_words(own, organizer):
    form = browser(own.users["organizer"]).post(
        f"/o/{own.slug}/workshops/{own.live.pk}/edit/",
        {
            "title": own.live.title,
            "program": str(own.live.program_id),
            "format": own.live.format,
            "venue": own.live.venue,
            "video_link": "",
            "timezone": own.live.timezone,
            "capacity_couples": str(own.live.capacity_couples),
            "cancellation_deadline": "2030-06-01T18:00",
            "contact_email": "",
            "reminder_days": "",
            "description": "",
        },
    )
    api = organizer.patch(workshop_url(own), {"cancellation_deadline": "2030-06-01T18:00:00+02:00"})
    assert (form.status_code, api.status_code) == (400, 400)
    assert text_of(form, "id_contact_email_error") == api.json()["detail"] == CONTACT_NEEDED


# ---- Reminder schedules --------------------------------------------------------------------------------------------


def test_the_owner_sets_the_organizations_schedule_and_a_workshop_keeps_it_or_has_its_own(own, owner, organizer):
    org_url, url = f"{own.base}/", workshop_url(own)
    assert owner.get(org_url).json()["reminder_days"] == []
    assert (organizer.get(url).json()["reminder_days"], organizer.get(url).json()["reminder_schedule"]) == (None, [])

    changed = owner.patch(org_url, {"reminder_days": [1, 7]})
    assert (changed.status_code, changed.json()["reminder_days"]) == (200, [7, 1])
    assert Organization.objects.get(pk=own.organization.pk).reminder_days == [7, 1]
    assert organizer.get(url).json()["reminder_schedule"] == [7, 1]

    own_schedule = organizer.patch(url, {"reminder_days": [3]})
    assert (own_schedule.json()["reminder_days"], own_schedule.json()["reminder_schedule"]) == ([3], [3])
    none = organizer.patch(url, {"reminder_days": []})
    assert (none.json()["reminder_days"], none.json()["reminder_schedule"]) == ([], [])
    back = organizer.patch(url, {"reminder_days": None})
    assert (back.json()["reminder_days"], back.json()["reminder_schedule"]) == (None, [7, 1])

    # The pages show what the API set.
    settings = browser(own.users["owner"]).get(f"/o/{own.slug}/settings/")
    assert 'value="7, 1"' in settings.content.decode()
    organizer.patch(url, {"reminder_days": [2]})
    detail = browser(own.users["organizer"]).get(f"/o/{own.slug}/workshops/{own.live.pk}/")
    assert text_of(detail, "reminders") == "2 days before each session"


def test_a_schedule_set_through_the_api_reminds_the_couples(own, organizer):
    assert organizer.patch(workshop_url(own), {"reminder_days": [2]}).status_code == 200
    starts = own.live_session.starts_at
    assert reminders.reminders_send_due(now=starts - timedelta(days=3)) == 0
    assert reminders.reminders_send_due(now=starts - timedelta(days=2)) == 1
    assert [m.to for m in mailbox()] == [["ana@acme.test"]]


@pytest.mark.parametrize(
    ("days", "detail"),
    [
        # The service's rules, in the settings page's words (tests/workshops/pages/test_reminder_settings.py).
        ([0], "A reminder goes 1 to 60 days before a session."),
        ([61], "A reminder goes 1 to 60 days before a session."),
        ([-3], "A reminder goes 1 to 60 days before a session."),
        ([10**30], "A reminder goes 1 to 60 days before a session."),
        ([1, 2, 3, 4, 5, 6], "Send at most 5 reminders before a session."),
        # The API's own: a list of whole numbers, each once.
        ([7, 7], "Give each day once."),
        ([7, 7, 7, 7, 7, 7], "Give each day once."),
        (["7"], "A whole number is required."),
        ([1.5], "A whole number is required."),
        ([True], "A whole number is required."),
        ("7, 1", 'Expected a list of items but got type "str".'),
        (7, 'Expected a list of items but got type "int".'),
    ],
)
@pytest.mark.parametrize("target", ["organization", "workshop"])
def test_a_schedule_that_breaks_a_rule_is_refused_naming_the_field(days, detail, target, own, owner):
    url = f"{own.base}/" if target == "organization" else workshop_url(own)
    response = owner.patch(url, {"reminder_days": days})
    assert response.status_code == 400, response.content
    assert response.json()["field"] in ("reminder_days", "reminder_days.0")
    assert response.json()["detail"] == f"{response.json()['field']}: {detail}"
    assert Organization.objects.get(pk=own.organization.pk).reminder_days == []
    assert Workshop.objects.get(pk=own.live.pk).reminder_days is None


def test_a_refused_schedule_leaves_the_other_settings_unchanged(own, owner):
    response = owner.patch(f"{own.base}/", {"name": "Renamed", "reminder_days": [90]})
    assert response.status_code == 400
    assert Organization.objects.get(pk=own.organization.pk).name == "Acme"


def test_the_api_and_the_settings_page_refuse_a_schedule_in_the_same_words(own, owner):
    page = browser(own.users["owner"]).post(
        f"/o/{own.slug}/settings/",
        {
            "name": "Acme",
            "timezone": "Europe/Berlin",
            "anonymity_k": "5",
            "retention_days": "14",
            "reminder_days": "90",
        },
    )
    api = owner.patch(f"{own.base}/", {"reminder_days": [90]})
    assert (page.status_code, api.status_code) == (400, 400)
    assert f"reminder_days: {text_of(page, 'id_reminder_days_error')}" == api.json()["detail"]


@pytest.mark.parametrize("role", ["organizer", "facilitator"])
def test_only_an_owner_changes_the_organizations_schedule_as_on_the_settings_page(role, own, api_as):
    response = api_as(own.users[role]).patch(f"{own.base}/", {"reminder_days": [7]})
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert Organization.objects.get(pk=own.organization.pk).reminder_days == []


def test_a_facilitator_reads_a_workshops_terms_but_may_not_change_them(own, api_as):
    facilitator = api_as(own.users["facilitator"])
    body = facilitator.get(workshop_url(own)).json()
    assert (body["reminder_days"], body["reminder_schedule"], body["contact_email"]) == (None, [], "")
    response = facilitator.patch(workshop_url(own), {"reminder_days": [7]})
    assert response.status_code == 403
    assert Workshop.objects.get(pk=own.live.pk).reminder_days is None
