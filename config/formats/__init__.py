"""Attune's date and time formats for each language (FORMAT_MODULE_PATH), the one place a language says how it
writes a date: config/formats/<code>/formats.py. Django's own formats for the language fill in everything not set
here.

Every date Attune shows is written by one of these names, never by a format of its own, so each language reads its
dates as its speakers write them: "Friday 10 May 2030, 18:00" in English, "Freitag, 10. Mai 2030, 18:00" in German.
A template writes Django's names with the date filter, ``{{ moment|date:"DATETIME_FORMAT" }}``; Python code, and a
template that needs one of Attune's own names, goes through workshops/dates.py, which reads any of these names in
the reader's language and falls back to English's for a language that lacks one. A new language sets them all
(tests/workshops/pages/test_pages_german.py checks that every language does).

Django's names:

- DATETIME_FORMAT: a session's start for couples, with the day of the week written out (pages and e-mails).
- SHORT_DATETIME_FORMAT: a moment on the organizer's pages, the day of the week abbreviated.
- DATE_FORMAT and SHORT_DATE_FORMAT: a day, long and short (followed by TIME_FORMAT where the time matters).
- MONTH_DAY_FORMAT: the day a session ends when that is not the day it starts (the year goes without saying).
- TIME_FORMAT: a time of day, 24-hour.

Attune's own (workshops/dates.py):

- DAY_AND_TIME_FORMAT: a moment in a sentence, named with its zone ("held until 10 May 2030, 18:00 (Europe/Berlin)").
- SHORT_DAY_AND_TIME_FORMAT: the same with the month abbreviated (when a staff invitation expires).
- SHORT_WEEKDAY_AND_TIME_FORMAT: a moment in an organizer's message, the day of the week abbreviated.
- NUMERIC_DATETIME_FORMAT and NUMERIC_DATE_FORMAT: a date (and time) in digits, in a refusal (a time the clocks
  skip, an overlapping session, an offer that expired).
"""

DJANGO_NAMES = (
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
)
ATTUNE_NAMES = (
    "DAY_AND_TIME_FORMAT",
    "SHORT_DAY_AND_TIME_FORMAT",
    "SHORT_WEEKDAY_AND_TIME_FORMAT",
    "NUMERIC_DATETIME_FORMAT",
    "NUMERIC_DATE_FORMAT",
)
NAMES = DJANGO_NAMES + ATTUNE_NAMES
