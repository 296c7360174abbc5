from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Enrollment(models.Model):
    """One couple's place in a workshop: confirmed, waitlisted or cancelled.

    Holds the minimum: one contact e-mail and a first name or pseudonym. The
    invitation link's token is kept only as a digest.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("enrollment status", "Confirmed")
        WAITLISTED = "waitlisted", pgettext_lazy("enrollment status", "Waitlisted")
        CANCELLED = "cancelled", pgettext_lazy("enrollment status", "Cancelled")

    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="enrollments")
    contact_email = models.EmailField()
    display_name = models.CharField(max_length=60)
    status = models.CharField(max_length=16, choices=Status.choices)
    invitation_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Waitlist order: the earliest waitlisted_at is offered the next free seat.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(
        max_length=24,
        blank=True,
        choices=[
            ("couple", _("Cancelled by the couple")),
            ("organizer", _("Cancelled by the organizer")),
            ("offer_expired", _("Waitlist offer expired")),
            ("offer_declined", _("Waitlist offer declined")),
        ],
    )
    # The language the couple's e-mails are written in: the one they registered in (or the one the organizer who
    # added them chose). One of settings.LANGUAGES; no choices here, so a new language needs no migration.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workshop", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "contact_email"],
                condition=~models.Q(status="cancelled"),
                name="one_active_enrollment_per_email",
            )
        ]

    def __str__(self):
        return f"{self.display_name} ({self.status})"


class WaitlistOffer(models.Model):
    """A seat offered to a waitlisted couple. A pending offer holds the seat until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("waitlist offer status", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("waitlist offer status", "Accepted")
        DECLINED = "declined", pgettext_lazy("waitlist offer status", "Declined")
        EXPIRED = "expired", pgettext_lazy("waitlist offer status", "Expired")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="offers")
    token_digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"], condition=models.Q(status="pending"), name="one_pending_offer_per_enrollment"
            )
        ]


class SessionReminder(models.Model):
    """A reminder e-mail sent to a confirmed couple before a session: one per enrollment, session and schedule
    entry (days before), so the maintenance job sends each exactly once however often it runs."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="reminders")
    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session", "days_before"], name="one_reminder_per_enrollment_session_day"
            )
        ]
