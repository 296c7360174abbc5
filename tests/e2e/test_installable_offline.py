"""The participant app installed and offline (realtime/installable.py, frontend/src/worker/sw.ts,
frontend/src/participant/Offline.tsx): its manifest, icons and /favicon.ico; the service worker, which keeps the
public app shell only, so /live/ opens without a network on a "Waiting for the network" screen, in the language
the phone chose; and a phone that loses its connection mid-step, which says so in words and sends what it kept once
it is back."""

import json
import re
import shutil
import struct

import pytest
from django.test import Client, override_settings
from playwright.sync_api import expect

from realtime import installable
from tests.e2e.browser import LAPTOP, PHONE, confirm_words, enter, type_pairing_code
from tests.e2e.conftest import login_cookie
from tests.e2e.languages import english_left_on, rendered_text
from tests.realtime.conftest import _custom_live, _live_workshop
from tests.realtime.phones import Device
from tests.support import ROOT

ICONS = [
    ("/static/icons/attune-192.png", "192x192", "image/png", "any"),
    ("/static/icons/attune-512.png", "512x512", "image/png", "any"),
    ("/static/icons/attune-maskable-512.png", "512x512", "image/png", "maskable"),
    ("/static/icons/attune.svg", "any", "image/svg+xml", "any"),
]
SHELL_ASSETS = [
    "/static/attune.css",
    "/static/live/participant.css",
    "/static/live/participant.js",
    *(src for src, *_ in ICONS),
]
WAITING = "Waiting for the network"
OFFLINE_BANNER = "You're offline. What you type is kept on this phone and sent when you're back."
KEPT = "Kept on this phone; it is sent when you're back online."


def _config(response):
    match = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _worker_head(source):
    first, _ = source.decode().split("\n", 1)
    return json.loads(first.removeprefix("self.ATTUNE_SHELL = ").removesuffix(";"))


# --- the routes, with Django's test client ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manifest_makes_the_participant_app_installable():
    response = Client().get("/live/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest == {
        "id": "/live/",
        "name": "Attune live",
        "short_name": "Attune",
        "description": "Take part in an Attune workshop with your partner, from your phone.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/live/",
        "scope": "/live/",
        "display": "standalone",
        "background_color": "#fbfaf8",
        "theme_color": "#fbfaf8",
        "icons": [{"src": src, "sizes": size, "type": kind, "purpose": purpose} for src, size, kind, purpose in ICONS],
    }
    # The colours are the app's own (static/attune.css's light background, the top bar's).
    assert "--bg: #fbfaf8" in (ROOT / "static" / "attune.css").read_text()
    for src, sizes, _, _ in ICONS:
        data = (ROOT / "static" / src.removeprefix("/static/")).read_bytes()
        if sizes == "any":
            assert data.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        else:
            assert "{}x{}".format(*_png_size(data)) == sizes


@pytest.mark.django_db
def test_the_participant_page_links_the_manifest_and_its_icons():
    page = Client().get("/live/").content.decode()
    assert '<link rel="manifest" href="/live/manifest.webmanifest">' in page
    assert '<link rel="icon" href="/static/icons/attune.svg" type="image/svg+xml">' in page
    assert '<link rel="apple-touch-icon" href="/static/icons/attune-192.png">' in page
    assert '<meta name="theme-color" content="#fbfaf8" media="(prefers-color-scheme: light)">' in page


@pytest.mark.django_db
def test_favicon_is_an_icon_with_three_sizes():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    data = response.content
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = []
    for i in range(count):
        width, height, _, _, _, bits, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i])
        assert _png_size(data[offset : offset + length]) == (width, height)
        sizes.append((width, bits))
    assert sizes == [(16, 32), (32, 32), (48, 32)]


@pytest.mark.django_db
def test_the_shell_is_public_and_carries_no_one_s_session(builtin_library):
    session, _, _ = _live_workshop()
    phone = Device()
    phone.post("/live/api/join/code", {"code": session.join_code})
    phone.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    assert _config(phone.get("/live/"))["session_id"] == session.pk
    shell = phone.get("/live/shell?lang=en")
    assert shell.status_code == 200
    # `shell`: the app asks the server who this device is (/live/api/device).
    assert _config(shell) == {"session_id": None, "qr_pairing": False, "shell": True}
    assert not shell.cookies  # no CSRF or session cookie: nothing of this phone's
    assert "no-store" in shell["Cache-Control"]
    assert "script-src 'self'" in shell["Content-Security-Policy"]
    assert "Ana" not in shell.content.decode()
    # The same page as any phone's (the cached copy is the public one), with the join screen drawn.
    assert shell.content == Client().get("/live/shell?lang=en").content
    assert '<input id="join-code"' in shell.content.decode()


