"""Time zone names: validated against the system's IANA database (zoneinfo)."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def available_timezones():
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(name):
    if name not in available_timezones():
        raise ValidationError(not_a_timezone(name), code="invalid_timezone")


def not_a_timezone(name):
    """What a name that is no time zone is told, in the reader's language."""
    return _("%(name)s is not a time zone name such as Europe/Berlin.") % {"name": repr(name)}


def timezone_choices():
    return sorted(available_timezones())
