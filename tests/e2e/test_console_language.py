"""The facilitator's console and the projector in German (issue 17), in real browsers against a real server.

A German organization runs an evening of its own exercise, written in German (so every English word left on a
screen is the app's own). The console and the projector hold the German language cookie; their browsers are
English. Three walk-in couples join; the facilitator admits them, the poll's answers come in and are shown on the
projector, two help requests arrive (one as a couple, one private), a breakout closes with a warning while a timer
runs, and the session ends. At each of these moments neither screen shows an English text of the live apps'
catalog (the console's and projector's own texts, djangojs.po), its numbers and times are German, the console is
checked with axe-core, and on a 360 px screen nothing of it is wider than the screen. The projector's language
menu keeps out of the room's sight until the mouse moves.
"""

import contextlib
import json
import re
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests import factories
from tests.e2e.browser import LAPTOP, PROJECTOR
from tests.e2e.conftest import login_cookie
from tests.e2e.languages import english_left_on, rendered_text
from tests.e2e.test_feedback import SocketPhone, _couple_by_http
from tests.support import ROOT
from workshops.services import library, scheduling

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"viewport": {"width": 360, "height": 640}}
QUESTION = "Wie sicher fühlt sich dieser Raum für dich gerade an?"
EVENING = [
    {
        "kind": "instruction",
        "title": "Ankommen",
        "duration_minutes": 5,
        "participant_text": "Schön, dass ihr da seid.",
        "facilitator_notes": "Stell dich kurz vor und sag, dass jede Frage ausgelassen werden darf.",
        "config": {},
    },
    {
        "kind": "poll",
        "title": "Wie geht es euch?",
        "duration_minutes": 3,
        "participant_text": "Antworte ehrlich: Niemand sieht, wer was gewählt hat.",
        "facilitator_notes": "Lies die Verteilung vor, ohne auf Einzelne zu schließen.",
        "config": {
            "question": QUESTION,
            "poll_kind": "scale",
            "scale": {"min": 1, "max": 5, "min_label": "Noch nicht sicher", "max_label": "Sehr sicher"},
        },
    },
    {
        "kind": "reflection",
        "title": "Für dich allein",
        "duration_minutes": 10,
        "participant_text": "Schreib für dich auf, was dir heute wichtig ist.",
        "facilitator_notes": "Gib Zeit und bleib ruhig im Raum.",
        "config": {"prompts": ["Wann hast du dich diese Woche gehört gefühlt?"]},
    },
]
COUPLES = [("Ana", "Ben"), ("Gil", "Gia"), ("Hal", "Hana")]
ANSWERS = {"Ana": 3, "Ben": 4, "Gil": 5, "Gia": 2, "Hal": 3}  # five answers from three couples: mean 3.4
# The texts of the console and the projector, where they are written (the participant app has its own test).
STAFF_SOURCES = [
    *sorted((ROOT / "frontend" / "src" / "facilitator").glob("*.tsx")),
    *(ROOT / "frontend" / "src" / name for name in ("projector/main.tsx", "shared/ui.tsx", "shared/socket.ts")),
    ROOT / "frontend" / "src" / "shared" / "results.tsx",
]
_LITERAL = r'"((?:[^"\\\n]|\\.)*)"'
_CALLS = re.compile(rf"\b(?:gettext|ngettext)\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})?")
# Elements reaching past the right edge of the screen (a long German word in a button, say).
TOO_WIDE = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 0.5;
    });
    return [document.documentElement.scrollWidth - width, wide.map(el => el.outerHTML.slice(0, 120))];
}"""


def _german_catalog():
    """{English text: its German forms} of djangojs.po, read with gettext's own msgcat."""
    po = ROOT / "locale" / "de" / "LC_MESSAGES" / "djangojs.po"
    out = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    catalog = {}
    for entry in out.split("\n\n"):
        ids = [json.loads(s) for s in re.findall(r'^msgid(?:_plural)? (".*")$', entry, flags=re.M)]
        forms = [json.loads(s) for s in re.findall(r"^msgstr(?:\[\d\])? (\".*\")$", entry, flags=re.M)]
        for text in ids:
            if text:
                catalog[text] = forms
    return catalog


