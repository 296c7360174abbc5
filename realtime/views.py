"""JSON endpoints for entering a live session and pairing phones (documented in docs/protocol.md).

They parse, check who is asking, and call the joining services (which tell the
live session's phones and staff what changed: realtime.events). Errors are
JSON: {"code": ..., "message": ...} with a 4xx status. The device is known by
its session cookie; the pairing QR link is exchanged for it and redirected.
"""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config import json_input, ratelimit
from config.links import absolute_url
from realtime import protocol
from realtime.errors import LiveError
from realtime.identity import device_participant, remember_participant, session_with_workshop
from realtime.limits import counts_tries
from realtime.services import joining, retention
from realtime.steps import item_steps
from workshops.models import Enrollment
from workshops.views.public import ENROLLMENT_KEY

PENDING_KEY = "attune.live.pending"
QR_CODE_KEY = "attune.live.pairing_code"


def _body(request):
    """The request's JSON object, parsed with the limits every JSON from outside has (config.json_input): invalid
    JSON, deep nesting, a NUL or lone surrogate in any text or key, or a number out of range is a 400 here,
    before anything reaches a service or the database."""
    if not request.body:
        return {}
    try:
        data = json_input.loads(request.body)
    except json_input.BadJSON as refused:
        raise LiveError(refused.code, refused.message) from None
    if not isinstance(data, dict):
        raise LiveError("bad_json", _("Send a JSON object."))
    return data


