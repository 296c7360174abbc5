"""Issue 17: every e-mail in its recipient's language, kept with the enrollment or invitation, whoever's request
(or no request: the maintenance job) sends it; its dates written the way that language writes them, in the
workshop's zone. A couple's language is the one they registered in (page or public API) or the one the organizer
who added them chose; an invitation's the one its sender chose; a staff member's the one on their account, else
the installation's. The API answers a refusal in the caller's language."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar

from tests.mailbox import mailbox
from tests.workshops.api.conftest import Api
from workshops import emails
from workshops.models import AccountLanguage, Enrollment, Membership, StaffInvitation
from workshops.models.organizations import Role
from workshops.services import enrollment as enrollment_services
from workshops.services import library as library_services
from workshops.services import organizations as org_services
from workshops.services import reminders
from workshops.services import scheduling as scheduling_services

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# Written out here, not taken from Django, so the tests say what a German reader expects to see.
MONATE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
          "Dezember"]  # fmt: skip
MONATE_KURZ = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]


@pytest.fixture(autouse=True)
def _installation_language_after():
    """A German request leaves German active in this thread (LocaleMiddleware activates, nothing deactivates): the
    next test starts in the installation's language again."""
    yield
    translation.deactivate()


def deutsch(moment):
    """'5. März 2030, 18:00 (Europe/Berlin)'."""
    local = moment.astimezone(BERLIN)
    return f"{local.day}. {MONATE[local.month - 1]} {local.year}, {local:%H:%M} (Europe/Berlin)"


def english(moment):
    return f"{moment.astimezone(BERLIN):%-d %B %Y, %H:%M} (Europe/Berlin)"


def mails_to(address):
    return [m for m in mailbox() if m.to == [address]]


def the_mail(address, subject_start):
    [found] = [m for m in mails_to(address) if m.subject.startswith(subject_start)]
    return found


def user(email, first_name=""):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=email, email=email, password=None, first_name=first_name)


