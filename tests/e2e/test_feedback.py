"""Anonymous feedback as a room lives it, in real browsers against a real server.

A facilitator (console and projector) and six couples: Ana and Ben on two phones (Ben declined to give
feedback, so his phone only offers "Pass"), Eve and Finn sharing one phone (each answers for themself: Eve
answers, then hands the phone to Finn, who passes),
and four more couples that joined through the HTTP endpoints and hold real sockets to the server. All six
walked in with the session's code, so the facilitator admits each from the console before the first question
opens: every phone, the console and the projector then say that 6 couples can answer, all of them walk-ins. The
room answers the arrival pulse: with too few answers the console says "Not enough answers yet" and the projector
shows nothing; once enough couples answered, Show on projector releases the totals. The facilitator asks a
question live from the console, closes it and shows it. The session ends, the couples answer the
organization's post-session survey, the facilitator closes its questions and keeps a word off the
projector, and the organization's owner reads the report. No page and no frame says who answered what.
Every new screen is saved to test-artifacts/e2e/ and checked with axe-core.

A second test follows one walk-in couple that arrives after the others: its phone says it waits to be admitted
and cannot answer the question already open; once the facilitator admits it, it answers the next question.
"""

import contextlib
import json
import re
import threading
import time

import httpx
import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect
from websockets.sync.client import connect

