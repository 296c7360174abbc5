"""Which language each person reads Attune in, and the live apps' catalogs.

A person chooses their language on any page (``choose_language``, a form in every page's header and a menu in
the live apps); the choice is kept in Django's language cookie, so each phone keeps its own and two partners in
one couple can read different languages. A signed-in staff member's choice is kept on their account too
(``AccountLanguage``) and follows them to every browser they sign in on. Without a choice, the browser's
Accept-Language decides (Django's own negotiation). A page that shares its browser with another and keeps a
language of its own (the projector, beside the console on the facilitator's laptop) carries it in its address
instead, ``?lang=<code>``, and so does its socket (``language_in_address``, ``speaks_language_in_address``): its
choice changes neither the cookie nor the account. Adding a language: README, "Languages".
"""

import functools
import json
from pathlib import Path
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.staticfiles import finders
from django.dispatch import receiver
from django.http.cookie import parse_cookie
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation, parse_accept_lang_header
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog, set_language

# A signed-in staff member's language, put in their session as they sign in, and from there into the browser's
# language cookie by the sign-in's response (AccountLocaleMiddleware).
SESSION_KEY = "attune_language"


def supported(code):
    """The code if Attune speaks that language, else None."""
    return code if code in dict(settings.LANGUAGES) else None


def language_name(code):
    """A language's name in the reader's language ("German" to an English reader, "Deutsch" to a German one), as
    organizers read a couple's; the code itself for one Django does not know."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


class AccountLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (the language cookie, then Accept-Language), which also hands a staff member's
    account language to the browser they just signed in on. It never loads a session itself."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        # Only a session this request changed (a sign-in does) is looked in: it is loaded already, so this costs no
        # read, and a session that could not be read (the database down) is not tried again.
        chosen = supported(session.pop(SESSION_KEY, None)) if session is not None and session.modified else None
        if chosen is not None:
            _set_cookie(response, chosen)
        return super().process_response(request, response)


def _set_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def choose_language(request):
    """Django's set_language (the cookie, then back to ``next``), kept on the account for a signed-in person."""
    response = set_language(request)
    chosen = supported(request.POST.get("language"))
    if chosen is not None and request.user.is_authenticated:
        from workshops.models import AccountLanguage

        AccountLanguage.objects.update_or_create(user=request.user, defaults={"language": chosen})
    return response


@receiver(user_logged_in, dispatch_uid="attune-account-language")
def _language_on_sign_in(sender, request, user, **kwargs):
    from workshops.models import AccountLanguage

    chosen = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if request is not None and supported(chosen):
        request.session[SESSION_KEY] = chosen


def language_in_address(query):
    """The language an address asks for (``?lang=<code>``; ``query`` is a request's GET or a socket's parsed query
    string), if Attune speaks it: else None, and the browser's language decides (an unknown code is no error)."""
    return supported(query.get("lang"))


def speaks_language_in_address(view):
    """A page that may keep its own language in its address: with ``?lang=<code>`` it is rendered in that
    language, whatever the cookie, the account and the browser say, and keeps nothing (neither the cookie nor the
    account changes); without, it follows them as every page does."""

    @functools.wraps(view)
    def in_its_language(request, *args, **kwargs):
        chosen = language_in_address(request.GET)
        if chosen is None:
            return view(request, *args, **kwargs)
        with translation.override(chosen):
            response = view(request, *args, **kwargs)
        # Said before LocaleMiddleware would say the cookie's (it only sets the header when none is set).
        response.headers["Content-Language"] = chosen
        return response

    return in_its_language


def language_of_socket(scope):
    """A live socket's language, as its page's is: the language its address asks for (a projector's, see
    ``speaks_language_in_address``), else the language cookie, else the browser's Accept-Language (the same
    negotiation as Django's, from the handshake's headers). Its error frames are in it."""
    asked = language_in_address(dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))))
    if asked is not None:
        return asked
    headers = dict(scope.get("headers") or ())
    cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
    chosen = supported(cookies.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen is not None:
        return chosen
    for code, _quality in parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1")):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


@functools.cache
def live_catalog(language, app=None):
    """A live app's translations for a language (the djangojs domain of locale/), as Django's JavaScriptCatalog
    hands them to scripts: msgid -> text, or a list of plural forms; only the texts that app translates (the
    build lists them in live/<app>.texts.json), all of them while the apps are not built. Empty for English, the
    source language. Catalogs change only with a deploy, so each is read once per process."""
    view = JavaScriptCatalog()
    view.translation = DjangoTranslation(language, domain="djangojs", localedirs=[str(settings.LOCALE_PATHS[0])])
    catalog = view.get_catalog()
    texts = _texts_of(app) if app else None
    return catalog if texts is None else {msgid: text for msgid, text in catalog.items() if msgid in texts}


def _texts_of(app):
    found = finders.find(f"live/{app}.texts.json")
    if found is None:
        return None
    return frozenset(json.loads(Path(found).read_text()))


def live_i18n(app=None, language=None):
    """What a live app needs to speak the reader's language: the language, the others it may switch to, and the
    app's catalog (frontend/src/shared/i18n.ts reads it)."""
    language = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    return {
        "language": language,
        "languages": [[code, name] for code, name in settings.LANGUAGES],
        "catalog": live_catalog(language, app),
    }