def browser(language=None, user=None):
    """A browser whose Accept-Language asks for `language` (none: the installation's)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def organizer(db):
    owner = user("owner@example.org", "Olu")
    organization = org_services.organization_create(name="Open Hearts", owner=owner, timezone_name="Europe/Berlin")
    organizer = user("organizer@example.org", "Ora")
    Membership.objects.create(organization=organization, user=organizer, role=Role.ORGANIZER)
    organizer.organization = organization
    return organizer


def evening(organization, *, capacity, starts=datetime(2030, 3, 5, 18), hours=2, **terms):
    """A published workshop of one session (by default Tuesday 5 March 2030, 18:00 to 20:00 in Berlin)."""
    exercise = library_services.exercise_create(
        organization=organization,
        title="Listening in turns",
        steps=[{"kind": "instruction", "title": "Welcome", "duration_minutes": 5}],
    )
    program = library_services.program_create(
        organization=organization, title="Evening", items=[{"exercise": exercise.pk, "duration_minutes": 30}]
    )
    workshop = scheduling_services.workshop_create(
        organization=organization,
        program=program,
        title="Frühlingsabend",
        timezone_name="Europe/Berlin",
        capacity_couples=capacity,
        venue="Studio 4, Berlin",
        **terms,
    )
    scheduling_services.session_create(workshop=workshop, starts_at=starts, ends_at=starts + timedelta(hours=hours))
    return scheduling_services.workshop_publish(workshop=workshop)


def register_on_the_page(workshop, name, language):
    response = browser(language).post(
        f"/w/{workshop.public_id}/", {"display_name": name, "contact_email": f"{name.lower()}@example.net"}
    )
    assert response.status_code == 302
    return Enrollment.objects.get(workshop=workshop, display_name=name)


# ---- Couples -------------------------------------------------------------------------------------------------------


def test_a_couple_registering_in_german_gets_every_mail_in_german_and_an_english_couple_in_english(organizer):
    deadline = datetime(2030, 3, 1, 12, tzinfo=BERLIN)
    workshop = evening(
        organizer.organization, capacity=1, cancellation_deadline=deadline, contact_email="hallo@example.org"
    )
    bea = register_on_the_page(workshop, "Bea", "de")
    ada = register_on_the_page(workshop, "Ada", "en-GB,en;q=0.9")
    cy = register_on_the_page(workshop, "Cy", "de-AT,de;q=0.8,en;q=0.5")
    assert (bea.language, ada.language, cy.language) == ("de", "en", "de")
    assert (bea.status, ada.status, cy.status) == ("confirmed", "waitlisted", "waitlisted")

    # Bea's place, in German: the subject, the words, the dates as German writes them, the cancellation terms.
    confirmation = the_mail("bea@example.net", "Euer Platz bei Frühlingsabend")
    assert confirmation.body.startswith("Hallo Bea,\n\neuer Platz bei Frühlingsabend ist bestätigt.\n\n")
    assert "Wann (Zeiten in Europe/Berlin):\n- Dienstag, 5. März 2030, 18:00–20:00\nWo: Studio 4, Berlin\n" in (
        confirmation.body
    )
    assert "Behaltet ihn für euch: Wer ihn hat, kann euren Platz nutzen." in confirmation.body
    assert (
        "Bis zum 1. März 2030, 12:00 (Europe/Berlin) könnt ihr online absagen; danach schreibt bitte an "
        "hallo@example.org." in confirmation.body
    )
    for english_text in ("Hello", "your place", "When", "Tuesday", "March", "calendar file"):
        assert english_text not in confirmation.body, english_text
    # Its calendar file speaks German too.
    [(_name, ics, _type)] = confirmation.attachments
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert "Wo: Studio 4, Berlin" in str(event["description"])

    # The waitlist, each in their own language.
    assert the_mail("ada@example.net", "You're on the waitlist for Frühlingsabend").body.startswith(
        "Hello Ada,\n\nFrühlingsabend is full, so you are on its waitlist."
    )
    assert the_mail("cy@example.net", "Ihr steht auf der Warteliste für Frühlingsabend").body.startswith(
        "Hallo Cy,\n\nFrühlingsabend ist ausgebucht, deshalb steht ihr auf der Warteliste."
    )

    # Bea's place is cancelled while someone else's language is active (an English organizer's request): Bea reads
    # German, and Ada, first on the waitlist, gets the offer in English.
    with translation.override("en"):
        enrollment_services.enrollment_cancel(enrollment=bea, by="organizer")
    cancelled = the_mail("bea@example.net", "Euer Platz bei Frühlingsabend ist storniert")
    assert "euer Platz bei Frühlingsabend ist storniert. Ihr müsst sonst nichts weiter tun." in cancelled.body
    offer = ada.offers.get()
    to_ada = the_mail("ada@example.net", "A place at Frühlingsabend is yours if you want it")
    assert f"It is held for you until {english(offer.expires_at)}; after that it passes" in to_ada.body

    # Ada passes, from a German page: Cy's offer is German, with the German date.
    with translation.override("de"):
        enrollment_services.waitlist_offer_decline(offer=offer)
    offer = cy.offers.get()
    to_cy = the_mail("cy@example.net", "Ein Platz bei Frühlingsabend ist frei – für euch, wenn ihr möchtet")
    assert f"Wir halten ihn bis zum {deutsch(offer.expires_at)} für euch frei; danach geht er an das nächste Paar." in (
        to_cy.body
    )
    assert "Hier nehmt ihr ihn an oder sagt ab:\n" in to_cy.body

    # Accepting it (in an English browser) confirms Cy's place in German.
    with translation.override("en"):
        enrollment_services.waitlist_offer_accept(offer=offer)
    assert len([m for m in mails_to("cy@example.net") if m.subject == "Euer Platz bei Frühlingsabend"]) == 1


def test_reminders_are_each_in_their_couples_language_with_the_german_date(organizer):
    organization = organizer.organization
    reminders.organization_set_reminder_days(organization=organization, days=[7, 1])
    start = (timezone.now() + timedelta(days=6, hours=20)).astimezone(BERLIN).replace(second=0, microsecond=0)
    workshop = evening(organization, capacity=4, starts=start.replace(tzinfo=None))
    couples = {}
    for name, language in (("Bea", "de"), ("Ada", "en")):
        enrollment, _raw = enrollment_services.registration_submit(
            workshop=workshop, contact_email=f"{name.lower()}@example.net", display_name=name, language=language
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(confirmed_at=timezone.now() - timedelta(days=30))
        couples[name] = enrollment
    mailbox().clear()

    with translation.override("en"):  # the maintenance job: no request, the installation's language
        assert reminders.reminders_send_due() == 2
    german = the_mail("bea@example.net", "Erinnerung: Frühlingsabend am ")
    assert german.subject == f"Erinnerung: Frühlingsabend am {deutsch(start)}"
    assert f"zur Erinnerung: Die nächste Session von Frühlingsabend beginnt am {deutsch(start)}." in german.body
    assert "Öffnet am Tag selbst den persönlichen Link aus eurer Bestätigungs-E-Mail auf dem Handy" in german.body
    english_one = the_mail("ada@example.net", "Reminder: Frühlingsabend on ")
    assert english_one.subject == f"Reminder: Frühlingsabend on {english(start)}"
    assert "Can't come after all? Cancel from the same link, so your place can go to another couple." in (
        english_one.body
    )


def test_the_couples_own_cancellation_and_its_undoing_are_in_their_language(organizer):
    workshop = evening(organizer.organization, capacity=2)
    bea = register_on_the_page(workshop, "Bea", "de")
    with translation.override("en"):
        enrollment_services.enrollment_cancel(enrollment=bea, by="couple")
        enrollment_services.enrollment_cancel_undo(enrollment=bea)
    assert the_mail("bea@example.net", "Euer Platz bei Frühlingsabend ist storniert")
    restored = the_mail("bea@example.net", "Eure Absage für Frühlingsabend ist zurückgenommen")
    assert "ihr habt eure Absage für Frühlingsabend zurückgenommen: Euer Platz gehört wieder euch." in restored.body


def test_an_organizer_adding_a_couple_chooses_the_language_of_their_mails(organizer):
    workshop = evening(organizer.organization, capacity=2)
    page = browser(user=organizer)
    url = f"/o/{organizer.organization.slug}/workshops/{workshop.pk}/enrollments/add/"
    form = page.get(url).content.decode()
    assert 'name="language"' in form and '<option value="en" selected>English</option>' in form
    response = page.post(url, {"display_name": "Bea", "contact_email": "bea@example.net", "language": "de"})
    assert response.status_code == 302
    assert Enrollment.objects.get(display_name="Bea").language == "de"
    assert the_mail("bea@example.net", "Euer Platz bei Frühlingsabend").body.startswith("Hallo Bea,")
    # Without a choice, the organizer's own language (here the installation's).
    page.post(url, {"display_name": "Ada", "contact_email": "ada@example.net"})
    assert Enrollment.objects.get(display_name="Ada").language == "en"
    assert the_mail("ada@example.net", "Your place at Frühlingsabend")


def test_a_couples_mail_is_their_greeting_then_what_it_says_in_their_language(organizer):
    """The whole of two e-mails, as Bea reads them: greeted by name, the body, one line ending the last."""
    workshop = evening(organizer.organization, capacity=2, contact_email="hallo@example.org")
    bea = register_on_the_page(workshop, "Bea", "de")
    mailbox().clear()
    with translation.override("en"):
        emails.session_reminder(bea, workshop.sessions.get())
        emails.attendee_message(bea, "Kissen", "Bringt ein Kissen mit.")
    start = workshop.sessions.get().starts_at
    assert the_mail("bea@example.net", "Erinnerung: Frühlingsabend am ").body == (
        "Hallo Bea,\n\n"
        f"zur Erinnerung: Die nächste Session von Frühlingsabend beginnt am {deutsch(start)}.\n\n"
        "Wann (Zeiten in Europe/Berlin):\n- Dienstag, 5. März 2030, 18:00–20:00\nWo: Studio 4, Berlin\n\n"
        "Öffnet am Tag selbst den persönlichen Link aus eurer Bestätigungs-E-Mail auf dem Handy, um dabei zu sein.\n"
        "Ihr könnt doch nicht kommen? Sagt über denselben Link ab, damit euer Platz an ein anderes Paar gehen kann.\n"
        "Fragen? Schreibt an hallo@example.org.\n"
    )
    message = the_mail("bea@example.net", "Kissen")
    assert message.body == (
        "Hallo Bea,\n\nBringt ein Kissen mit.\n\nOpen Hearts, für Frühlingsabend\nAntworten schickt ihr an "
        "hallo@example.org.\n"
    )
    assert message.body == emails.attendee_message_text(bea, "Bringt ein Kissen mit.")  # as the organizer previewed


# ---- Staff --------------------------------------------------------------------------------------------------------


def accept(invitation_mail, person, language=None):
    """The invitee follows the e-mail's link in their browser and accepts."""
    [path] = re.findall(re.escape(settings.PUBLIC_BASE_URL) + r"(/staff/invitation/\S+)", invitation_mail.body)
    client = browser(language, user=person)
    assert client.get(path).status_code == 302
    assert client.post("/staff/invitation/").status_code == 302