from bench import sealed
from feedback.models import Survey
from tests.e2e.browser import LAPTOP, PHONE, PROJECTOR, enter
from tests.e2e.conftest import login_cookie
from tests.realtime.conftest import _custom_live
from workshops.services import enrollment as enrollment_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PULSE = "How safe does this room feel to you right now?"  # arrival-pulse, step 2: a scale from 1 to 5
LIVE_Q = "What would help you most right now?"
LIVE_OPTIONS = ["A short break", "More time in pairs", "Keep going"]
SURVEY = [
    {
        "kind": "scale",
        "question": "Overall, how useful was today?",
        "scale": {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Very"},
    },
    {"kind": "single", "question": "Would you recommend it to a friend?", "options": ["Yes", "Not sure", "No"]},
    {"kind": "words", "question": "One word for today?"},
    {"kind": "text", "question": "Anything we should change?"},
]
USEFUL, RECOMMEND, WORD, CHANGE = (p["question"] for p in SURVEY)

# The four couples on sockets, and what each person answers (None: passes).
SOCKET_COUPLES = [("Gil", "Gia"), ("Hal", "Hana"), ("Ivo", "Ida"), ("Jon", "Joy")]
PULSE_LATE = {"Gia": 3, "Hal": 2, "Hana": 4, "Ivo": 5, "Ida": 4, "Jon": 1, "Joy": None}
LIVE_ANSWERS = {"Gil": [0], "Gia": [0, 2], "Hal": [1], "Hana": [1], "Ivo": [2], "Ida": [0], "Jon": [1], "Joy": [0]}
SURVEY_ANSWERS = {
    "Gil": (5, 0, "hopeful", "A longer break."),
    "Gia": (4, 0, "tired", "A warmer room."),
    "Hal": (3, 1, "closer", "More examples."),
    "Hana": (5, 0, "hopeful", "Nothing, it was good."),
    "Ivo": (4, 0, "seen", "A slower start."),
    "Ida": (5, 2, "calm", "More time for the dialogue."),
    "Jon": (2, 0, "hopeful", "A shorter introduction."),
    "Joy": (4, 1, "awkward", "Water on the tables."),
}
NAMES = ["Ana", "Ben", "Eve", "Finn"] + [name for couple in SOCKET_COUPLES for name in couple]
# What a feedback frame may say about couples: how many can answer, how many of them are walk-ins, which couple ids
# may answer (the same for everyone: frozen when the question opened) and how many couples a result came from.
COUPLE_COUNTS = re.compile(r'"(?:couples|walk_ins)": \d+|"eligible": \[[\d, ]*\]')


class SocketPhone:
    """A participant's phone on a real socket to the server (websockets' threaded client): every frame it
    receives is kept, read by a thread of its own so the server never waits for it."""

    def __init__(self, sockets, base, session_id, http_phone, name):
        self.name = name
        cookie = f"{settings.SESSION_COOKIE_NAME}={http_phone.session_cookie}"
        url = base.replace("http://", "ws://") + f"/ws/live/{session_id}/"
        self.ws = sockets.enter_context(connect(url, origin=base, additional_headers={"Cookie": cookie}))
        self.frames = []
        self.changed = threading.Condition()
        self.counter = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for text in self.ws:
                with self.changed:
                    self.frames.append(json.loads(text))
                    self.changed.notify_all()
        except Exception:  # noqa: BLE001 - the socket closed: the test is over
            pass

    def wait_for(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for frame in reversed(self.frames):
                    if predicate(frame):
                        return frame
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{self.name}: no matching frame; last: {self.frames[-3:]}")
                self.changed.wait(remaining)

    def prompt_id(self, question):
        frame = self.wait_for(
            lambda f: f["type"] == "feedback" and any(p["question"] == question for p in f["prompts"])
        )
        return next(p["id"] for p in frame["prompts"] if p["question"] == question)

    def reply_to_answer(self, question, value):
        """Answer (None: pass) and return the server's reply."""
        self.counter += 1
        msg_id = f"{self.name}-{self.counter}"
        fields = {"passed": True} if value is None else {"value": value}
        self.ws.send(
            json.dumps({"id": msg_id, "type": "feedback.answer", "prompt_id": self.prompt_id(question), **fields})
        )
        return self.wait_for(lambda f: f.get("id") == msg_id)

    def answer(self, question, value):
        reply = self.reply_to_answer(question, value)
        assert reply == {"type": "ack", "id": reply["id"], "duplicate": False}, reply


class HttpPhone:
    """A phone speaking the JSON endpoints to the real server, with its own cookies (and Django's CSRF token)."""

    def __init__(self, base):
        self.base = base
        self.client = httpx.Client(base_url=base, timeout=10)
        self.client.get("/live/")  # the shell sets the CSRF cookie

    def post(self, path, data):
        headers = {"X-CSRFToken": self.client.cookies["csrftoken"]}
        response = self.client.post(path, json=data, headers=headers)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    @property
    def session_cookie(self):
        return self.client.cookies[settings.SESSION_COOKIE_NAME]


def _couple_by_http(base, session, *people):
    """Two people join by code (each with their own feedback consent) and pair, through the JSON endpoints."""
    phones = []
    for name, feedback in people:
        phone = HttpPhone(base)
        phone.post("/live/api/join/code", {"code": session.join_code})
        phone.post("/live/api/enter", {"consent": True, "feedback_consent": feedback, "display_name": name})
        phones.append(phone)
    first, joiner = phones
    exchange = sealed.Exchange()  # the exchange's public values, in the shapes the phones send them
    code = first.post("/live/api/pair/start", {"session_id": session.pk})["code"]
    joined = {"session_id": session.pk, "code": code, "commitment": exchange.commitment}
    request = {"session_id": session.pk, "request_id": joiner.post("/live/api/pair/join", joined)["request_id"]}
    first.post("/live/api/pair/key", {**request, "public_key": exchange.creator_key})
    joiner.post("/live/api/pair/key", {**request, "public_key": exchange.joiner_key})
    first.post("/live/api/pair/confirm", {**request, "wrapped_key": sealed.wrapped_key()})
    joiner.post("/live/api/pair/confirm", request)
    return phones


def _enrolled_by_http(base, token, name):
    """An enrolled partner opens the couple's invitation link and enters its session alone, through the JSON
    endpoints: an enrolled couple needs no admitting."""
    phone = HttpPhone(base)
    phone.client.get(f"/i/{token}")  # the link is exchanged for a cookie
    phone.post("/live/api/join/invitation", {})
    phone.post("/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": name})
    return phone


def _admit(staff, names):
    """The facilitator admits a walk-in couple they can see in the room, from the console's roster."""
    card = staff.page.locator(".couple-card", has=staff.page.get_by_text(names, exact=True))
    card.get_by_role("button", name=f"Admit {names}", exact=True).click()
    card.get_by_text("walk-in, admitted").wait_for()


def _recorded(screen):
    """Every socket frame this browser page receives, as text."""
    frames = []
    screen.page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    return frames


def _feedback_frames(texts):
    parsed = [json.loads(t) for t in texts if t.startswith("{")]
    return [f for f in parsed if f.get("type") in ("feedback", "release", "my_feedback")]


def _card(screen, question):
    return screen.page.locator(".feedback-card", has_text=question)


def _finn_passes(phone, question):
    """On Eve and Finn's shared phone, Finn's own card comes once Eve has answered: he passes."""
    finn = phone.page.locator(".feedback-card", has_text=question).filter(has_text=re.compile(r"\bFinn\b"))
    finn.get_by_role("button", name="Pass", exact=True).click()
    finn.get_by_text("You passed on this one.").wait_for()


def _prompt_row(staff, question):
    return staff.page.locator(".fb-prompt", has_text=question)


def _table(section):
    """The report's table under a question: {row label: count}."""
    rows = section.locator("tbody tr")
    return {
        rows.nth(i).locator("th").inner_text().strip(): int(rows.nth(i).locator("td").inner_text())
        for i in range(rows.count())
    }


@pytest.fixture
def sockets():
    """The socket phones' connections, all closed at the end of the test."""
    with contextlib.ExitStack() as stack:
        yield stack


def test_anonymous_feedback_from_six_couples(server, screens, sockets, builtin_library):
    session, facilitator, org = _custom_live(["arrival-pulse"])
    owner = org.memberships.get(role="owner").user
    Survey.objects.create(organization=org, title="After the session", prompts=SURVEY)
    connections.close_all()
    ana_http, ben_http = _couple_by_http(server, session, ("Ana", True), ("Ben", False))
    socket_http = {
        name: phone
        for couple in SOCKET_COUPLES
        for name, phone in zip(couple, _couple_by_http(server, session, *((n, True) for n in couple)), strict=True)
    }
    staff_cookie, owner_cookie = login_cookie(facilitator), login_cookie(owner)
    connections.close_all()
    axe = []

    # --- the facilitator's console and the projector; their socket frames are kept for the privacy check ------
    staff = screens.open("feedback-console", server, cookie=staff_cookie, **LAPTOP)
    staff_frames = _recorded(staff)
    staff.goto(f"/live/facilitate/{session.pk}/")
    staff.see("Anonymous feedback")
    staff.see("No questions yet.")
    projector = screens.open("feedback-projector", server, cookie=staff_cookie, **PROJECTOR)
    projector_frames = _recorded(projector)
    projector.goto(f"/live/projector/{session.pk}/")

    # --- six couples: two in browsers, four on sockets -----------------------------------------------------------
    ana = screens.open("feedback-ana", server, cookie=ana_http.session_cookie, **PHONE).goto("/live/")
    ben = screens.open("feedback-ben", server, cookie=ben_http.session_cookie, **PHONE).goto("/live/")
    ana.see("Welcome, Ana and Ben")
    ben.see("Welcome, Ben and Ana")
    eve = screens.open("feedback-eve-and-finn", server, **PHONE).goto(f"/live/?code={session.join_code}")
    enter(eve, "Eve", feedback=True)
    eve.click("We share this one phone")
    eve.page.get_by_label("Your partner's first name or pseudonym").fill("Finn")
    eve.click("Use one phone")
    eve.see("Welcome, Eve and Finn")
    phones = {name: SocketPhone(sockets, server, session.pk, device, name) for name, device in socket_http.items()}
    projector.see("6 couples here")

    # --- all six walked in: the facilitator admits them, seen in the room, before any question opens -------------
    ana.see("A facilitator will admit you to the group's anonymous questions")
    staff.see("Admit a walk-in couple once you see them in the room")
    expect(staff.page.get_by_text("walk-in, not admitted yet")).to_have_count(6)
    staff.shot("walk-ins-to-admit")
    axe += staff.axe("walk-ins-to-admit")
    for names in ["Ana & Ben", "Eve", *(" & ".join(couple) for couple in SOCKET_COUPLES)]:
        _admit(staff, names)
    expect(staff.page.get_by_text("walk-in, admitted")).to_have_count(6)
    ana.page.get_by_text("A facilitator will admit you").wait_for(state="detached")

    # --- the arrival pulse (a poll step): too few answers first ------------------------------------------------
    staff.page.keyboard.press("n")
    staff.see("Now: step 1 of 3")
    staff.page.keyboard.press("n")
    staff.see("Now: step 2 of 3")
    ana.see(PULSE)
    ana.see("6 couples can answer this question (all of them walk-ins).")
    ana.see("it can't be changed, taken back or erased")
    projector.see("6 couples can answer · 6 walk-ins")
    ana.shot("poll-scale")
    axe += ana.axe("poll-scale")
    ana.page.get_by_role("radio", name="4", exact=True).check()
    ana.click("Send my answer")
    ana.see("Thank you: your anonymous answer is in.")
    ana.shot("poll-answered")

    ben.see("You chose not to give anonymous feedback")
    assert ben.page.get_by_role("radio").count() == 0  # Pass, and nothing else to answer
    ben.shot("poll-no-consent")
    axe += ben.axe("poll-no-consent")
    _card(ben, PULSE).get_by_role("button", name="Pass", exact=True).click()
    ben.see("You passed on this one.")

    eve.see("each of you answers for yourself")
    eve.shot("poll-shared-phone")
    axe += eve.axe("poll-shared-phone")
    eve.page.get_by_role("radio", name="5", exact=False).check()
    eve.click("Send Eve's answer")
    eve.see("Thank you: your anonymous answer is in.")
    _finn_passes(eve, PULSE)
    eve.shot("poll-shared-phone-finn")

    phones["Gil"].answer(PULSE, 3)  # three answers from three couples: below k = 5
    staff.see("Not enough answers yet")
    pulse_row = _prompt_row(staff, PULSE)
    pulse_row.get_by_text("6 couples can answer · 6 walk-ins").wait_for()
    pulse_row.get_by_role("button", name="Show on projector").click()
    pulse_row.get_by_text("Not enough answers yet: at least 5 answers from three couples are needed").wait_for()
    staff.shot("not-enough-answers")
    axe += staff.axe("not-enough-answers")
    time.sleep(0.5)
    assert projector.page.locator(".pj-result").count() == 0
    projector.shot("nothing-released")

    # Ana's phone, reloaded, never asks again: the server's receipt says she answered.
    ana.page.reload()
    ana.see("Answered. Thank you.")
    assert ana.button("Send my answer").count() == 0

    # --- enough answers from enough couples: Show on projector releases them --------------------------------------
    quiet_from = {"console": len(staff_frames), "projector": len(projector_frames)}
    quiet_phones = {name: len(phone.frames) for name, phone in phones.items()}
    for name, value in PULSE_LATE.items():
        phones[name].answer(PULSE, value)
    time.sleep(0.5)
    # Answering changed nothing that anyone else sees: no frame about it reached the console, the projector or
    # another phone (the roster and pongs may come and go; they don't change with an answer either).
    for frames, start in ((staff_frames, quiet_from["console"]), (projector_frames, quiet_from["projector"])):
        assert _feedback_frames(frames[start:]) == []
    for name, phone in phones.items():
        others = [f for f in phone.frames[quiet_phones[name] :] if f["type"] not in ("ack", "pong")]
        assert others == [], (name, others)
    pulse_row.get_by_role("button", name="Show on projector").click()
    pulse_row.get_by_text("Released: the projector shows the result.").wait_for()
    projector.see("9 answers from 6 couples · average 3.44")
    pulse_row.get_by_text("9 answers from 6 couples · average 3.44").wait_for()
    counts = projector.page.get_by_role("list", name=f"Result: {PULSE}").locator(".bar-count").all_inner_texts()
    assert [c.split()[0] for c in counts] == ["1", "1", "2", "3", "2"]
    projector.see("6 couples here")
    projector.shot("pulse-released")
    axe += projector.axe("pulse-released")
    staff.shot("pulse-released")

    # --- a question asked live from the console -------------------------------------------------------------------
    staff.page.get_by_label("Kind").select_option(label="Multiple choice")
    staff.page.get_by_label("Question", exact=True).fill(LIVE_Q)
    staff.page.get_by_label("Options, one per line").fill("\n".join(LIVE_OPTIONS))
    staff.shot("add-question")
    staff.click("Add the question")
    ana.see(LIVE_Q)
    live_card = _card(ana, LIVE_Q)
    live_card.get_by_role("checkbox", name="A short break").check()
    live_card.get_by_role("checkbox", name="More time in pairs").check()
    ana.shot("live-question")
    axe += ana.axe("live-question")
    live_card.get_by_role("button", name="Send my answer").click()
    live_card.get_by_text("Thank you: your anonymous answer is in.").wait_for()
    _card(eve, LIVE_Q).get_by_role("checkbox", name="Keep going").check()
    _card(eve, LIVE_Q).get_by_role("button", name="Send Eve's answer").click()
    _finn_passes(eve, LIVE_Q)
    _card(ben, LIVE_Q).get_by_role("button", name="Pass", exact=True).click()
    _card(ben, LIVE_Q).get_by_text("You passed on this one.").wait_for()
    for name, value in LIVE_ANSWERS.items():
        phones[name].answer(LIVE_Q, value)
    live_row = _prompt_row(staff, LIVE_Q)
    live_row.get_by_role("button", name="Close").click()
    live_row.get_by_text("Released and closed.").wait_for()
    ana.page.get_by_text(LIVE_Q).wait_for(state="detached")  # closed: the phones no longer show it
    live_row.get_by_role("button", name="Show on projector").click()
    projector.see("10 answers from 6 couples · several choices allowed")
    counts = projector.page.get_by_role("list", name=f"Result: {LIVE_Q}").locator(".bar-count").all_inner_texts()
    assert [c.split()[0] for c in counts] == ["5", "4", "3"]
    projector.shot("live-question-released")

    # --- the end, and the post-session survey ---------------------------------------------------------------------
    staff.click("End the session…")
    staff.click("Yes, end it")
    ana.see("A few anonymous questions about today")
    for question in (USEFUL, RECOMMEND, WORD, CHANGE):
        ana.see(question)
    ana.shot("survey")
    axe += ana.axe("survey")
    _card(ana, USEFUL).get_by_role("radio", name="5", exact=False).check()
    _card(ana, USEFUL).get_by_role("button", name="Send my answer").click()
    _card(ana, RECOMMEND).get_by_role("radio", name="Yes").check()
    _card(ana, RECOMMEND).get_by_role("button", name="Send my answer").click()
    _card(ana, WORD).get_by_role("textbox").fill("Hopeful")
    _card(ana, WORD).get_by_role("button", name="Send my answer").click()
    _card(ana, CHANGE).get_by_role("textbox").fill("More time for the dialogue, please.")
    _card(ana, CHANGE).get_by_role("button", name="Send my answer").click()
    for question in (USEFUL, RECOMMEND, WORD, CHANGE):
        _card(ana, question).get_by_text("Thank you: your anonymous answer is in.").wait_for()
    ana.shot("survey-answered")

    _card(eve, USEFUL).get_by_role("radio", name="4", exact=True).check()
    _card(eve, USEFUL).get_by_role("button", name="Send Eve's answer").click()
    _card(eve, RECOMMEND).get_by_role("radio", name="Not sure").check()
    _card(eve, RECOMMEND).get_by_role("button", name="Send Eve's answer").click()
    _card(eve, WORD).get_by_role("textbox").fill("closer")
    _card(eve, WORD).get_by_role("button", name="Send Eve's answer").click()
    _card(eve, CHANGE).get_by_role("button", name="Pass", exact=True).click()
    for question in (USEFUL, RECOMMEND, WORD, CHANGE):
        _finn_passes(eve, question)
    eve.shot("survey-shared-phone")
    for question in (USEFUL, RECOMMEND, WORD, CHANGE):
        _card(ben, question).get_by_role("button", name="Pass", exact=True).click()
        _card(ben, question).get_by_text("You passed on this one.").wait_for()
    ben.shot("survey-no-consent")
    for name, (useful, recommend, word, change) in SURVEY_ANSWERS.items():
        for question, value in ((USEFUL, useful), (RECOMMEND, recommend), (WORD, word), (CHANGE, change)):
            phones[name].answer(question, value)

    # The facilitator closes the survey's questions (each releases), shows the words and keeps one off the projector.
    for question in (USEFUL, RECOMMEND, WORD, CHANGE):
        row = _prompt_row(staff, question)
        row.get_by_role("button", name="Close").click()
        row.get_by_text("Released and closed.").wait_for()
    words_row = _prompt_row(staff, WORD)
    words_row.get_by_role("button", name="Show on projector").click()
    projector.see("10 answers from 6 couples")
    cloud = projector.page.get_by_role("list", name=f"Words: {WORD}")
    cloud.get_by_text("awkward").wait_for()
    words_row.get_by_role("button", name="Hide “awkward” on the projector").click()
    cloud.get_by_text("awkward").wait_for(state="detached")
    words_row.get_by_role("button", name="Show “awkward” on the projector").wait_for()
    assert "hopeful" in cloud.inner_text() and "×4" in cloud.inner_text()
    projector.shot("survey-words")
    axe += projector.axe("survey-words")
    staff.shot("survey-results")
    axe += staff.axe("survey-results")

    # --- the organization's report: released answers only, in totals ------------------------------------------------
    report = screens.open("feedback-report", server, cookie=owner_cookie, **LAPTOP).goto(f"/o/{org.slug}/feedback/")
    report.see("Feedback report")

    def section(question):
        return report.page.locator("section.card", has=report.page.get_by_role("heading", name=question, exact=True))

    assert "9 answers" in section(PULSE).inner_text() and "mean 3.44" in section(PULSE).inner_text()
    assert _table(section(PULSE)) == {"1": 1, "2": 1, "3": 2, "4": 3, "5": 2}
    assert _table(section(LIVE_Q)) == dict(zip(LIVE_OPTIONS, [5, 4, 3], strict=True))
    assert "10 answers" in section(USEFUL).inner_text() and "mean 4.1" in section(USEFUL).inner_text()
    assert _table(section(USEFUL)) == {"1": 0, "2": 1, "3": 1, "4": 4, "5": 4}
    assert _table(section(RECOMMEND)) == {"Yes": 6, "Not sure": 3, "No": 1}
    assert _table(section(WORD)) == {"hopeful": 4, "closer": 2, "awkward": 1, "calm": 1, "seen": 1, "tired": 1}
    assert "9 answers" in section(CHANGE).inner_text()
    assert "More time for the dialogue, please." in section(CHANGE).inner_text()
    report.shot("report")
    axe += report.axe("report")

    # --- nobody can tell who answered what ----------------------------------------------------------------------------
    feedback_panel = staff.page.locator(".fb-prompts").inner_text()
    for name in NAMES:
        said = re.compile(rf"\b{name}\b")
        assert not said.search(report.text()) and not said.search(projector.text()), name
        assert not said.search(feedback_panel), name
    frames = _feedback_frames(staff_frames) + _feedback_frames(projector_frames)
    frames += [f for phone in phones.values() for f in phone.frames if f["type"] in ("feedback", "my_feedback")]
    assert frames
    for frame in frames:
        text = json.dumps(frame)
        assert not any(f'"{name}"' in text for name in NAMES), frame
        assert "participant" not in text and "couple" not in COUPLE_COUNTS.sub("", text), frame
    for frame in _feedback_frames(staff_frames):
        if frame["type"] == "feedback":
            for prompt in frame["prompts"]:
                assert prompt["result"] is None or prompt["result"]["answers"] >= prompt["threshold"]

    assert axe == []


LATE_Q = "How is the pace for you?"
LATE_OPTIONS = ["Too fast", "About right", "Too slow"]


def test_a_walk_in_couple_answers_what_opens_once_it_is_admitted(server, screens, sockets, builtin_library):
    session, facilitator, _ = _custom_live(["arrival-pulse"])
    _, token = enrollment_services.registration_submit(
        workshop=session.workshop, contact_email="kai@example.test", display_name="Kai"
    )
    _enrolled_by_http(server, token, "Kai")  # enrolled: admitted as it enrolled
    _couple_by_http(server, session, ("Gil", True), ("Gia", True))  # walked in before the session
    staff_cookie = login_cookie(facilitator)
    connections.close_all()
    axe = []

    staff = screens.open("walk-in-console", server, cookie=staff_cookie, **LAPTOP)
    staff.goto(f"/live/facilitate/{session.pk}/")
    projector = screens.open("walk-in-projector", server, cookie=staff_cookie, **PROJECTOR)
    projector.goto(f"/live/projector/{session.pk}/")
    staff.see("Gil & Gia")
    _admit(staff, "Gil & Gia")
    assert staff.page.locator(".couple-card", has_text="Kai").get_by_text("walk-in").count() == 0

    # --- Mia and Noah walk in late: Mia's phone says they wait to be admitted --------------------------------------
    mia_http, noah_http = _couple_by_http(server, session, ("Mia", True), ("Noah", True))
    mia = screens.open("walk-in-mia", server, cookie=mia_http.session_cookie, **PHONE).goto("/live/")
    mia.see("Welcome, Mia and Noah")
    mia.see("You joined as a walk-in couple. A facilitator will admit you to the group's anonymous questions")
    mia.shot("waiting-to-be-admitted")
    axe += mia.axe("waiting-to-be-admitted")
    mia_card = staff.page.locator(".couple-card", has=staff.page.get_by_text("Mia & Noah", exact=True))
    mia_card.get_by_text("walk-in, not admitted yet").wait_for()

    # --- the arrival pulse opens before the facilitator admits them: two couples can answer it, not Mia and Noah ----
    staff.page.keyboard.press("n")
    staff.see("Now: step 1 of 3")
    staff.page.keyboard.press("n")
    staff.see("Now: step 2 of 3")
    projector.see("2 couples can answer · 1 walk-in")
    _prompt_row(staff, PULSE).get_by_text("2 couples can answer · 1 walk-in").wait_for()
    pulse = _card(mia, PULSE)
    pulse.get_by_text("This question opened before a facilitator admitted your couple").wait_for()
    pulse.get_by_text("2 couples can answer this question (1 of them a walk-in).").wait_for()
    assert pulse.get_by_role("button").count() == 0  # neither an answer form nor Pass: nothing asked of them
    mia.shot("cannot-answer")
    axe += mia.axe("cannot-answer")
    projector.shot("who-can-answer")
    axe += projector.axe("who-can-answer")
    noah = SocketPhone(sockets, server, session.pk, noah_http, "Noah")
    refused = noah.reply_to_answer(PULSE, 4)  # the server refuses it too
    assert (refused["type"], refused["code"]) == ("error", "not_eligible"), refused

    # --- the facilitator admits them; the pulse stays closed to them, the next question is theirs ---------------------
    staff.shot("walk-in-to-admit")
    _admit(staff, "Mia & Noah")
    mia.page.get_by_text("A facilitator will admit you").wait_for(state="detached")
    pulse.get_by_text("This question opened before your couple joined or was admitted").wait_for()
    pulse.get_by_text("You can answer the ones that open from now on.").wait_for()
    staff.page.get_by_label("Kind").select_option(label="Single choice")
    staff.page.get_by_label("Question", exact=True).fill(LATE_Q)
    staff.page.get_by_label("Options, one per line").fill("\n".join(LATE_OPTIONS))
    staff.click("Add the question")
    late = _card(mia, LATE_Q)
    mia.see("3 couples can answer this question (2 of them walk-ins).")
    projector.see("3 couples can answer · 2 walk-ins")
    _prompt_row(staff, LATE_Q).get_by_text("3 couples can answer · 2 walk-ins").wait_for()
    mia.shot("can-answer")
    axe += mia.axe("can-answer")
    projector.shot("who-can-answer-next")
    late.get_by_role("radio", name="About right").check()
    late.get_by_role("button", name="Send my answer").click()
    late.get_by_text("Thank you: your anonymous answer is in.").wait_for()
    noah.answer(LATE_Q, 1)  # acknowledged: his couple may answer this one
    staff.shot("walk-in-admitted")
    axe += staff.axe("walk-in-admitted")
    assert axe == []
