"""A phone's first screen before the app has arrived (issue 18): the participant page draws the join screen itself
(templates/live/_join_screen.html), the app takes those very elements over without losing what was typed, and the
installed app's service worker answers a phone in no session with that screen at once, in its language, while a
phone in a session still lands in it. (How fast: bench/phone.py measures; nothing here times anything.)"""

import contextlib
import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.browser import PHONE, enter
from tests.realtime.conftest import _custom_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP_SCRIPT = "**/static/live/participant*.js"
RUNNING = "() => document.documentElement.dataset.app === 'running'"

# The app's root as a tree of (tag, attributes, children) with the text in it, where whitespace between elements
# is no part of the screen.
TREE = """() => {
    const tree = (node) => node.nodeType === Node.TEXT_NODE
        ? node.textContent
        : [node.localName,
           Object.fromEntries([...node.attributes].map((a) => [a.name, a.value]).sort()),
           [...node.childNodes].filter((c) => c.nodeType === Node.ELEMENT_NODE || c.textContent.trim()).map(tree)];
    return tree(document.querySelector("#app > .live-root"));
}"""


def _without(tree, tag, attribute):
    """The tree with `attribute` taken off every `tag` element."""
    if isinstance(tree, str):
        return tree
    name, attributes, children = tree
    if name == tag:
        attributes = {key: value for key, value in attributes.items() if key != attribute}
    return [name, attributes, [_without(child, tag, attribute) for child in children]]


def _select(tree):
    if isinstance(tree, str):
        return None
    if tree[0] == "select":
        return tree
    return next((found for child in tree[2] if (found := _select(child))), None)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_drawn_join_screen_is_the_apps_own(server, screens, language):
    drawn = screens.open("drawn", server, locale=language, service_workers="block", **PHONE)
    drawn.page.route(APP_SCRIPT, lambda route: route.abort())
    drawn.page.goto(f"{server}/live/", wait_until="domcontentloaded")
    drawn.page.locator("#join-code").wait_for()
    assert drawn.page.evaluate("document.documentElement.dataset.app") is None  # no app ran: the server's screen
    server_tree = drawn.page.evaluate(TREE)
    drawn.problems.clear()  # the script refused on purpose

    # The app's own join screen, drawn from nothing: where the page draws none (an address with a query).
    app = screens.open("app", server, locale=language, service_workers="block", **PHONE).goto("/live/?via=none")
    app.page.locator("#join-code").wait_for()
    app.page.wait_for_function(RUNNING)
    app_tree = app.page.evaluate(TREE)
    # The differences: the language menu works only once the app runs, and until then its own language is marked
    # `selected` (the app gives the menu its value instead).
    assert _select(server_tree)[:2] == ["select", {"disabled": "", "id": "language-choice"}]
    chosen = [option[1] for option in _select(server_tree)[2] if "selected" in option[1]]
    assert chosen == [{"lang": language, "selected": "", "value": language}]
    assert _without(_without(server_tree, "select", "disabled"), "option", "selected") == app_tree
    assert json.dumps(app_tree).count("join-code") == 2  # the label's `for` and the input: a screen was compared


def test_what_was_typed_before_the_app_arrived_stays_when_it_takes_over(server, screens, builtin_library):
    session, _, _ = _custom_live(["pause-signal"])
    phone = screens.open("phone", server, service_workers="block", **PHONE)
    held = []
    phone.page.route(APP_SCRIPT, lambda route: held.append(route))  # the app's script is on its way, slowly
    phone.page.goto(f"{server}/live/", wait_until="commit")
    code = phone.page.get_by_label("Session code")
    code.fill(session.join_code[:3])
    assert code.evaluate("(input) => { input.drawnByTheServer = true; return document.activeElement === input; }")
    while not held:  # the page is drawn and takes typing while its app is still on the way
        phone.page.wait_for_timeout(20)
    assert phone.page.evaluate("document.documentElement.dataset.app") is None

    held[0].continue_()
    phone.page.wait_for_function(RUNNING)
    # The same element, with its text, its focus and its caret at the end: typing goes on where it was.
    assert code.evaluate("(input) => input.drawnByTheServer === true && document.activeElement === input")
    phone.page.keyboard.type(session.join_code[3:])
    assert code.input_value() == session.join_code
    phone.click("Join", exact=True)  # the app's join, as ever
    enter(phone, "Ana")
    phone.see("Pair with your partner")