def test_a_staff_invitation_chosen_in_german_is_german_and_the_acceptance_reaches_an_english_organizer_in_english(
    organizer,
):
    organization = organizer.organization
    page = browser(user=organizer)
    staff = page.get(f"/o/{organization.slug}/staff/").content.decode()
    assert '<option value="en" selected>English</option>' in staff  # preset to the inviter's language

    response = page.post(
        f"/o/{organization.slug}/staff/invite/", {"email": "sam@example.org", "role": "facilitator", "language": "de"}
    )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get(email="sam@example.org")
    assert invitation.language == "de"
    invitation_mail = the_mail("sam@example.org", "Einladung ins Team von Open Hearts bei Attune")
    assert invitation_mail.body.startswith(
        "Open Hearts lädt dich ins Team bei Attune ein, in der Rolle „Moderation“.\n\n"
        f"Hier nimmst du die Einladung an (der Link gilt bis zum {deutsch(invitation.expires_at)}):\n"
    )

    # Sam accepts in a German browser; the organizer, who never chose a language, reads English.
    sam = user("sam@example.org", "Sam")
    accept(invitation_mail, sam, "de")
    invitation.refresh_from_db()
    accepted = the_mail("organizer@example.org", "Sam accepted your invitation to Open Hearts")
    assert accepted.body.startswith(
        "Sam (sam@example.org) accepted your invitation and joined Open Hearts on Attune as Facilitator, on "
        f"{english(invitation.accepted_at)}.\n\nThey can now facilitate your workshops. Choose which ones here:\n"
    )