@pytest.mark.django_db
def test_the_shell_speaks_the_language_its_address_asks_for():
    """The worker keeps one shell per language and opens the one the phone reads (shared/deviceNote.ts)."""
    german = Client(headers={"accept-language": "en"}).get("/live/shell?lang=de").content.decode()
    assert '<html lang="de">' in german and "<h1>An einer Live-Session teilnehmen</h1>" in german
    assert '"language": "de"' in german  # and the app's catalog in it
    english = Client(headers={"accept-language": "de"}).get("/live/shell?lang=en").content.decode()
    assert '<html lang="en">' in english and "<h1>Join a live session</h1>" in english


@pytest.mark.django_db
def test_the_service_worker_keeps_only_the_public_shell(built_apps):
    response = Client().get("/live/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    head = _worker_head(response.content)
    assert head["shells"] == {"en": "/live/shell?lang=en", "de": "/live/shell?lang=de"}
    assert head["assets"] == SHELL_ASSETS
    assert re.fullmatch(r"[0-9a-f]{16}", head["version"])
    assert response.content.endswith((built_apps / "sw.js").read_bytes())


@pytest.mark.django_db
def test_a_new_build_of_the_shell_makes_a_new_worker_version(built_apps, tmp_path):
    """The version is a digest of what the worker keeps: a deploy that changes any of it installs a new worker
    (its cache replaces the old one); a change to anything else does not."""
    static, dist = tmp_path / "static", tmp_path / "dist"
    shutil.copytree(ROOT / "static", static)
    shutil.copytree(built_apps.parent, dist)
    with override_settings(STATICFILES_DIRS=[static, dist]):
        before = _worker_head(installable._worker_source())["version"]
        (dist / "live" / "facilitator.js").write_text("/* the console changed */")
        assert _worker_head(installable._worker_source())["version"] == before
        (dist / "live" / "participant.js").write_text("/* a new participant app */")
        after = _worker_head(installable._worker_source())["version"]
        assert after != before
        (static / "icons" / "attune-192.png").write_bytes(b"another icon")
        assert _worker_head(installable._worker_source())["version"] not in (before, after)


@pytest.mark.django_db
def test_without_a_build_there_is_no_worker_to_serve(tmp_path):
    with override_settings(STATICFILES_DIRS=[ROOT / "static"], STATIC_ROOT=tmp_path):
        assert installable._worker_source() is None


# --- in a real browser --------------------------------------------------------------------------------------

IN_PAGE_FETCH = """async (paths) => {
    const out = {};
    for (const path of paths) {
        const response = await fetch(path, {cache: "no-store"});
        out[path] = [response.status, response.headers.get("content-type")];
    }
    return out;
}"""

IMAGE_SIZE = """src => new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
    image.onerror = () => resolve(null);
    image.src = src;
})"""

SHELL_CACHE = """async () => {
    const names = await caches.keys();
    const out = {};
    for (const name of names) {
        const cache = await caches.open(name);
        out[name] = (await cache.keys()).map((request) => {
            const url = new URL(request.url);
            return url.pathname + url.search;
        }).sort();
    }
    return out;
}"""

DEVICE_NOTE = """async () => {
    const found = await caches.match("/live/device-note", {cacheName: "attune-device"});
    return found ? found.json() : null;
}"""


def _wait_for_the_kept_language(page, language):
    """Until the app's note for the worker (shared/deviceNote.ts) says the phone reads `language`."""
    for _ in range(100):
        if (page.evaluate(DEVICE_NOTE) or {}).get("language") == language:
            return
        page.wait_for_timeout(100)
    assert (page.evaluate(DEVICE_NOTE) or {}).get("language") == language


@pytest.mark.browser
@pytest.mark.slow
def test_the_app_installs_and_opens_offline_on_a_waiting_screen(server, screens):
    phone = screens.open("phone", server, **PHONE).goto("/live/")
    phone.see("Join a live session")
    page = phone.page

    # The manifest as the browser reads it: no errors, and every icon fetchable as what it says it is.
    cdp = phone.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{server}/live/manifest.webmanifest"
    assert manifest["errors"] == []
    fetched = page.evaluate(IN_PAGE_FETCH, ["/live/manifest.webmanifest", "/favicon.ico", *(s for s, *_ in ICONS)])
    assert fetched == {
        "/live/manifest.webmanifest": [200, "application/manifest+json"],
        "/favicon.ico": [200, "image/x-icon"],
        **{src: [200, kind] for src, _, kind, _ in ICONS},
    }
    for src, sizes, _, _ in ICONS:
        width, height = page.evaluate(IMAGE_SIZE, src)
        assert sizes == "any" or f"{width}x{height}" == sizes

    # The service worker registers for /live/ and takes the page; its cache holds the public shell, nothing else.
    # (`ready` already holds while the worker is still activating: wait for the end of that.)
    page.wait_for_function("() => navigator.serviceWorker.controller?.state === 'activated'")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => [r.scope, r.active.state])") == [
        f"{server}/live/",
        "activated",
    ]
    _wait_for_the_kept_language(page, "en")
    caches = page.evaluate(SHELL_CACHE)
    # Besides, the app's note for the worker: whether this phone is in a session, and its language (never more).
    assert caches.pop("attune-device") == ["/live/device-note"]
    assert list(caches.values()) == [sorted(["/live/shell?lang=de", "/live/shell?lang=en", *SHELL_ASSETS])]
    (name,) = caches
    assert re.fullmatch(r"attune-shell-[0-9a-f]{16}", name)
    assert page.evaluate(DEVICE_NOTE) == {"inSession": False, "language": "en"}

    # No network: the app opens anyway, and says in words what works and what will happen.
    phone.context.set_offline(True)
    page.reload()
    phone.see(WAITING)
    text = phone.text()
    assert "This phone can't reach the session right now." in text
    assert "Nothing is lost: everything you saved is kept." in text
    assert "it reconnects by itself as soon as the network is back" in text
    phone.shot("waiting-for-the-network")
    assert phone.axe("waiting") == []
    phone.click("Try again now")
    phone.see("Still no network. Trying again by itself every few seconds.")

    # The network comes back: the phone goes on by itself to where it was going.
    phone.context.set_offline(False)
    phone.see("Join a live session", timeout=20000)
    assert WAITING not in phone.text()


