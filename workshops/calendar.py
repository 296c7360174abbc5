"""iCalendar feeds: per workshop, and per staff member (every session they facilitate).

A feed's address carries a secret derived from SECRET_KEY and a version number,
so the link can be shown again, never appears in the database, and rotating it
(bumping the version) makes the old one stop working.

Each event is a session: its times in the workshop's time zone (TZID, with the zone's VTIMEZONE in the calendar),
a DESCRIPTION (the workshop's description, where, the video link) and a URL to open. Its UID is unique across
every Attune there is, so two installations' session 5 never merge in one calendar app: the session's id, its
workshop's public id (random, fixed for the workshop's life) and this installation's host name.

The words of a DESCRIPTION are in the active language: a file attached to an e-mail in its recipient's, a staff
member's feed in the one on their account, a workshop's feed and a couple's download in the request's.
"""

import zoneinfo
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from config.links import absolute_url


def workshop_feed_token(workshop):
    return salted_hmac("attune.ical.workshop", f"{workshop.pk}:{workshop.ical_version}").hexdigest()[:32]


def staff_feed_token(calendar):
    return salted_hmac("attune.ical.staff", f"{calendar.user_id}:{calendar.version}").hexdigest()[:32]


def token_matches(expected, given):
    return constant_time_compare(expected, given or "")


def session_uid(session):
    """session-<id>-<the workshop's public id>@<this installation's host>: the same for a session in every feed and
    e-mail of this installation, and found in no other's."""
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "attune.invalid"
    return f"session-{session.pk}-{session.workshop.public_id}@{host}"


def public_page(session):
    """For couples: the workshop's public page (what, where, when)."""
    return absolute_url(reverse("workshop_register", args=[session.workshop.public_id]))


def organizer_page(session):
    """For staff: the workshop's organizer page (needs its organization selected)."""
    workshop = session.workshop
    return absolute_url(reverse("workshop_detail", args=[workshop.organization.slug, workshop.pk]))


def _description(workshop, url):
    parts = [_("This workshop is cancelled.")] if workshop.status == workshop.Status.CANCELLED else []
    parts.append(workshop.description)
    if workshop.venue:
        parts.append(_("Where: %(venue)s") % {"venue": workshop.venue})
    if workshop.video_link:
        parts.append(_("Video call: %(link)s") % {"link": workshop.video_link})
    parts.append(_("Details: %(link)s") % {"link": url})
    return "\n\n".join(part for part in parts if part)


def render(sessions, *, name, method=None, link=public_page):
    """An .ics document of the given sessions (each with its workshop selected); `link(session)` is each event's URL.
    `method` (e.g. PUBLISH, for a file attached to an e-mail: RFC 6047) is left out of feeds."""
    cal = Calendar()
    cal.add("prodid", "-//Attune//Workshops//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    span = []
    for session in sessions:
        workshop = session.workshop
        zone = zoneinfo.ZoneInfo(workshop.timezone)
        url = link(session)
        event = Event()
        event.add("uid", session_uid(session))
        event.add("summary", f"{workshop.title}: {session.title}" if session.title else workshop.title)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("dtstamp", workshop.updated_at)
        event.add("description", _description(workshop, url))
        event.add("url", url)
        where = workshop.venue or workshop.video_link
        if where:
            event.add("location", where)
        if workshop.status == workshop.Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
        span += [session.starts_at, session.ends_at]
    if span:
        # Each zone's rules over the days the events span (a day either side for the offsets), not 1970 to 2038.
        cal.add_missing_timezones(
            first_date=(min(span) - timedelta(days=1)).date(), last_date=(max(span) + timedelta(days=2)).date()
        )
    return cal.to_ical()