def test_an_organizer_whose_account_reads_german_hears_of_an_acceptance_in_german(organizer):
    organization = organizer.organization
    AccountLanguage.objects.create(user=organizer, language="de")
    with translation.override("en"):
        invitation, _raw = org_services.staff_invite(
            organization=organization, email="kim@example.org", role="organizer", invited_by=organizer, language="en"
        )
    invitation_mail = the_mail("kim@example.org", "You're invited to join Open Hearts on Attune")
    assert "Open Hearts invites you to join its team on Attune as Organizer." in invitation_mail.body
    accept(invitation_mail, user("kim@example.org", "Kim"), "en")
    invitation.refresh_from_db()
    accepted = the_mail("organizer@example.org", "Kim hat deine Einladung zu Open Hearts angenommen")
    assert accepted.body.startswith(
        f"Kim (kim@example.org) hat deine Einladung angenommen und ist am {deutsch(invitation.accepted_at)} dem Team "
        "von Open Hearts bei Attune beigetreten, in der Rolle „Planung“.\n\n"
        "Diese Person kann jetzt Workshops moderieren. Hier wählst du aus, welche:\n"
    )


def test_the_staff_page_speaks_german_with_german_dates(organizer):
    organization = organizer.organization
    with translation.override("en"):
        invitation, _raw = org_services.staff_invite(
            organization=organization, email="sam@example.org", role="facilitator", invited_by=organizer
        )
    assert invitation.language == "en"  # the inviter's language then
    page = browser("de", user=organizer).get(f"/o/{organization.slug}/staff/")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    local = invitation.expires_at.astimezone(BERLIN)
    expires = f"{local.day}. {MONATE_KURZ[local.month - 1]} {local.year}, {local:%H:%M}"
    for german in (
        "Jemanden einladen",
        "Sprache der Einladung",
        "Offene Einladungen",
        f"sam@example.org · Moderation gilt bis {expires} (Europe/Berlin) · gesendet von Ora",
        "Einladung senden",
    ):
        assert german in text, german
    assert '<option value="de" selected>Deutsch</option>' in page.content.decode()
    for english_text in ("Invite someone", "Pending invitations", "expires", "sent by"):
        assert english_text not in text, english_text


# ---- The API -----------------------------------------------------------------------------------------------------


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    def client(user=None):
        return Api(django_capture_on_commit_callbacks, user)

    return client