GERMAN_WAITING = "Warten auf das Netz"


@pytest.mark.browser
@pytest.mark.slow
def test_offline_a_phone_that_chose_german_in_an_english_browser_waits_in_german(server, screens, builtin_library):
    """The worker fetches the shells without cookies, so it cannot know the language the phone chose: the app
    tells it, and offline the shell opens in that language, not the browser's."""
    session, _, _ = _custom_live(["pause-signal"])
    phone = screens.open("english-browser", server, locale="en-US", **PHONE).goto("/live/")
    phone.see("Join a live session")
    phone.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.page.get_by_label("Language").select_option("de")
    phone.see("An einer Live-Session teilnehmen")
    _wait_for_the_kept_language(phone.page, "de")

    phone.context.set_offline(True)
    phone.page.reload()
    phone.see(GERMAN_WAITING)
    assert phone.page.evaluate("document.documentElement.lang") == "de"
    assert english_left_on(rendered_text(phone.page)) == []
    phone.shot("waiting-in-german")
    # A join link opened without a network: the same screen, in German too.
    phone.page.goto(f"{server}/live/?code={session.join_code}")
    phone.see(GERMAN_WAITING)
    assert english_left_on(rendered_text(phone.page)) == []
    phone.click("Jetzt noch einmal versuchen")
    phone.see("Noch immer kein Netz.")

    phone.context.set_offline(False)
    phone.see("Bevor es losgeht", timeout=20000)


@pytest.mark.browser
@pytest.mark.slow
def test_offline_a_phone_that_chose_english_in_a_german_browser_waits_in_english(server, screens):
    phone = screens.open("german-browser", server, locale="de-DE", **PHONE).goto("/live/")
    phone.see("An einer Live-Session teilnehmen")
    phone.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.page.get_by_label("Sprache").select_option("en")
    phone.see("Join a live session")
    _wait_for_the_kept_language(phone.page, "en")

    phone.context.set_offline(True)
    phone.page.reload()
    phone.see(WAITING)
    assert phone.page.evaluate("document.documentElement.lang") == "en"
    assert GERMAN_WAITING not in phone.text()
    assert "This phone can't reach the session right now." in phone.text()

    # A worker that was never told (the app's note gone) answers in the browser's language, as the server would.
    phone.page.evaluate("caches.delete('attune-device')")
    phone.page.reload()
    phone.see(GERMAN_WAITING)
    assert phone.page.evaluate("document.documentElement.lang") == "de"