def json_endpoint(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            result = view(request, _body(request) if request.method == "POST" else {}, *args, **kwargs)
        except LiveError as error:
            status = (
                404
                if error.code in ("unknown_code", "no_session")
                else 403
                if error.code in ("not_joined", "not_yours", "removed")
                else 429
                if error.code == "rate_limited"
                else 400
            )
            return JsonResponse({"code": error.code, "message": error.message}, status=status)
        if isinstance(result, JsonResponse):
            return result
        return JsonResponse(result)

    return wrapper


def _session(data_or_id):
    session_id = data_or_id.get("session_id") if isinstance(data_or_id, dict) else data_or_id
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise LiveError("bad_session", _("session_id must be a number."))
    session = session_with_workshop(session_id)
    if session is None:
        raise LiveError("no_session", _("No such session."))
    return session


def _me(request, session):
    participant = device_participant(request.session, session.workshop_id)
    if participant is None:
        raise LiveError("not_joined", _("Join the session first (consent and a name)."))
    if participant.couple is not None and participant.couple.removed_at is not None:
        raise LiveError("removed", _("A facilitator has removed your couple from this workshop."))
    return participant


def _session_info(session):
    return {
        "session_id": session.pk,
        "workshop": session.workshop.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "join_code": session.join_code,
    }


def _info(request, session):
    """What a phone knows of the session and of itself; once it is a participant, the steps its couple's shared
    items belong to (realtime.steps.item_steps)."""
    me_info = _me_info(request, session)
    return {**_session_info(session), "me": me_info, "item_steps": item_steps(session) if me_info else []}


def _me_info(request, session):
    participant = device_participant(request.session, session.workshop_id)
    if participant is None:
        return None
    couple = participant.couple
    deleted_after = retention.deletion_date(session.workshop)
    return {
        "participant_id": participant.pk,
        "name": participant.display_name,
        "feedback_consent": participant.feedback_consent,
        "content_deleted_after": deleted_after.isoformat() if deleted_after else None,
        "couple": None
        if couple is None
        else {
            "id": couple.pk,
            "partners": joining.couple_names(couple),
            "one_phone": couple.one_phone,
            "removed": couple.removed_at is not None,
        },
        # The phone opened its couple's invitation link after the first partner: it pairs by the key exchange.
        "invited": joining.invited_couple(participant, _pending_enrollment_id(request)) is not None,
    }


@require_GET
def protocol_schema(request):
    return JsonResponse(protocol.protocol_schema())


@require_POST
@json_endpoint
@counts_tries(ratelimit.JOIN_CODE_PER_CLIENT)
def join_by_code(request, data):
    """A walk-in typed the code on the screen: remember which session this device is entering."""
    session = joining.session_by_join_code(str(data.get("code") or ""))
    request.session[PENDING_KEY] = {"session_id": session.pk, "enrollment_id": None}
    return _info(request, session)


@require_POST
@json_endpoint
def join_by_invitation(request, data):
    """The device opened its couple's invitation link (/i/<token>): enter that workshop's next session."""
    enrollment = Enrollment.objects.filter(pk=request.session.get(ENROLLMENT_KEY)).first()
    if enrollment is None or enrollment.status != Enrollment.Status.CONFIRMED:
        raise LiveError("no_invitation", _("Open your personal link from the e-mail on this phone first."))
    session = enrollment.workshop.sessions.filter(ends_at__gt=timezone.now()).order_by("starts_at").first()
    if session is None:
        raise LiveError("no_session", _("This workshop has no session still to come."))
    request.session[PENDING_KEY] = {"session_id": session.pk, "enrollment_id": enrollment.pk}
    session = session_with_workshop(session.pk)
    return _info(request, session)


@require_POST
@json_endpoint
@counts_tries()  # counted inside: only a device that makes a new participant
def enter(request, data):
    """Consent (two separate answers) and a first name or pseudonym make this device a participant."""
    pending = request.session.get(PENDING_KEY) or {}
    if "session_id" in data:  # the app names the session it shows; an earlier pending join must not win
        session = _session(data)
        if pending.get("session_id") != session.pk:
            pending = {}
    else:
        session = _session(pending.get("session_id"))
    existing = device_participant(request.session, session.workshop_id)
    if existing is None:  # a reload that finds its participant makes none
        ratelimit.hit_client(ratelimit.PARTICIPANT_PER_CLIENT, request)
    enrollment = None
    if pending.get("enrollment_id"):
        enrollment = Enrollment.objects.filter(pk=pending["enrollment_id"], workshop=session.workshop).first()
    if not isinstance(data.get("display_name", ""), str):
        raise LiveError("bad_name", _("display_name must be text."))
    participant = joining.participant_enter(
        session=session,
        display_name=data.get("display_name"),
        consent=data.get("consent") is True,
        feedback_consent=data.get("feedback_consent") is True,
        enrollment=enrollment,
        existing=existing,
    )
    remember_participant(request.session, participant)
    return _info(request, session)


@require_GET
@json_endpoint
def me(request, data, session_id):
    session = _session(session_id)
    return _info(request, session)


@require_POST
@json_endpoint
def pair_start(request, data):
    session = _session(data)
    participant = _me(request, session)
    invited = joining.invited_couple(participant, _pending_enrollment_id(request))
    couple, code = joining.pairing_start(participant=participant, session=session, invited=invited)
    link = absolute_url(f"/live/pair/{code}")
    return {"code": code, "link": link, "expires_at": couple.pairing_expires_at.isoformat()}


@require_POST
@json_endpoint
@counts_tries(ratelimit.PAIRING_PER_CLIENT)
def pair_join(request, data):
    """A phone joins a couple's key exchange: with the typed code, the QR link's code, or its invitation link."""
    session = _session(data)
    participant = _me(request, session)
    code = data.get("code") or request.session.get(QR_CODE_KEY)
    invited = None if code else joining.invited_couple(participant, _pending_enrollment_id(request))
    pairing = joining.pairing_join(
        participant=participant,
        commitment=data.get("commitment"),
        code=None if code is None else str(code),
        invited=invited,
    )
    request.session.pop(QR_CODE_KEY, None)
    return _pairing_info(pairing, "joiner")


def _pending_enrollment_id(request):
    return (request.session.get(PENDING_KEY) or {}).get("enrollment_id")


def _pairing_info(pairing, role):
    """An exchange as one of its phones sees it: the public values so far (the wrapped key for the joiner only)."""
    return {
        "request_id": pairing.pk,
        "couple_id": pairing.couple_id,
        "role": role,
        # A partner's phone of the couple asking for the key again (it lost it): no first key to make.
        "rekey": pairing.joiner.couple_id == pairing.couple_id,
        "commitment": pairing.commitment,
        "creator_key": pairing.creator_key or None,
        "joiner_key": pairing.joiner_key or None,
        "creator_confirmed": pairing.creator_confirmed,
        "wrapped_key": (pairing.wrapped_key or None) if role == "joiner" else None,
        "partner": pairing.joiner.display_name if role == "creator" else None,
        "expires_at": pairing.expires_at.isoformat(),
    }


@require_GET
@json_endpoint
def pair_pending(request, data, session_id):
    session = _session(session_id)
    participant = _me(request, session)
    pairing = joining.pairing_pending(participant=participant)
    if pairing is None:
        return {"pending": None}
    return {"pending": _pairing_info(pairing, "joiner" if pairing.joiner_id == participant.pk else "creator")}


def _request_id(data):
    request_id = data.get("request_id")
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        raise LiveError("bad_request_id", _("request_id must be a number."))
    return request_id


@require_POST
@json_endpoint
def pair_key(request, data):
    """A phone's public key for the exchange (the first phone's, then the joiner's)."""
    session = _session(data)
    participant = _me(request, session)
    pairing = joining.pairing_key(
        participant=participant, request_id=_request_id(data), public_key=data.get("public_key")
    )
    return {"pending": _pairing_info(pairing, "joiner" if pairing.joiner_id == participant.pk else "creator")}


@require_POST
@json_endpoint
def pair_confirm(request, data):
    session = _session(data)
    couple = joining.pairing_confirm(
        participant=_me(request, session),
        request_id=_request_id(data),
        session=session,
        wrapped_key=data.get("wrapped_key"),
    )
    return {"paired": couple is not None, "me": _me_info(request, session)}


@require_POST
@json_endpoint
def pair_unpair(request, data):
    session = _session(data)
    joining.unpair(participant=_me(request, session), session=session)
    return {"me": _me_info(request, session)}


@require_POST
@json_endpoint
def pair_one_phone(request, data):
    session = _session(data)
    joining.set_one_phone(participant=_me(request, session), enabled=data.get("enabled") is True, session=session)
    return {"me": _me_info(request, session)}


def pairing_link(request, code):
    """The QR code's link, opened by the partner's camera: keep the code in the device's session, clean the URL.

    Whether the code is live shows in what comes next, so an opened link counts as a pairing try of the client.
    """
    try:
        ratelimit.hit_client(ratelimit.PAIRING_PER_CLIENT, request)
    except ratelimit.RateLimited as limited:
        response = ratelimit.page_answer(request, "live/too_many.html", {}, limited)
        response["Referrer-Policy"] = "no-referrer"
        return response
    request.session.cycle_key()
    request.session[QR_CODE_KEY] = code
    couple = joining.couple_by_pairing_code(code)
    if couple is not None:
        session = couple.workshop.sessions.filter(ends_at__gt=timezone.now()).order_by("starts_at").first()
        if session is not None and not request.session.get(PENDING_KEY):
            request.session[PENDING_KEY] = {"session_id": session.pk, "enrollment_id": None}
    # With a query, so that the app's service worker fetches this phone's page rather than answering with its kept
    # join screen (frontend/src/worker/sw.ts): the page names the session the code belongs to.
    response = redirect("/live/?via=pairing")
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@json_endpoint
def erase_my_data(request, data):
    """Erase every row this participant owns but their name (which the workshop's retention deletes): what they
    wrote, their private help requests and their pairings. Anonymous feedback has no author and cannot be erased
    (consent says so). The export is made on the phone, which holds the keys (frontend: coupleExport)."""
    session = _session(data)
    participant = _me(request, session)
    if data.get("confirm") is not True:
        raise LiveError("confirm_required", _("Send confirm: true to erase what you wrote; this cannot be undone."))
    erased = retention.erase_mine(participant, session)
    return {"erased": erased}
