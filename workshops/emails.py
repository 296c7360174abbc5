"""The e-mails Attune sends. Links are absolute (PUBLIC_BASE_URL) and carry the raw token once."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from config.links import absolute_url


def absolute(path):
    return absolute_url(path)


def send(to, subject, body):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def staff_invitation(invitation, raw_token):
    link = absolute(reverse("staff_invitation_open", args=[raw_token]))
    send(
        invitation.email,
        f"You're invited to join {invitation.organization.name} on Attune",
        f"{invitation.organization.name} invites you to join its team on Attune as {invitation.get_role_display()}.\n\n"
        f"Accept here (the link expires {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n{link}\n",
    )


def enrollment_confirmed(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"Your place at {workshop.title}",
        f"Hello {enrollment.display_name},\n\nyour place at {workshop.title} is confirmed.\n\n"
        f"Your personal link, to join on the day, see the dates or cancel:\n{link}\n\n"
        "Keep it to yourselves: whoever has it can use your place.\n",
    )


def enrollment_waitlisted(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"You're on the waitlist for {workshop.title}",
        f"Hello {enrollment.display_name},\n\n{workshop.title} is full, so you are on its waitlist. "
        "If a place frees up we'll offer it to you by e-mail.\n\n"
        f"Your personal link, to see where you stand or leave the waitlist:\n{link}\n",
    )


def waitlist_offer(offer, raw_token):
    enrollment = offer.enrollment
    link = absolute(reverse("offer_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"A place at {enrollment.workshop.title} is yours if you want it",
        f"Hello {enrollment.display_name},\n\na place has opened at {enrollment.workshop.title}. "
        f"It is held for you until {offer.expires_at:%Y-%m-%d %H:%M} UTC; after that it passes to the next couple.\n\n"
        f"Accept or decline here:\n{link}\n",
    )


def waitlist_offer_expired(enrollment):
    send(
        enrollment.contact_email,
        f"The place at {enrollment.workshop.title} has passed on",
        f"Hello {enrollment.display_name},\n\nthe place we held for you at {enrollment.workshop.title} "
        "was not taken in time, so it has passed to the next couple on the waitlist. "
        "You're welcome to register again.\n",
    )


def enrollment_cancelled(enrollment):
    send(
        enrollment.contact_email,
        f"Your place at {enrollment.workshop.title} is cancelled",
        f"Hello {enrollment.display_name},\n\nyour place at {enrollment.workshop.title} is cancelled. "
        "Nothing else is needed from you.\n",
    )


def workshop_cancelled(enrollment):
    send(
        enrollment.contact_email,
        f"{enrollment.workshop.title} is cancelled",
        f"Hello {enrollment.display_name},\n\nwe're sorry: {enrollment.workshop.title} has been cancelled by its "
        "organizers, so your place (or waitlist spot) has ended. Nothing else is needed from you.\n",
    )
