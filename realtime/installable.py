"""The participant app as an installable web app that opens without a network.

- /live/manifest.webmanifest: the web app manifest (name, scope /live/, standalone, Attune's colours, icons).
- /live/shell/<language>: the participant page as a public shell, one per language Attune speaks: no session, no
  cookie, nobody's content. The service worker keeps all of them and answers with the one in the phone's language
  when the phone opens /live/ without a network; the app then shows its "Waiting for the network" screen and goes
  back to /live/ by itself once the network is back. The worker fetches without cookies, so it cannot learn the
  language the phone chose (Django's language cookie): the participant app tells it on every load.
- /live/sw.js: the service worker (frontend/src/worker/sw.ts, built into live/sw.js), served under /live/ so
  that its scope can be /live/, headed by the list of what it keeps and a version: a digest of those files and
  of the shell, so a deploy that changes any of them installs a new worker, which replaces the old cache.
  It keeps that list only (never an API answer, the socket, or anything of a couple's), and the phone's language.
- /favicon.ico: the icon every browser asks for, on every page.

The icons are drawn by frontend/scripts/icons.mjs into static/icons/.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

# static/attune.css: --bg (the top bar's background in the light theme) and the dark theme's --bg.
BACKGROUND = "#fbfaf8"
BACKGROUND_DARK = "#161514"

ICONS = [
    ("icons/attune-192.png", "192x192", "image/png", "any"),
    ("icons/attune-512.png", "512x512", "image/png", "any"),
    ("icons/attune-maskable-512.png", "512x512", "image/png", "maskable"),
    ("icons/attune.svg", "any", "image/svg+xml", "any"),
]
# What the service worker keeps besides the shell page: the files that page loads, and the icons.
SHELL_STATIC = ["attune.css", "live/participant.css", "live/participant.js", *(name for name, *_ in ICONS)]
WORKER = "live/sw.js"
SHELL_CONFIG = {"session_id": None, "qr_pairing": False, "offline_shell": True}


def _static_bytes(name):
    """A static file's content: from the source folders (development, tests, the image keeps them too), else
    from the collected files."""
    found = finders.find(name)
    if found:
        return Path(found).read_bytes()
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def _shell_html(language):
    """The public shell in a language: the same page for every phone that reads that language."""
    with translation.override(language):
        return render_to_string("live/participant.html", {"config": SHELL_CONFIG, "LANGUAGE_CODE": language})


def _worker_source():
    """The worker's script, headed by what it keeps and the version of that (None if the apps aren't built)."""
    try:
        worker = _static_bytes(WORKER)
    except FileNotFoundError:
        return None
    digest = hashlib.sha256(worker)
    for language, _name in settings.LANGUAGES:
        digest.update(_shell_html(language).encode())
    assets = []
    for name in SHELL_STATIC:
        url = static(name)
        assets.append(url)
        digest.update(url.encode())
        digest.update(hashlib.sha256(_static_bytes(name)).digest())
    # A shell per language; a phone that never told the worker its language gets its browser's, as the server
    # would negotiate it, else the installation's (the fallback).
    shells = {
        "shells": {language: reverse("live_shell", args=[language]) for language, _name in settings.LANGUAGES},
        "fallback": settings.LANGUAGE_CODE,
    }
    digest.update(json.dumps(shells).encode())
    head = {"version": digest.hexdigest()[:16], **shells, "assets": assets}
    return f"self.ATTUNE_SHELL = {json.dumps(head)};\n".encode() + worker


# Outside development the files don't change while a process runs: read and digest them once.
_cached_worker_source = functools.cache(_worker_source)


@require_GET
@never_cache
def service_worker(request):
    source = _worker_source() if settings.DEBUG else _cached_worker_source()
    if source is None:
        return HttpResponse("The live apps are not built (make frontend).", status=404, content_type="text/plain")
    return HttpResponse(source, content_type="text/javascript; charset=utf-8")


@require_GET
@never_cache
def offline_shell(request, language):
    # The language is in the address, never the reader's: any phone, cookie or not, gets the same page for it.
    if language not in dict(settings.LANGUAGES):
        raise Http404("Attune does not speak that language.")
    response = HttpResponse(_shell_html(language))
    response["Content-Language"] = language  # LocaleMiddleware would say the request's
    return response


@require_GET
@cache_control(public=True, max_age=600)
def web_manifest(request):
    manifest = {
        "id": "/live/",
        "name": _("Attune live"),
        "short_name": "Attune",
        "description": _("Take part in an Attune workshop with your partner, from your phone."),
        "lang": translation.get_language(),
        "dir": "ltr",
        "start_url": "/live/",
        "scope": "/live/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": BACKGROUND,
        "icons": [
            {"src": static(name), "sizes": size, "type": kind, "purpose": use} for name, size, kind, use in ICONS
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    # In the reader's language (the language cookie, else Accept-Language: LocaleMiddleware varies on that).
    patch_vary_headers(response, ["Cookie"])
    return response


@functools.cache
def _favicon():
    return _static_bytes("icons/favicon.ico")


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    return HttpResponse(_favicon(), content_type="image/x-icon")
