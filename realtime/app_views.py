"""The HTML shells of the three live apps (participant, facilitator, projector).

Each page is a shell: the app (frontend/, built into static files) does the rest over the JSON endpoints and the
socket. The participant's page also draws the app's join screen where the app would open on it, so that a phone
can type its code before the app has arrived. Configuration is handed over in a JSON block (never executed, so
the strict Content-Security-Policy of config.csp holds). Every shell sets the CSRF cookie the apps send back as
X-CSRFToken on their POSTs.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from config.i18n import speaks_language_in_address
from config.links import absolute_url
from realtime.identity import DEVICE_KEY, session_with_workshop
from realtime.services.joining import couple_by_pairing_code
from realtime.views import PENDING_KEY, QR_CODE_KEY
from workshops.models import Session
from workshops.permissions import may_run_session


def _current_session_of(workshop_id):
    """The workshop's session still to come or under way; after the last one, the last one (its agreements)."""
    sessions = Session.objects.filter(workshop_id=workshop_id).order_by("starts_at", "pk")
    return sessions.filter(ends_at__gt=timezone.now()).first() or sessions.last()


def _device_session_id(request):
    """Which session this phone is in the middle of entering or taking part in, if any.

    A partner who opened the pairing QR link carries the code in their session (never in the URL): its
    couple's workshop names the session. Then a session this device joined by code or invitation, until it
    ends, then the current session of a workshop it already has a participant in.
    """
    code = request.session.get(QR_CODE_KEY)
    if code:
        couple = couple_by_pairing_code(code)
        if couple is not None:
            session = _current_session_of(couple.workshop_id)
            if session is not None:
                return session.pk, True
    pending = request.session.get(PENDING_KEY) or {}
    # The session it joined, while that is still to come or under way: a phone reopened in a retreat's later
    # session goes on to that one (below), not back to the one it first joined.
    joined = pending.get("session_id")
    if isinstance(joined, int) and Session.objects.filter(pk=joined, ends_at__gt=timezone.now()).exists():
        return joined, False
    for workshop_id in request.session.get(DEVICE_KEY) or {}:
        session = _current_session_of(int(workshop_id))
        if session is not None:
            return session.pk, False
    return None, False


def _opens_on_join_screen(request, session_id):
    """Whether the app will open on its join screen (frontend/src/participant/state.ts, boot): no session on this
    device, and no join code or invitation in the address. Then the page draws that screen itself."""
    return session_id is None and not request.GET.get("code") and not request.GET.get("via")


# Gzipped where the browser takes it: the page carries the reader's catalog (in German some 39 KB, 12 KB gzipped),
# which a phone on a slow network would otherwise wait for. It holds no secret for a compression side channel to
# find (the CSRF token is in a cookie only) and repeats nothing of the request.
@require_GET
@never_cache
@gzip_page
@ensure_csrf_cookie
def participant_app(request):
    session_id, qr_pairing = _device_session_id(request)
    response = render(
        request,
        "live/participant.html",
        {
            "config": {"session_id": session_id, "qr_pairing": qr_pairing},
            # Typed into before the app's script has arrived, on a slow network (live/_join_screen.html).
            "join_screen": _opens_on_join_screen(request, session_id),
        },
    )
    # /live/?code=... carries the join code: keep it out of Referer headers (the app also drops it from the URL).
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@never_cache
@ensure_csrf_cookie
def participant_device(request):
    """Who this device is, as the participant page's configuration says it (and its language): for the app opened
    from the service worker's public shell, which knows nobody (realtime/installable.py)."""
    session_id, qr_pairing = _device_session_id(request)
    return JsonResponse({"session_id": session_id, "qr_pairing": qr_pairing, "language": translation.get_language()})


def _staff_session(request, session_id):
    session = session_with_workshop(session_id)
    if session is None:
        raise Http404("No such session.")
    if not may_run_session(request.user, session):
        return session, False
    return session, True


def _staff_config(request, session):
    join_url = absolute_url(f"/live/?code={session.join_code}")
    return {
        "session_id": session.pk,
        "title": session.title or session.workshop.title,
        "join_code": session.join_code,
        "join_url": join_url,
        "projector_url": f"/live/projector/{session.pk}/",
    }


def _forbidden(request, session):
    return render(request, "live/forbidden.html", {"session": session}, status=403)


@require_GET
@login_required
@never_cache
@ensure_csrf_cookie
def facilitator_app(request, session_id):
    session, allowed = _staff_session(request, session_id)
    if not allowed:
        return _forbidden(request, session)
    return render(request, "live/facilitator.html", {"config": _staff_config(request, session), "session": session})


# The projector keeps its own language in its address (?lang=<code>), apart from the console beside it in the
# same browser, which keeps the cookie's.
@require_GET
@login_required
@never_cache
@ensure_csrf_cookie
@speaks_language_in_address
def projector_app(request, session_id):
    session, allowed = _staff_session(request, session_id)
    if not allowed:
        return _forbidden(request, session)
    config = _staff_config(request, session)
    del config["projector_url"]
    return render(request, "live/projector.html", {"config": config, "session": session})
