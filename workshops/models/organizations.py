from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import pgettext_lazy

from workshops.timezones import validate_timezone


class Organization(models.Model):
    name = models.CharField(max_length=120)
    # Letters of any script (workshops/slugs.py), so allow_unicode.
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Feedback releases need at least k answers; copied to a session when it starts.
    anonymity_k = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(3)])
    # Couple content is deleted this many days after a workshop's last session.
    retention_days = models.PositiveSmallIntegerField(default=14, validators=[MinValueValidator(1)])
    # Days before each session that confirmed couples get a reminder (e.g. [7, 1]); a workshop may differ.
    reminder_days = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(anonymity_k__gte=3), name="org_anonymity_k_at_least_3"),
            models.CheckConstraint(condition=models.Q(retention_days__gte=1), name="org_retention_at_least_1_day"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", pgettext_lazy("staff role", "Owner")
    ORGANIZER = "organizer", pgettext_lazy("staff role", "Organizer")
    FACILITATOR = "facilitator", pgettext_lazy("staff role", "Facilitator")


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")]

    def __str__(self):
        return f"{self.user} · {self.role} · {self.organization}"


class StaffInvitation(models.Model):
    """An e-mailed, expiring invitation to join an organization's staff. Only the token's digest is kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language the invitation e-mail is written in, chosen by whoever sends it (theirs unless they change it).
    # One of settings.LANGUAGES; no choices here, so a new language needs no migration.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)

    def state(self, now):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class StaffCalendar(models.Model):
    """A staff member's iCalendar feed of every session they facilitate; bumping the version rotates its link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_calendar")
    version = models.PositiveIntegerField(default=1)
    rotated_at = models.DateTimeField(auto_now=True)
