"""workshops/dates.py: every date Attune writes in Python, by the named formats of the reader's language
(config/formats/<code>/formats.py), in the zone it is given. German reads each one as German readers saw it when
the formats were texts of the catalog; a language Attune has no formats for borrows the English ones."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from workshops import dates

# Thursday 3 December 2026, 18:56 in Berlin.
MOMENT = datetime(2026, 12, 3, 17, 56, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def written(language):
    with translation.override(language):
        return {
            "day_and_time": dates.day_and_time(MOMENT, BERLIN),
            "named": dates.named(MOMENT, BERLIN),
            "short_day_and_time": dates.short_day_and_time(MOMENT, BERLIN),
            "weekday_and_time": dates.weekday_and_time(MOMENT, BERLIN),
            "short_weekday_and_time": dates.short_weekday_and_time(MOMENT, BERLIN),
            "clock": dates.clock(MOMENT, BERLIN),
            "numeric": dates.numeric(MOMENT, BERLIN),
            "numeric, a naive wall-clock time": dates.numeric(datetime(2026, 3, 29, 2, 30)),
            "date_only": dates.date_only(MOMENT, BERLIN),
        }


def test_each_date_in_english():
    assert written("en") == {
        "day_and_time": "3 December 2026, 18:56",
        "named": "3 December 2026, 18:56 (Europe/Berlin)",
        "short_day_and_time": "3 Dec 2026, 18:56",
        "weekday_and_time": "Thursday 3 December 2026, 18:56",
        "short_weekday_and_time": "Thu 3 Dec 2026, 18:56",
        "clock": "18:56",
        "numeric": "2026-12-03 18:56",
        "numeric, a naive wall-clock time": "2026-03-29 02:30",
        "date_only": "2026-12-03",
    }


def test_each_date_in_german():
    assert written("de") == {
        "day_and_time": "3. Dezember 2026, 18:56",
        "named": "3. Dezember 2026, 18:56 (Europe/Berlin)",
        "short_day_and_time": "3. Dez 2026, 18:56",
        "weekday_and_time": "Donnerstag, 3. Dezember 2026, 18:56",
        "short_weekday_and_time": "Do, 3. Dez 2026, 18:56",
        "clock": "18:56",
        "numeric": "03.12.2026, 18:56",
        "numeric, a naive wall-clock time": "29.03.2026, 02:30",
        "date_only": "03.12.2026",
    }


def test_a_date_is_written_in_the_zone_it_is_given():
    with translation.override("en"):
        assert dates.weekday_and_time(MOMENT, "America/New_York") == "Thursday 3 December 2026, 12:56"
        assert dates.date_only(datetime(2026, 12, 3, 23, 30, tzinfo=UTC), "Asia/Tokyo") == "2026-12-04"


def test_a_language_without_formats_of_its_own_writes_attunes_in_the_english_order_with_its_own_names():
    """French: Django has formats and month names for it, Attune has no config/formats/fr. Attune's own names come
    from English, in French words; Django's names are Django's French ones, as a page's |date filter writes them."""
    assert written("fr") == {
        "day_and_time": "3 décembre 2026, 18:56",
        "named": "3 décembre 2026, 18:56 (Europe/Berlin)",
        "short_day_and_time": "3 Déc 2026, 18:56",
        "weekday_and_time": "3 décembre 2026 18:56",  # Django's French DATETIME_FORMAT
        "short_weekday_and_time": "jeu 3 Déc 2026, 18:56",
        "clock": "18:56",
        "numeric": "2026-12-03 18:56",
        "numeric, a naive wall-clock time": "2026-03-29 02:30",
        "date_only": "2026-12-03",
    }


def test_with_no_language_active_dates_are_english():
    """Outside any request (translation deactivated), English, not a format's name written out letter by letter."""
    assert written(None) == written("en")


def test_a_format_no_language_sets_is_refused_rather_than_written_as_its_name():
    with translation.override("de"), pytest.raises(LookupError):
        dates.format_named("NO_SUCH_FORMAT")
