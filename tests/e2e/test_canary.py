"""Couple content stays on the couple's phones (issue 14's canary test), in real browsers against two real
server processes.

Two couples pair, one by pairing code and one by invitation link, each partner's phone on another server process
(so their frames cross Redis), and write a unique canary into every text field of every couple step kind: the
private reflection, a text answer that is revealed, shared worksheet items (added, edited, removed), the
dialogue's topic note and the four agreements. The facilitator runs the session in the facilitator app; the
projector shows it. Meanwhile the test captures a Redis of its own (MONITOR), both servers' log (LOG_LEVEL=DEBUG),
every frame and response of the staff pages, and afterwards a pg_dump and the raw files of a PostgreSQL cluster
of its own (data directory, WAL, its server log): none of them may hold a canary. The same canaries must show on
the phones that may see them, after a reload too (from what the server sends back, not from what was typed).

A control string in every step's title (program content, public by design) must turn up in each capture the
program reaches, so a capture that recorded nothing cannot pass for one that leaked nothing.
"""

import base64
import json
import secrets
import time
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import LAPTOP, PHONE, PROJECTOR, artifacts_dir, confirm_words, enter, type_pairing_code
from tests.e2e.canary_capture import (
    Canaries,
    Capture,
    StaffTraffic,
    find_canaries,
    migrate_and_seed,
    own_postgres,
    redis_with_monitor,
    report,
    wal_without_page_headers,
)
from tests.e2e.conftest import Screens
from tests.platform.servers import server_env, uvicorn_processes

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.multiprocess]

CONTROL = f"AttuneControl{secrets.token_hex(5)}"
PROMPTS = ["What do you keep to yourself?", "What would you like to change?"]
ANSWER_PROMPT = "Name one wish for this month."
SECTIONS = {"keep": "Keep", "change": "Change"}
# The text fields of each agreement, by the start of their labels (frontend/src/participant/Agreements.tsx).
AGREEMENT_FIELDS = {
    "trial_period": ["What we'll try"],
    "pause_signal": ["Our pause signal", "Right after the signal", "We come back to the topic"],
    "ritual": ["What we do"],
    "conflict_plan": ["Timeouts", "Repair", "Follow-up"],
}


def _step(kind, title, config):
    return {"kind": kind, "title": f"{title} {CONTROL}", "duration_minutes": 5, "config": config}


def _agreement(kind):
    days = {"default_trial_days": 14} if kind == "trial_period" else {}
    return _step("agreement", kind.replace("_", " ").capitalize(), {"agreement_kind": kind, "prompt": "Agree.", **days})


STEPS = [
    _step("reflection", "Reflect", {"prompts": PROMPTS}),
    _step("answer_reveal", "Answer", {"prompt": ANSWER_PROMPT, "answer_kind": "text"}),
    _step("worksheet", "Worksheet", {"sections": [{"key": k, "label": v} for k, v in SECTIONS.items()]}),
    _step(
        "dialogue",
        "Dialogue",
        {
            "topic_prompt": "A topic to talk about.",
            "phases": [{"key": "state", "label": "Say your view", "instructions": "Speak.", "seconds": 60}],
            "rounds": 1,
        },
    ),
    *(_agreement(kind) for kind in AGREEMENT_FIELDS),
]


@dataclass
class Couple:
    label: str
    phones: tuple  # (first partner's Screen on server 1, second partner's on server 2)
    names: tuple
    private: dict = field(default_factory=dict)  # phone name -> canaries only that phone may show
    agreements: list = field(default_factory=list)  # canaries both phones show on the takeaway


# --- the session: staff, pairing, every couple step --------------------------------------------------------------


def open_staff(screens, base, data, traffic, app, **options):
    """The facilitator's console (app "facilitate") or the projector (app "projector"), signed in, with every
    frame and response it receives recorded from its first."""
    screen = screens.open(app, base, cookie=data["cookie"], **options)
    traffic.attach(screen)
    return screen.goto(f"/live/{app}/{data['session_id']}/")


def phone(screens, name, base):
    return screens.open(name, base, **PHONE)


def welcomed(couple):
    first, second = couple.phones
    first.see(f"Welcome, {couple.names[0]} and {couple.names[1]}")
    second.see(f"Welcome, {couple.names[1]} and {couple.names[0]}")
    return couple


def pair_by_code(screens, one, two, join_code):
    ana = phone(screens, "ana", one).goto(f"/live/?code={join_code}")
    enter(ana, "Ana")
    ana.click("Show a code for my partner's phone")
    code = ana.page.locator("[data-pairing-code]").get_attribute("data-pairing-code")
    ben = phone(screens, "ben", two).goto("/live/")
    enter(ben, "Ben", code=join_code)
    type_pairing_code(ben, code)
    confirm_words(ana, ben)
    return welcomed(Couple("code couple", (ana, ben), ("Ana", "Ben")))


