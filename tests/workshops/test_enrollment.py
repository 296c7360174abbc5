"""Registration counts couples; the waitlist offers freed seats in order, and offers expire without a worker."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.mailbox import mailbox
from workshops.errors import DomainError
from workshops.models import Enrollment, WaitlistOffer
from workshops.selectors.enrollment import enrollment_counts, waitlist
from workshops.services import enrollment as services
from workshops.services import scheduling

pytestmark = pytest.mark.django_db(transaction=True)


def offer_token_from_mail(message):
    return re.search(r"/offer/([\w-]+)", message.body).group(1)


def fill(ws, confirmed, waitlisted):
    made = [factories.register(ws) for _ in range(confirmed + waitlisted)]
    return [e for e, _ in made]


def test_couples_are_confirmed_until_capacity_then_waitlisted():
    ws = factories.published_workshop(capacity=5)
    enrollments = fill(ws, 5, 2)
    assert [e.status for e in enrollments] == ["confirmed"] * 5 + ["waitlisted"] * 2
    assert enrollment_counts(ws) == {"confirmed": 5, "waitlisted": 2, "cancelled": 0, "offered": 0, "free": 0}
    subjects = [m.subject for m in mailbox()]
    assert subjects.count(f"Your place at {ws.title}") == 5
    assert subjects.count(f"You're on the waitlist for {ws.title}") == 2


def test_registration_stores_only_a_digest_of_the_invitation_token():
    ws = factories.published_workshop()
    enrollment, raw = factories.register(ws, "Robin")
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert raw not in stored.invitation_digest
    assert services.enrollment_by_invitation(raw).pk == enrollment.pk
    assert f"/i/{raw}" in mailbox()[-1].body


def test_registration_refused_for_a_draft_or_outside_its_window():
    org = factories.organization()
    draft = factories.workshop(org)
    with pytest.raises(DomainError, match="Registration is not open"):
        services.registration_submit(workshop=draft, contact_email="a@example.test", display_name="A")
    ws = factories.published_workshop(org)
    scheduling.workshop_update(
        workshop=ws,
        registration_closes_at=timezone.now() - timedelta(minutes=1),
        registration_opens_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(DomainError, match="Registration has closed"):
        services.registration_submit(workshop=ws, contact_email="a@example.test", display_name="A")


@pytest.mark.parametrize(
    ("email", "name", "field"),
    [
        ("not-an-email", "Sam", "contact_email"),
        ("sam@example.test", "   ", "display_name"),
        ("sam@example.test", "x" * 61, "display_name"),
    ],
)
def test_registration_input_errors_name_the_field(email, name, field):
    ws = factories.published_workshop()
    with pytest.raises(DomainError) as caught:
        services.registration_submit(workshop=ws, contact_email=email, display_name=name)
    assert caught.value.field == field
    assert ws.enrollments.count() == 0


def test_a_second_registration_with_the_same_email_resends_a_new_link_and_keeps_one_place():
    ws = factories.published_workshop()
    enrollment, first_raw = factories.register(ws, "Kim")
    with pytest.raises(DomainError) as caught:
        services.registration_submit(workshop=ws, contact_email="KIM@example.test", display_name="Kim")
    assert caught.value.code == "already_registered"
    assert ws.enrollments.count() == 1
    new_raw = re.search(r"/i/([\w-]+)", mailbox()[-1].body).group(1)
    assert new_raw != first_raw
    assert services.enrollment_by_invitation(new_raw).pk == enrollment.pk
    with pytest.raises(DomainError, match="not valid"):
        services.enrollment_by_invitation(first_raw)


def test_cancellation_offers_the_seat_to_the_first_waitlisted_couple_who_accepts():
    ws = factories.published_workshop(capacity=5)
    enrollments = fill(ws, 5, 2)
    first_waiting, second_waiting = enrollments[5], enrollments[6]
    mailbox().clear()

    services.enrollment_cancel(enrollment=enrollments[2], by="organizer")

    assert [m.to for m in mailbox()] == [[enrollments[2].contact_email], [first_waiting.contact_email]]
    entries = waitlist(ws)
    assert [(e.pk, offer is not None) for e, offer in entries] == [(first_waiting.pk, True), (second_waiting.pk, False)]
    assert enrollment_counts(ws)["free"] == 0  # the pending offer holds the seat

    offer = services.offer_by_token(offer_token_from_mail(mailbox()[-1]))
    enrollment, _ = services.waitlist_offer_accept(offer=offer)
    assert enrollment.pk == first_waiting.pk
    assert enrollment.status == "confirmed"
    assert enrollment_counts(ws) == {"confirmed": 5, "waitlisted": 1, "cancelled": 1, "offered": 0, "free": 0}


def test_an_expired_offer_passes_to_the_next_couple_when_the_waitlist_is_read(settings):
    ws = factories.published_workshop(capacity=1)
    confirmed, first, second = fill(ws, 1, 2)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    offer = WaitlistOffer.objects.get(enrollment=first)
    assert offer.expires_at - offer.created_at == timedelta(hours=24)
    WaitlistOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    mailbox().clear()

    services.waitlist_refresh(workshop=ws)  # what every read of the waitlist does first

    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == "expired"
    assert (first.status, first.cancel_reason) == ("cancelled", "offer_expired")
    assert WaitlistOffer.objects.get(enrollment=second).status == "pending"
    assert [m.to[0] for m in mailbox()] == [first.contact_email, second.contact_email]
    with pytest.raises(DomainError, match="expired"):
        services.waitlist_offer_accept(offer=offer)


def test_the_maintenance_command_expires_offers_with_no_request_at_all():
    ws = factories.published_workshop(capacity=1)
    confirmed, first, second = fill(ws, 1, 2)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    WaitlistOffer.objects.filter(enrollment=first).update(expires_at=timezone.now() - timedelta(minutes=5))

    call_command("run_maintenance")

    assert WaitlistOffer.objects.get(enrollment=first).status == "expired"
    assert WaitlistOffer.objects.get(enrollment=second).status == "pending"


def test_accepting_an_offer_past_its_expiry_fails_even_before_any_refresh():
    ws = factories.published_workshop(capacity=1)
    confirmed, first = fill(ws, 1, 1)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    offer = WaitlistOffer.objects.get(enrollment=first)
    WaitlistOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="expired"):
        services.waitlist_offer_accept(offer=offer)
    first.refresh_from_db()
    assert first.status == "cancelled"


def test_declining_an_offer_passes_it_on():
    ws = factories.published_workshop(capacity=1)
    confirmed, first, second = fill(ws, 1, 2)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    services.waitlist_offer_decline(offer=WaitlistOffer.objects.get(enrollment=first))
    first.refresh_from_db()
    assert (first.status, first.cancel_reason) == ("cancelled", "offer_declined")
    assert WaitlistOffer.objects.get(enrollment=second).status == "pending"


def test_new_registrations_do_not_jump_the_waitlist_while_an_offer_is_pending():
    ws = factories.published_workshop(capacity=1)
    confirmed, first = fill(ws, 1, 1)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    late, _ = factories.register(ws)
    assert late.status == "waitlisted"


def test_raising_capacity_offers_the_new_seats_and_lowering_below_taken_is_refused():
    ws = factories.published_workshop(capacity=2)
    fill(ws, 2, 2)
    scheduling.workshop_update(workshop=ws, capacity_couples=3)
    assert enrollment_counts(ws)["offered"] == 1
    with pytest.raises(DomainError, match="3 couples already hold places") as caught:
        scheduling.workshop_update(workshop=ws, capacity_couples=2)
    assert caught.value.field == "capacity_couples"


def test_cancelling_twice_is_a_clear_error():
    ws = factories.published_workshop()
    enrollment, _ = factories.register(ws)
    services.enrollment_cancel(enrollment=enrollment, by="couple")
    with pytest.raises(DomainError, match="already cancelled"):
        services.enrollment_cancel(enrollment=enrollment, by="couple")


def test_the_public_page_answers_the_same_for_a_new_and_an_already_registered_address(client):
    ws = factories.published_workshop(capacity=1)
    first = client.post(f"/w/{ws.public_id}/", {"display_name": "Kim", "contact_email": "kim@example.test"})
    again = client.post(f"/w/{ws.public_id}/", {"display_name": "Kim", "contact_email": "kim@example.test"})
    full = client.post(f"/w/{ws.public_id}/", {"display_name": "Lou", "contact_email": "lou@example.test"})
    assert first["Location"] == again["Location"] == full["Location"] == f"/w/{ws.public_id}/sent/"
    assert [m.subject for m in mailbox()] == [f"Your place at {ws.title}"] * 2 + [
        f"You're on the waitlist for {ws.title}"
    ]


def test_cancelling_a_workshop_ends_every_place_and_offer_and_tells_each_couple():
    ws = factories.published_workshop(capacity=1)
    confirmed, first, second = fill(ws, 1, 2)
    services.enrollment_cancel(enrollment=confirmed, by="couple")
    mailbox().clear()
    scheduling.workshop_cancel(workshop=ws)
    assert set(ws.enrollments.values_list("status", flat=True)) == {"cancelled"}
    assert not WaitlistOffer.objects.filter(status="pending").exists()
    assert sorted(m.to[0] for m in mailbox()) == sorted([first.contact_email, second.contact_email])
