"""iCalendar feeds: per workshop, and per staff member (every session they facilitate).

A feed's address carries a secret derived from SECRET_KEY and a version number,
so the link can be shown again, never appears in the database, and rotating it
(bumping the version) makes the old one stop working.
"""

from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event


def workshop_feed_token(workshop):
    return salted_hmac("attune.ical.workshop", f"{workshop.pk}:{workshop.ical_version}").hexdigest()[:32]


def staff_feed_token(calendar):
    return salted_hmac("attune.ical.staff", f"{calendar.user_id}:{calendar.version}").hexdigest()[:32]


def token_matches(expected, given):
    return constant_time_compare(expected, given or "")


def render(sessions, *, name, method=None):
    """An .ics document of the given sessions (each with its workshop selected). `method` (e.g. PUBLISH, for a
    file attached to an e-mail: RFC 6047) is left out of feeds."""
    cal = Calendar()
    cal.add("prodid", "-//Attune//Workshops//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    for session in sessions:
        workshop = session.workshop
        event = Event()
        event.add("uid", f"session-{session.pk}@attune")
        event.add("summary", f"{workshop.title}: {session.title}" if session.title else workshop.title)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", workshop.updated_at)
        where = workshop.venue or workshop.video_link
        if where:
            event.add("location", where)
        if workshop.status == workshop.Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()
