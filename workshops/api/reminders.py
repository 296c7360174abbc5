"""Reminder schedules over the API: the days before each session that confirmed couples get a reminder e-mail, of an
organization (its default) or of one workshop. The rules are workshops.services.reminders.reminder_days_clean's,
the ones the settings and workshop pages apply to what is typed there; a refusal says what they say."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workshops.api.fields import StrictIntegerField
from workshops.errors import DomainError
from workshops.services import reminders

SCHEDULE_SCHEMA = {
    "type": "array",
    "items": {"type": "integer", "minimum": 1, "maximum": reminders.MAX_DAYS},
    "maxItems": reminders.MAX_REMINDERS,
    "uniqueItems": True,
}


@extend_schema_field(SCHEDULE_SCHEMA)
class ReminderDaysField(serializers.ListField):
    """Input: whole days before each session, in any order, each once; stored and shown earliest first ([7, 1]).
    [] sends no reminders."""

    def __init__(self, **kwargs):
        kwargs["child"] = StrictIntegerField()
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        days = super().to_internal_value(data)
        try:
            cleaned = reminders.reminder_days_clean(days)
        except DomainError as refused:
            raise serializers.ValidationError(refused.message, code=refused.code) from None
        if len(cleaned) != len(days):
            raise serializers.ValidationError(_("Give each day once."), code="duplicate")
        return cleaned


def schedule_help(what):
    return (
        f"Days before each session that confirmed couples get a reminder e-mail, {what}: whole days from 1 to "
        f"{reminders.MAX_DAYS}, at most {reminders.MAX_REMINDERS}, each once; shown earliest first, e.g. [7, 1] for "
        "a week and a day before. [] sends none."
    )
