"""Time zone names: validated against the system's IANA database (zoneinfo)."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def available_timezones():
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(name):
    if name not in available_timezones():
        raise ValidationError(f"{name!r} is not a time zone name such as Europe/Berlin.", code="invalid_timezone")


def timezone_choices():
    return sorted(available_timezones())