def test_a_couple_registering_through_the_api_keeps_its_accept_language(organizer, api):
    workshop = evening(organizer.organization, capacity=3)
    url = f"/api/v1/public/workshops/{workshop.public_id}/register/"
    german = api().post(url, {"contact_email": "bea@example.net", "display_name": "Bea"}, HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 202
    assert german.json() == {"detail": "Danke! Schaut in euer Postfach: Euer persönlicher Link ist unterwegs."}
    english_answer = api().post(url, {"contact_email": "ada@example.net", "display_name": "Ada"})
    assert english_answer.json() == {"detail": "Thank you. Check your e-mail: your personal link is on its way."}
    assert Enrollment.objects.get(display_name="Bea").language == "de"
    assert Enrollment.objects.get(display_name="Ada").language == "en"
    assert the_mail("bea@example.net", "Euer Platz bei Frühlingsabend")
    assert the_mail("ada@example.net", "Your place at Frühlingsabend")


def test_an_api_refusal_is_in_the_callers_language(organizer, api):
    workshop = evening(organizer.organization, capacity=3)
    url = f"/api/v1/public/workshops/{workshop.public_id}/register/"
    body = {"contact_email": "bea@example.net", "display_name": "Bea", "colour": "blue"}
    refused = api().post(url, body, HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "colour: Unbekanntes Feld. Die Felder hier sind contact_email, display_name und answers."
    )
    assert api().post(url, body).json()["detail"] == (
        "colour: Unknown field. The fields here are contact_email, display_name and answers."
    )

    # A rule of the domain, and a role's refusal.
    session_url = f"/api/v1/orgs/{organizer.organization.slug}/workshops/{workshop.pk}/sessions/"
    backwards = {"starts_at": "2030-03-06T18:00:00+01:00", "ends_at": "2030-03-06T17:00:00+01:00"}
    refused = api(organizer).post(session_url, backwards, HTTP_ACCEPT_LANGUAGE="de")
    assert (refused.status_code, refused.json()["detail"]) == (400, "Eine Session muss enden, nachdem sie beginnt.")
    facilitator = user("fay@example.org")
    Membership.objects.create(organization=organizer.organization, user=facilitator, role=Role.FACILITATOR)
    listing = f"/api/v1/orgs/{organizer.organization.slug}/workshops/{workshop.pk}/enrollments/"
    refused = api(facilitator).get(listing, HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Deine Rolle in dieser Organisation erlaubt das nicht: Anmeldungen ansehen."


def test_an_organizer_chooses_the_language_over_the_api(organizer, api):
    workshop = evening(organizer.organization, capacity=3)
    enrollments = f"/api/v1/orgs/{organizer.organization.slug}/workshops/{workshop.pk}/enrollments/"
    added = api(organizer).post(
        enrollments, {"contact_email": "bea@example.net", "display_name": "Bea", "language": "de"}
    )
    assert (added.status_code, added.json()["language"]) == (201, "de")
    assert the_mail("bea@example.net", "Euer Platz bei Frühlingsabend")
    unspoken = api(organizer).post(
        enrollments, {"contact_email": "ada@example.net", "display_name": "Ada", "language": "fr"}
    )
    assert (unspoken.status_code, unspoken.json()["field"]) == (400, "language")

    invitations = f"/api/v1/orgs/{organizer.organization.slug}/invitations/"
    invited = api(organizer).post(invitations, {"email": "sam@example.org", "role": "facilitator", "language": "de"})
    assert (invited.status_code, invited.json()["language"]) == (201, "de")
    assert the_mail("sam@example.org", "Einladung ins Team von Open Hearts bei Attune")
    # Without one, the request's language.
    invited = api(organizer).post(
        invitations, {"email": "kim@example.org", "role": "facilitator"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert invited.json()["language"] == "de"


def test_every_action_has_a_name_in_the_refusal():
    from workshops.permissions import ACTION_NAMES, ACTIONS
    from workshops.views.organizer.base import ACTION_WORDS

    assert set(ACTION_NAMES) == set(ACTIONS) == set(ACTION_WORDS)
    with translation.override("en"):
        assert str(ACTION_NAMES["enrollment.view"]) == "enrollment view"  # as the API always said it in English


def test_a_language_attune_does_not_speak_falls_back_to_the_installations(organizer):
    workshop = evening(organizer.organization, capacity=2)
    enrollment, _raw = enrollment_services.registration_submit(
        workshop=workshop, contact_email="lou@example.net", display_name="Lou", language="fr"
    )
    assert enrollment.language == settings.LANGUAGE_CODE
    assert the_mail("lou@example.net", "Your place at Frühlingsabend")
