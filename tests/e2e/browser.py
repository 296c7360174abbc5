"""Real browsers for the end-to-end tests: Debian's Chromium driven by Playwright, phone-sized pages, an
accessibility check with axe-core, screenshots, and a TCP proxy the test can cut to take a phone offline."""

import asyncio
import contextlib
import re
import threading
from pathlib import Path

from tests.support import ROOT

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
PROJECTOR = {"viewport": {"width": 1280, "height": 720}}
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
DIST = ROOT / "frontend" / "dist" / "live"
STATIC_BARS = """position => {
    window.scrollTo(0, 0);
    for (const bar of document.querySelectorAll(".live-top, .live-actions")) bar.style.position = position;
}"""


class Screen:
    """One browser page (a phone, the facilitator's laptop, the projector) with what the test checks on it."""

    def __init__(self, context, name, base_url, page=None):
        self.context = context
        self.name = name
        self.base_url = base_url
        self.page = page or context.new_page()  # a page of its own, or one a link opened in a new window
        self.problems = []  # CSP violations, script errors
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.set_default_timeout(15000)

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.problems.append(f"CSP: {text}")

    def goto(self, path):
        self.page.goto(self.base_url + path)
        return self

    def shot(self, label):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{label}".lower()).strip("-")
        path = ARTIFACTS / f"{safe}.png"
        # A full-page picture of a phone: the sticky bars are laid out in the flow for the moment it is taken.
        self.page.evaluate(STATIC_BARS, "static")
        self.page.screenshot(path=str(path), full_page=True)
        self.page.evaluate(STATIC_BARS, "")
        return path

    def text(self):
        return self.page.locator("body").inner_text()

    def button(self, name, exact=False):
        return self.page.get_by_role("button", name=name, exact=exact)

    def click(self, name, exact=False):
        self.button(name, exact=exact).click()

    def see(self, text, timeout=15000):
        self.page.get_by_text(text).first.wait_for(timeout=timeout)

    def axe(self, label):
        """Serious and critical accessibility violations on this screen (axe-core), as readable lines."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_JS.read_text())  # evaluate is not subject to the page's CSP
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
            }"""
        )
        return [f"{self.name} {label}: {line}" for line in violations]


class TcpProxy:
    """A TCP proxy in front of the server, in a thread of its own. `cut()` drops every connection through it
    and refuses new ones (a phone losing its network); `restore()` listens again on the same port."""

    def __init__(self, target_port, port):
        self.target_port = target_port
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.writers = set()

    def start(self):
        self.thread.start()
        self.restore()
        return self

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        self.writers.update({client_writer, server_writer})
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))
        self.writers.discard(client_writer)
        self.writers.discard(server_writer)

    async def _listen(self):
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def _cut(self):
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self.writers.clear()

    def restore(self):
        self._call(self._listen())

    def cut(self):
        self._call(self._cut())

    def stop(self):
        with contextlib.suppress(Exception):
            self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def enter(screen, name, *, code=None, feedback=False):
    """From the join screen (with `code`) or the consent screen: consent, a name, in."""
    if code:
        screen.page.get_by_label("Session code").fill(code)
        screen.click("Join", exact=True)
    screen.see("Before you start")
    screen.page.get_by_label("I want to take part").check()
    if feedback:
        screen.page.get_by_label("I'd like to give anonymous feedback").check()
    screen.page.get_by_label("Your first name or a pseudonym").fill(name)
    screen.click("Enter the session")


def type_pairing_code(screen, code):
    """On the pairing choices: type the code shown on the partner's phone and pair (the words come next)."""
    screen.click("Type the code from my partner's phone")
    screen.page.get_by_label("The code on your partner's phone").fill(code)
    screen.click("Pair", exact=True)


def confirm_words(first, joiner):
    """The pairing exchange's last stage on two phones: both show the same three words, and both confirm (the
    couple's first phone first, as its partner's phone waits for the key it sends)."""
    first.see("Check the three words")
    joiner.see("Check the three words")
    words = joiner.page.get_by_role("list", name="Pairing words").inner_text()
    assert first.page.get_by_role("list", name="Pairing words").inner_text() == words
    first.click("Yes, the words match")
    joiner.click("Yes, the words match")
    return words