def pair_by_invitation(screens, one, two, token):
    """Both partners open the couple's invitation link; the second phone pairs with the first by the key
    exchange (both confirm the words)."""
    kim = phone(screens, "kim", one).goto(f"/i/{token}")
    kim.page.get_by_role("link", name="Join the live session").click()
    enter(kim, "Kim")
    lee = phone(screens, "lee", two).goto(f"/i/{token}")
    lee.page.get_by_role("link", name="Join the live session").click()
    enter(lee, "Lee")
    confirm_words(kim, lee)
    return welcomed(Couple("invited couple", (kim, lee), ("Kim", "Lee")))


def go(staff, index, breakout=True):
    """The facilitator goes to step `index` (and opens its breakout)."""
    staff.page.get_by_role("button", name=f"Go to step {index + 1}: {STEPS[index]['title']}", exact=True).click()
    staff.see(f"Now: step {index + 1} of")
    if breakout:
        staff.click("Open breakout (O)")
        staff.see("Couples are working in their private spaces.")


def reflect(couple, canaries):
    """Each partner answers both prompts; only their own phone may ever show them."""
    for screen, name in zip(couple.phones, couple.names, strict=True):
        texts = [canaries.new(f"{couple.label} reflection {name} {i + 1}") for i in range(len(PROMPTS))]
        for prompt, text in zip(PROMPTS, texts, strict=True):
            screen.page.get_by_label(prompt).fill(text)
        screen.page.get_by_label(PROMPTS[0]).focus()  # leaving the last field saves it now
        expect(screen.page.get_by_text("Saved.", exact=True)).to_have_count(len(PROMPTS))
        couple.private[screen.name] = texts


def answer(couple, canaries):
    """Each partner writes a text answer; once both did, both phones show both."""
    texts = []
    for screen, name in zip(couple.phones, couple.names, strict=True):
        texts.append(canaries.new(f"{couple.label} answer {name}"))
        screen.page.get_by_label(ANSWER_PROMPT).fill(texts[-1])
        screen.click("Save my answer")
    for screen in couple.phones:
        for text in texts:
            expect(screen.page.locator(".reveal")).to_contain_text(text)


def add_item(screen, section, text):
    box = screen.page.get_by_label(f"Add to “{SECTIONS[section]}”")
    box.fill(text)
    box.press("Enter")


def worksheet(couple, canaries):
    """Both partners add items, one edits the other's, one removes one of hers: every version a canary. (The
    removal is watched on the partner's phone: the author's phone shows a removed item of its own again, as
    "(not sent yet)", until it reloads.)"""
    first, second = couple.phones
    kept = canaries.new(f"{couple.label} worksheet item, before the edit")
    changed = canaries.new(f"{couple.label} worksheet item")
    add_item(first, "keep", kept)
    add_item(second, "change", changed)
    first.see(changed)
    second.see(kept)
    edited = canaries.new(f"{couple.label} worksheet item, edited")
    second.click(f"Edit: {kept}")
    second.page.get_by_label("Edit this item").fill(edited)
    second.click("Save", exact=True)
    first.see(edited)
    first.page.get_by_text(kept).wait_for(state="detached")
    removed = canaries.new(f"{couple.label} worksheet item, removed")
    add_item(first, "change", removed)
    second.see(removed)
    first.click(f"Remove: {removed}")
    second.page.get_by_text(removed).wait_for(state="detached")


def topic(couple, canaries):
    """The dialogue's topic note, written on one phone, shows on the other."""
    first, second = couple.phones
    text = canaries.new(f"{couple.label} dialogue topic")
    first.page.get_by_label("Your topic").fill(text)
    first.click("Save", exact=True)
    expect(second.page.get_by_label("Your topic")).to_have_value(text)


def agree(couple, canaries, kind, writer):
    """One partner writes every text field of the agreement; the other phone shows each."""
    author, partner = couple.phones if writer == 0 else couple.phones[::-1]
    texts = [canaries.new(f"{couple.label} {kind} {label}") for label in AGREEMENT_FIELDS[kind]]
    for label, text in zip(AGREEMENT_FIELDS[kind], texts, strict=True):
        author.page.get_by_label(label).fill(text)
    author.click("Save our agreement")
    author.see("Saved.")
    for label, text in zip(AGREEMENT_FIELDS[kind], texts, strict=True):
        expect(partner.page.get_by_label(label)).to_have_value(text)
    couple.agreements += texts


def every_couple_step(staff, couples, canaries):
    staff.page.keyboard.press("n")  # the session starts at step 1
    staff.see("Now: step 1 of")
    staff.click("Open breakout (O)")
    for couple in couples:
        reflect(couple, canaries)
    for index, write in [(1, answer), (2, worksheet), (3, topic)]:
        go(staff, index)
        for couple in couples:
            write(couple, canaries)
    for offset, kind in enumerate(AGREEMENT_FIELDS):
        go(staff, 4 + offset)
        for couple in couples:
            agree(couple, canaries, kind, writer=offset % 2)


