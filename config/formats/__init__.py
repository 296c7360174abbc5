"""Attune's date and time formats for each language (FORMAT_MODULE_PATH): what a page shows when a template writes
``{{ moment|date:"DATETIME_FORMAT" }}``. Django's own formats for the language fill in everything not set here.

Every page formats a date or time by one of these names, never by a format of its own, so each language reads its
dates as its speakers write them: "Friday 10 May 2030, 18:00" in English, "Freitag, 10. Mai 2030, 18:00" in German.
A new language sets the same names (tests/workshops/pages/test_pages_german.py checks they are all set).

- DATETIME_FORMAT: a session's start for couples, with the day of the week written out.
- SHORT_DATETIME_FORMAT: a moment on the organizer's pages, the day of the week abbreviated.
- DATE_FORMAT and SHORT_DATE_FORMAT: a day, long and short (followed by TIME_FORMAT where the time matters).
- MONTH_DAY_FORMAT: the day a session ends when that is not the day it starts (the year goes without saying).
- TIME_FORMAT: a time of day, 24-hour.
"""

NAMES = (
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
)
