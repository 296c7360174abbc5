"""Dates and times as a person reads them: in a workshop's (or organization's) time zone, and in the reader's
language, the active one (an e-mail is written inside its recipient's: workshops/emails.py).

Django formats them (django.utils.formats.date_format: month and weekday names in the language). The format
strings are texts of the catalog like any other, context "date format", so each language writes its dates its own
way ("3 December 2026" in English, "3. Dezember 2026" in German) and a new language brings its own with its
catalog; without a translation a language gets the English order with its own names.
"""

from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import pgettext


def in_zone(moment, zone_name):
    return moment.astimezone(ZoneInfo(zone_name))


def day_and_time(moment, zone_name):
    """'3 December 2026, 18:56', in the zone."""
    # Translators: a Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date):
    # day, month's name, year and time.
    return date_format(in_zone(moment, zone_name), pgettext("date format", "j F Y, H:i"))


def named(moment, zone_name):
    """'3 December 2026, 18:56 (Europe/Berlin)': the zone named, as the offer page shows it."""
    return f"{day_and_time(moment, zone_name)} ({zone_name})"


def weekday_and_time(moment, zone_name):
    """'Thursday 3 December 2026, 18:56', in the zone."""
    # Translators: a Django date format: the weekday's name, day, month's name, year and time.
    return date_format(in_zone(moment, zone_name), pgettext("date format", "l j F Y, H:i"))


def short_weekday_and_time(moment, zone_name):
    """'Thu 3 Dec 2026, 18:56', in the zone."""
    # Translators: a Django date format: the weekday's and the month's short names, day, year and time.
    return date_format(in_zone(moment, zone_name), pgettext("date format", "D j M Y, H:i"))


def clock(moment, zone_name):
    """'18:56', in the zone."""
    # Translators: a Django date format: the time of day.
    return date_format(in_zone(moment, zone_name), pgettext("date format", "H:i"))


def numeric(moment, zone_name=None):
    """'2026-12-03 18:56' (in the zone, if named; a naive wall-clock time as it is)."""
    if zone_name is not None:
        moment = in_zone(moment, zone_name)
    # Translators: a Django date format: the date in digits and the time.
    return date_format(moment, pgettext("date format", "Y-m-d H:i"))


def date_only(moment, zone_name):
    """'2026-12-03', in the zone."""
    # Translators: a Django date format: the date in digits.
    return date_format(in_zone(moment, zone_name), pgettext("date format", "Y-m-d"))