def shown_after_reload(staff, couples):
    """Every phone loads afresh (only what the server sends back, and the phone's own storage): the reflections
    show to their author alone, and after the end both phones show the couple's agreements."""
    go(staff, 0, breakout=False)
    for couple in couples:
        for screen in couple.phones:
            screen.page.reload()
        for screen in couple.phones:
            for text in couple.private[screen.name]:
                screen.see(text)
        for screen, other in [couple.phones, couple.phones[::-1]]:
            shown = screen.text()
            assert not [text for text in couple.private[other.name] if text in shown]
    staff.click("End the session…")
    staff.click("Yes, end it")
    for couple in couples:
        for screen in couple.phones:
            screen.see("Thank you")
            for text in couple.agreements:
                screen.see(text)


def run_the_session(browser, bases, data, canaries):
    """The whole session in the browser; returns the staff pages' traffic (facilitator, projector)."""
    one, two = bases
    screens = Screens(browser)
    console, wall = StaffTraffic(), StaffTraffic()
    problems = ["the session did not finish"]
    try:
        staff = open_staff(screens, one, data, console, "facilitate", **LAPTOP)
        staff.see("Run of show")
        projector = open_staff(screens, two, data, wall, "projector", **PROJECTOR)
        projector.see(data["join_code"])
        couples = [
            pair_by_code(screens, one, two, data["join_code"]),
            pair_by_invitation(screens, one, two, data["invitation"]),
        ]
        staff.see("Ana & Ben")
        staff.see("Kim & Lee")
        every_couple_step(staff, couples, canaries)
        shown_after_reload(staff, couples)
        projector.see("Thank you for taking part.")
        problems = []
    finally:
        problems += screens.close()  # before the servers stop, so no page meets a dropped socket
    assert problems == []
    return console, wall


# --- the captures -------------------------------------------------------------------------------------------------

# The captures the program's step titles reach: each must show the control string.
CONTROLLED = {"Redis MONITOR", "facilitator frames", "projector frames", "pg_dump", "PostgreSQL cluster files"}


def scanned(canaries, sources):
    """[Capture] of {capture name: iterable of (source name, bytes)}."""
    captures = []
    for name, items in sources.items():
        capture = Capture(name)
        for source, data in items:
            capture.add(source, data, canaries, CONTROL)
        captures.append(capture)
    return captures


def test_no_couple_content_leaves_the_couples_phones(chromium, built_apps, tmp_path):
    started = time.monotonic()
    canaries = Canaries()
    monitor, log, dump = tmp_path / "redis-monitor.txt", tmp_path / "servers.log", tmp_path / "pg_dump.sql"
    with own_postgres() as cluster:
        with redis_with_monitor(monitor) as redis_url:
            stores = {"DATABASE_URL": cluster.url(), "REDIS_URL": redis_url, "LOG_LEVEL": "DEBUG"}
            data = migrate_and_seed(server_env(**stores), steps=STEPS, invited_email="kim@example.test")
            with log.open("wb") as log_file, uvicorn_processes(2, stderr=log_file, **stores) as servers:
                console, wall = run_the_session(chromium, [base for _, base in servers], data, canaries)
        cluster.sql("CHECKPOINT")
        cluster.dump(dump)
        cluster.stop()
        captures = scanned(
            canaries,
            {
                "Redis MONITOR": [(monitor.name, monitor.read_bytes())],
                "server log": [(log.name, log.read_bytes())],
                "facilitator frames": console.frames,
                "projector frames": wall.frames,
                "staff HTTP responses": console.responses + wall.responses,
                "pg_dump": [(dump.name, dump.read_bytes())],
                "PostgreSQL cluster files": cluster.files(),
            },
        )
    summary = f"{report(captures, canaries)}\n(in {time.monotonic() - started:.0f} s)"
    (artifacts_dir() / "canary-report.txt").write_text(summary + "\n")
    print(summary)
    blind = [c.name for c in captures if c.bytes == 0 or (c.name in CONTROLLED and not c.control_seen)]
    assert not blind, f"these captures recorded nothing of the session (empty, or no control): {blind}\n{summary}"
    assert sum(len(c.hits) for c in captures) == 0, summary


def test_the_finder_sees_canaries_written_encoded_or_split_by_a_wal_page():
    """The harness itself: a canary is found as written, base64-encoded (either alphabet, at any alignment) and
    across a WAL page boundary once the page headers are taken out; a canary of another run is not reported."""
    canaries = Canaries()
    canary = canaries.new("finder")
    other = Canaries().new("another run")
    assert find_canaries(b"x" + canary.encode() + other.encode(), canaries) == {canary}
    for before in ("", "{", '{"t'):  # the three alignments
        value = f'{before}{{"text":"{canary}"}}'.encode()
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            assert find_canaries(b"ct=" + encode(value) + b";", canaries) == {canary}, (before, encode)
    assert find_canaries(base64.b64encode(json.dumps({"text": "no canary"}).encode()), canaries) == set()

    long_header, short_header = b"\x00\x00\x02\x00" + bytes(36), bytes(24)
    first_page = long_header + bytes(8192 - 40 - 10) + canary.encode()[:10]
    segment = first_page + short_header + canary.encode()[10:] + bytes(8192 - 24 - len(canary) + 10)
    assert find_canaries(segment, canaries) == set()
    assert find_canaries(wal_without_page_headers(segment), canaries) == {canary}