@pytest.mark.browser
@pytest.mark.slow
def test_a_join_link_opened_offline_waits_and_then_joins(server, screens, builtin_library):
    session, _, _ = _custom_live(["pause-signal"])
    phone = screens.open("phone", server, **PHONE).goto("/live/")
    phone.see("Join a live session")
    phone.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    phone.page.goto(f"{server}/live/?code={session.join_code}")
    phone.see(WAITING)
    phone.context.set_offline(False)
    phone.see("Before you start", timeout=20000)  # the code was kept for when the network came back

    # The page came, but the session's endpoints can't be reached (the network went meanwhile): the same screen.
    phone.page.route("**/live/api/**", lambda route: route.abort("internetdisconnected"))
    phone.page.reload()
    phone.see(WAITING)
    phone.page.unroute("**/live/api/**")
    phone.see("Before you start", timeout=20000)


def _paired_at_the_agreement(screens, server):
    session, facilitator, _ = _custom_live(["pause-signal"])
    staff = screens.open("console", server, cookie=login_cookie(facilitator), **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Run of show")
    ana = screens.open("ana", server, **PHONE).goto(f"/live/?code={session.join_code}")
    enter(ana, "Ana")
    ben = screens.open("ben", server, **PHONE).goto("/live/")
    enter(ben, "Ben", code=session.join_code)
    ana.click("Show a code for my partner's phone")
    type_pairing_code(ben, ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code"))
    confirm_words(ana, ben)
    ana.see("Welcome, Ana and Ben")
    ben.see("Welcome, Ben and Ana")
    staff.page.keyboard.press("n")
    staff.page.get_by_role("button", name="Go to step 3:", exact=False).click()
    staff.click("Open breakout (O)")
    for phone in (ana, ben):  # the breakout is open on both phones: the agreement can be written
        phone.page.get_by_label("Our pause signal").wait_for()
    return ana, ben


def _in_view(screen, locator):
    box = locator.bounding_box()
    height = screen.page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.browser
@pytest.mark.slow
def test_a_phone_offline_mid_step_says_so_and_sends_what_it_kept_when_back(server, screens, builtin_library):
    ana, ben = _paired_at_the_agreement(screens, server)
    signal = "A hand on the heart"

    ben.context.set_offline(True)
    banner = ben.page.get_by_role("alert").filter(has_text="You're offline.")
    banner.wait_for()
    assert OFFLINE_BANNER in banner.inner_text()
    ben.page.get_by_label("Our pause signal").fill(signal)
    ben.click("Save our agreement")
    ben.see(KEPT)
    # Scrolled down to the form's end, the phone still says it is offline, in words, at the top of the screen.
    ben.page.get_by_role("button", name="Save our agreement").scroll_into_view_if_needed()
    ben.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert _in_view(ben, banner)
    assert "Saved." not in ben.text()
    ben.shot("offline-mid-step")
    assert ben.axe("offline-mid-step") == []
    ana.page.wait_for_timeout(2000)
    assert signal not in ana.text() and ana.page.get_by_label("Our pause signal").input_value() == ""

    # Back online: the banner goes, the kept change is sent and acknowledged, and the partner's phone has it.
    ben.context.set_offline(False)
    ben.see("Saved.", timeout=20000)
    assert "You're offline" not in ben.text() and KEPT not in ben.text()
    expect(ana.page.get_by_label("Our pause signal")).to_have_value(signal, timeout=15000)

    # Offline again, and the page reloaded before the network is back: the app opens on the waiting screen, which
    # counts what this phone kept, and once the network is back that is sent too.
    after = "We both sit down and breathe"
    ben.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    ben.context.set_offline(True)
    banner.wait_for()
    ben.page.get_by_label("Right after the signal, we…").fill(after)
    ben.click("Save our agreement")
    ben.see(KEPT)
    ben.page.reload()
    ben.see(WAITING)
    assert "1 change you made is kept on this phone and will be sent when you're back." in ben.text()
    ben.context.set_offline(False)
    expect(ana.page.get_by_label("Right after the signal, we…")).to_have_value(after, timeout=20000)
    expect(ben.page.get_by_label("Right after the signal, we…")).to_have_value(after)
    expect(ben.page.get_by_label("Our pause signal")).to_have_value(signal)