def _english_patterns():
    """A pattern for each English text of the console and the projector that German writes differently: %(name)s
    matches any value, and a text starting or ending with a letter matches whole words only."""
    marked = {
        json.loads(f'"{text}"')
        for source in STAFF_SOURCES
        for match in _CALLS.finditer(source.read_text())
        for text in match.groups()
        if text is not None
    }
    catalog = _german_catalog()
    german = "\n".join(form for forms in catalog.values() for form in forms)
    patterns = {}
    for text in marked:
        assert catalog.get(text), f"not in the German catalog: {text!r}"
        pattern = ".+?".join(re.escape(piece) for piece in re.split(r"%\(\w+\)s", text))
        pattern = re.compile(rf"(?<!\w){pattern}(?!\w)" if re.match(r"\w", text[-1:] + text[:1]) else pattern)
        if not pattern.search(german):  # German writes some of them too ("Timer starten", "Status: %(status)s")
            patterns[text] = pattern
    assert len(patterns) > 150, len(patterns)
    return patterns


def english_left(screen, patterns):
    """The console's and projector's English texts on a screen (short ones too, as whole words), and any longer
    English text of the live apps' catalog (tests/e2e/languages.py)."""
    text = rendered_text(screen.page)
    ours = {english for english, pattern in patterns.items() if pattern.search(text)}
    return sorted(ours | set(english_left_on(text)))


def _german_evening():
    """A German organization's evening: its own exercise written in German (instruction, poll, reflection), a session
    started five minutes ago, and its facilitator."""
    org = factories.organization(name="Paarwerkstatt Berlin")
    facilitator = factories.member(org, "facilitator")
    with translation.override("de"):  # written by an organizer who reads Attune in German
        exercise = library.exercise_create(organization=org, title="Ein Abend zu zweit", steps=EVENING)
    program = library.program_create(organization=org, title="Paarabend", items=[{"exercise": exercise.pk}])
    workshop = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Paarabend im Mai",
        timezone_name="Europe/Berlin",
        capacity_couples=6,
        format="online",
        video_link="https://v.example/paarabend",
    )
    start = timezone.now() - timezone.timedelta(minutes=5)
    session = scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timezone.timedelta(hours=2))
    scheduling.workshop_set_facilitators(workshop=workshop, users=[facilitator])
    scheduling.workshop_publish(workshop=workshop)
    return session, facilitator


def _german(screens, name, server, cookie, **options):
    """A browser in English whose reader chose German (the language cookie), signed in as the facilitator."""
    screen = screens.open(name, server, cookie=cookie, **options)
    screen.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": server}])
    return screen


def _ask_for_help(phone, private):
    phone.counter += 1
    msg_id = f"{phone.name}-help-{phone.counter}"
    phone.ws.send(json.dumps({"id": msg_id, "type": "help.ask", "private": private}))
    reply = phone.wait_for(lambda f: f.get("id") == msg_id)
    assert reply["type"] == "ack", reply


@pytest.fixture
def sockets():
    with contextlib.ExitStack() as stack:
        yield stack


