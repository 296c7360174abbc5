"""Attune's own date formats in templates (workshops/dates.py), for a date that Django's names (the date filter,
``|date:"DATETIME_FORMAT"``) don't write: ``{{ invitation.expires_at|short_day_and_time:organization.timezone }}``,
in that zone and the reader's language."""

from django import template

from workshops import dates

register = template.Library()

register.filter("short_day_and_time", dates.short_day_and_time)
