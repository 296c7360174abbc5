import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workshops.timezones import validate_timezone

# Join codes avoid characters that are easy to confuse when read off a projector (0/O, 1/I/L, 5/S, 2/Z, 8/B).
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def new_public_id():
    return secrets.token_urlsafe(9)


class Workshop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("workshop status", "Draft")
        PUBLISHED = "published", pgettext_lazy("workshop status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("workshop status", "Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    organization = models.ForeignKey("workshops.Organization", on_delete=models.CASCADE, related_name="workshops")
    program = models.ForeignKey("workshops.Program", on_delete=models.PROTECT, related_name="workshops")
    # The public registration page's address; not guessable from the numeric id.
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    capacity_couples = models.PositiveIntegerField()
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    # After this a couple can no longer cancel their place online; they write to contact_email instead.
    cancellation_deadline = models.DateTimeField(null=True, blank=True)
    # Whom couples write to (shown on the registration and enrollment pages; Reply-To of the organizers' e-mails).
    contact_email = models.EmailField(blank=True)
    # Days before each session that confirmed couples get a reminder; None: the organization's schedule.
    reminder_days = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_workshops")
    # The iCalendar feed's secret is derived from this (workshops.calendar); bumping it rotates the link.
    ical_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity_couples__gte=1), name="workshop_capacity_positive")
        ]

    def __str__(self):
        return self.title


class Session(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=120, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Unique among sessions that are not over (checked by the service, which picks it).
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, db_index=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title or _("Session %(number)s") % {"number": self.pk}