def test_the_join_screen_sent_before_the_app_arrived_joins(server, screens, builtin_library):
    session, _, _ = _custom_live(["pause-signal"])
    phone = screens.open("phone", server, service_workers="block", **PHONE)
    phone.page.route(APP_SCRIPT, lambda route: route.abort())
    phone.page.goto(f"{server}/live/", wait_until="domcontentloaded")
    phone.page.get_by_label("Session code").fill(session.join_code)
    phone.problems.clear()  # the script refused on purpose
    phone.page.unroute(APP_SCRIPT)
    phone.page.keyboard.press("Enter")  # the form itself: the page it opens joins as a join link does
    phone.see("Before you start")
    assert phone.page.url == f"{server}/live/"  # the code taken out of the address


NOTE = "() => caches.match('/live/device-note', {cacheName: 'attune-device'}).then((r) => r ? r.json() : null)"
CONFIG = "() => JSON.parse(document.getElementById('live-config').textContent)"


def _note_comes(page, expected: dict) -> None:
    """The app writes its note while the screen draws (a write to cache storage, not awaited by the screen): wait
    for it to say `expected`, and show what it said instead if it never does."""
    with contextlib.suppress(PlaywrightTimeout):  # the comparison below says what the note held instead
        page.wait_for_function(
            f"(want) => ({NOTE})().then((note) => JSON.stringify(note) === JSON.stringify(want))",
            arg=expected,
            timeout=10_000,
        )
    assert page.evaluate(NOTE) == expected


def _note_left(page, note: dict) -> None:
    """Leave `note` where the app keeps its own. The app writes its note as its screen draws, not awaited by the
    screen, so one of its writes may still land after ours: ours is put again until it has held for a moment."""
    for _ in range(5):
        page.evaluate(
            """(note) => caches.open('attune-device').then((cache) => cache.put('/live/device-note',
                new Response(JSON.stringify(note))))""",
            note,
        )
        page.wait_for_timeout(500)
        if page.evaluate(NOTE) == note:
            return
    assert page.evaluate(NOTE) == note


def test_the_installed_app_opens_a_phone_in_no_session_on_its_kept_join_screen(server, screens, builtin_library):
    session, _, _ = _custom_live(["pause-signal"])
    phone = screens.open("phone", server, **PHONE).goto("/live/")
    page = phone.page
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(f"() => ({NOTE})().then((note) => note && note.inSession === false)")

    # Opened again: the worker answers with its kept shell (nobody's page), the app asks the server who this is.
    page.reload()
    assert page.evaluate(CONFIG) == {"session_id": None, "qr_pairing": False, "shell": True}
    phone.see("Join a live session")
    page.wait_for_function(RUNNING)
    # In the language the phone chose: the menu notes it for the worker before the page comes again.
    page.get_by_label("Language").select_option("de")
    phone.see("An einer Live-Session teilnehmen")
    assert page.evaluate(CONFIG)["shell"] is True and page.evaluate("document.documentElement.lang") == "de"
    _note_comes(page, {"inSession": False, "language": "de"})

    # In a session, the phone opens on its own page from the server, and lands where it was.
    page.get_by_label("Code der Session").fill(session.join_code)
    phone.click("Teilnehmen", exact=True)
    phone.see("Bevor es losgeht")
    _note_comes(page, {"inSession": True, "language": "de"})
    page.reload()
    assert page.evaluate(CONFIG) == {"session_id": session.pk, "qr_pairing": False}
    phone.see("Bevor es losgeht")

    # A note that says otherwise (left by an older app, say) costs a round trip, never the wrong screen: the shell
    # comes, and the server's answer takes the phone on to its session.
    _note_left(page, {"inSession": False, "language": "de"})
    page.reload()
    assert page.evaluate(CONFIG)["shell"] is True
    phone.see("Bevor es losgeht")
    _note_comes(page, {"inSession": True, "language": "de"})


def test_the_installed_app_follows_a_language_chosen_on_a_page_that_leaves_no_note(server, screens):
    """The worker answers in the language its note names; a phone that chose another on one of the site's own pages
    (their language menu is a plain form: it sets the cookie and leaves no note) comes again in the one it chose."""
    phone = screens.open("phone", server, locale="en-US", **PHONE).goto("/live/")
    page = phone.page
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(f"() => ({NOTE})().then((note) => note && note.language === 'en')")

    phone.context.add_cookies([{"name": "django_language", "value": "de", "url": server}])  # as that form does
    page.reload()
    phone.see("An einer Live-Session teilnehmen")
    page.wait_for_function(RUNNING)
    assert page.evaluate(CONFIG)["shell"] is True and page.evaluate("document.documentElement.lang") == "de"
    _note_comes(page, {"inSession": False, "language": "de"})