def test_the_console_and_the_projector_speak_german(server, screens, sockets):
    session, facilitator = _german_evening()
    people = {}
    for first, second in COUPLES:
        couple = _couple_by_http(server, session, (first, True), (second, True))
        people.update(zip((first, second), couple, strict=True))
    cookie = login_cookie(facilitator)
    connections.close_all()
    patterns = _english_patterns()
    axe = []

    def nothing_english(*screens_and_labels):
        for screen, label in screens_and_labels:
            screen.shot(label)
            assert english_left(screen, patterns) == [], label

    # --- the lobby: the console and the projector, both in German, each with its own language menu -------------
    staff = _german(screens, "de-console", server, cookie, **LAPTOP).goto(f"/live/facilitate/{session.pk}/")
    staff.see("Ablauf")
    assert staff.page.locator("html").get_attribute("lang") == "de"
    expect(staff.page.get_by_label("Sprache")).to_have_value("de")
    projector = _german(screens, "de-projector", server, cookie, **PROJECTOR).goto(f"/live/projector/{session.pk}/")
    projector.see("Gleich geht es los. Holt eure Handys raus.")
    phones = {name: SocketPhone(sockets, server, session.pk, device, name) for name, device in people.items()}
    projector.see("3 Paare dabei")
    staff.see("3 Paare anwesend")
    expect(staff.page.get_by_text("ohne Anmeldung, noch nicht zugelassen")).to_have_count(3)
    nothing_english((staff, "lobby"), (projector, "lobby"))
    axe += staff.axe("lobby")

    # The projector's menu is there for whoever sets up the beamer, out of the room's sight until the mouse moves.
    menu = projector.page.locator(".pj-language")
    expect(menu.get_by_label("Sprache")).to_have_value("de")
    expect(menu).to_have_css("opacity", "0", timeout=10000)
    projector.page.mouse.move(640, 360)
    projector.page.mouse.move(1200, 40)
    expect(menu).to_have_css("opacity", "1")

    # --- the couples are admitted, the poll opens, five answers come from three couples and are shown ------------
    for first, second in COUPLES:
        staff.click(f"{first} & {second} zulassen", exact=True)
    expect(staff.page.get_by_text("ohne Anmeldung, zugelassen")).to_have_count(3)
    staff.page.keyboard.press("n")
    staff.see("Jetzt: Schritt 1 von 3")
    staff.page.keyboard.press("n")
    staff.see("Jetzt: Schritt 2 von 3")
    projector.see("Schritt 2 von 3 · Ein Abend zu zweit")
    expect(projector.page.locator(".pj-step")).to_have_attribute("lang", "de")
    expect(staff.page.locator(".fb-prompt h3")).to_have_attribute("lang", "de")
    projector.see("3 Paare können antworten · 3 ohne Anmeldung")
    row = staff.page.locator(".fb-prompt", has_text=QUESTION)
    row.get_by_text("Noch nicht genug Antworten", exact=True).wait_for()
    for name, value in ANSWERS.items():
        phones[name].answer(QUESTION, value)
    row.get_by_role("button", name="Auf der Leinwand zeigen").click()
    row.get_by_text("Freigegeben: Die Leinwand zeigt das Ergebnis.").wait_for()
    projector.see("5 Antworten von 3 Paaren · Durchschnitt 3,4")
    row.get_by_text("5 Antworten von 3 Paaren · Durchschnitt 3,4").wait_for()
    projector.see("jede Freigabe mit mindestens 5 Antworten von drei Paaren")

    # --- help: one couple asks together, one person privately ----------------------------------------------------
    _ask_for_help(phones["Ana"], private=False)
    _ask_for_help(phones["Gia"], private=True)
    staff.see("Privat: Gia")
    staff.see("Als Paar gefragt.")
    staff.see("Privat gefragt: Die andere Person weiß nichts davon.")
    expect(staff.page).to_have_title(re.compile(r"^\(2\) Hilfe – "))
    nothing_english((staff, "poll-released-help"), (projector, "poll-released"))
    axe += staff.axe("poll-released-help")

    # --- the same console on a 360 px screen: the session's bar on top, nothing wider than the screen ------------
    narrow = _german(screens, "de-console-360", server, cookie, **NARROW).goto(f"/live/facilitate/{session.pk}/")
    bar = narrow.page.get_by_role("navigation", name="Steuerung der Session")
    bar.get_by_text("Schritt 2/3").wait_for()
    bar.get_by_role("link", name="Hilfe: 2").wait_for()
    narrow.page.locator(".help-queue li").nth(1).wait_for()
    narrow.page.locator(".fb-prompt", has_text="Durchschnitt 3,4").wait_for()
    assert narrow.page.evaluate(TOO_WIDE) == [0, []]
    nothing_english((narrow, "poll-released-help"))
    axe += narrow.axe("poll-released-help")

    # --- the reflection: a timer, and a breakout closing with a warning --------------------------------------------
    asked = staff.page.locator(".help-queue li").first
    asked.get_by_role("button", name="Gesehen").click()
    expect(asked.locator(".hint")).to_contain_text("· gesehen")
    staff.page.keyboard.press("n")
    staff.see("Jetzt: Schritt 3 von 3")
    staff.click("Timer starten (T)")
    spoken = staff.page.locator(".timer-big .visually-hidden")
    expect(spoken).to_have_text(re.compile(r"^Zeit: noch (10|9) Minuten\b"))
    staff.click("Paarzeit starten (O)")
    staff.see("Die Paare arbeiten in ihren privaten Bereichen.")
    staff.page.get_by_label("Vorwarnung (Sekunden)").fill("90")
    staff.click("Mit Vorwarnung beenden (C)")
    staff.see("Endet in")
    projector.see("bringt euren Satz zu Ende")
    narrow.see("Endet in")
    nothing_english((staff, "breakout-closing"), (projector, "breakout-closing"), (narrow, "breakout-closing"))
    assert narrow.page.evaluate(TOO_WIDE) == [0, []]
    axe += staff.axe("breakout-closing")

    # --- the end ---------------------------------------------------------------------------------------------------
    staff.click("Session beenden …")
    staff.click("Ja, beenden")
    staff.see("Session beendet")
    projector.see("Danke, dass ihr dabei wart.")
    time.sleep(0.5)  # the last roster and feedback frames
    nothing_english((staff, "ended"), (projector, "ended"), (narrow, "ended"))
    assert narrow.page.evaluate(TOO_WIDE) == [0, []]

    assert axe == [], "\n".join(axe)
