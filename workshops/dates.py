"""Dates and times as a person reads them: in a workshop's (or organization's) time zone, and in the reader's
language, the active one (an e-mail is written inside its recipient's: workshops/emails.py).

Each function writes a moment by a named format of the language: Django's own names (DATETIME_FORMAT,
TIME_FORMAT) or Attune's (DAY_AND_TIME_FORMAT, ...), all set for each language in config/formats/<code>/formats.py
(config/formats/__init__.py says what each is for). So each language writes its dates its own way ("3 December
2026, 18:56" in English, "3. Dezember 2026, 18:56" in German), with Django's month and weekday names, and a new
language brings its formats with its formats.py. Python code writes every date through here; a template by a Django
name with the date filter, or through here (workshops/templatetags/dates.py).
"""

from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.formats import get_format_modules
from django.utils.translation import get_language

# Whose formats a language without one of its own borrows: the language Attune is written in.
FALLBACK_LANGUAGE = "en"


def format_named(name):
    """The reader's language's format of that name: from its config/formats/<code>/formats.py, else Django's own
    formats for the language, else English's. (Django's get_format hands back a name it finds nowhere as if it were
    the format: "DAY_AND_TIME_FORMAT" would be written out letter by letter.) A language Attune has no formats for
    thus writes Attune's own formats in the English order, with its own month and weekday names."""
    for language in (get_language(), FALLBACK_LANGUAGE):
        for module in get_format_modules(language):
            value = getattr(module, name, None)
            if value is not None:
                return value
    raise LookupError(f"No language sets the date format {name} (config/formats/{FALLBACK_LANGUAGE}/formats.py).")


def in_zone(moment, zone_name):
    return moment.astimezone(ZoneInfo(zone_name))


def _written(moment, zone_name, name):
    return dateformat.format(in_zone(moment, zone_name), format_named(name))


def day_and_time(moment, zone_name):
    """'3 December 2026, 18:56', in the zone."""
    return _written(moment, zone_name, "DAY_AND_TIME_FORMAT")


def named(moment, zone_name):
    """'3 December 2026, 18:56 (Europe/Berlin)': the zone named, as the offer page shows it."""
    return f"{day_and_time(moment, zone_name)} ({zone_name})"


def short_day_and_time(moment, zone_name):
    """'3 Dec 2026, 18:56', in the zone."""
    return _written(moment, zone_name, "SHORT_DAY_AND_TIME_FORMAT")


def weekday_and_time(moment, zone_name):
    """'Thursday 3 December 2026, 18:56', in the zone: a session's start as the pages show it too."""
    return _written(moment, zone_name, "DATETIME_FORMAT")


def short_weekday_and_time(moment, zone_name):
    """'Thu 3 Dec 2026, 18:56', in the zone."""
    return _written(moment, zone_name, "SHORT_WEEKDAY_AND_TIME_FORMAT")


def clock(moment, zone_name):
    """'18:56', in the zone."""
    return _written(moment, zone_name, "TIME_FORMAT")


def numeric(moment, zone_name=None):
    """'2026-12-03 18:56' (in the zone, if named; a naive wall-clock time as it is)."""
    if zone_name is not None:
        moment = in_zone(moment, zone_name)
    return dateformat.format(moment, format_named("NUMERIC_DATETIME_FORMAT"))


def date_only(moment, zone_name):
    """'2026-12-03', in the zone."""
    return _written(moment, zone_name, "NUMERIC_DATE_FORMAT")
