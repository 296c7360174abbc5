"""Fixtures for the browser tests: a real Attune server (Daphne, on the test database), Debian's Chromium,
and the built live apps."""

import contextlib
import os
import subprocess

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from bench.chromium import CHROMIUM, LAUNCH_ARGS
from tests.e2e.browser import DIST, Screen
from tests.platform.servers import daphne_processes
from tests.support import ROOT, require_binary


@pytest.fixture(scope="session")
def built_apps():
    """The live apps as `make frontend` builds them (built here when a checkout has none yet)."""
    if not (DIST / "participant.js").exists():
        result = subprocess.run(["make", "frontend"], cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0 or not (DIST / "participant.js").exists():
            pytest.fail(f"could not build the live apps (make frontend):\n{result.stdout}\n{result.stderr}")
    return DIST


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop running in the test's thread, which Django takes for an async
    context; the test's own ORM calls (making data, flushing the database) are plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextlib.contextmanager
def chromium_browser(*extra_args):
    """A headless Chromium (Debian's build; see shared RECIPES), with LAUNCH_ARGS and `extra_args`."""
    executable = CHROMIUM if os.path.exists(CHROMIUM) else require_binary("chromium")  # skips, or fails on CI
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[*LAUNCH_ARGS, *extra_args])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module. Module-scoped, so that Playwright's event loop is gone before tests
    of other modules run."""
    with chromium_browser() as browser:
        yield browser


class Screens:
    """Browser contexts of one test: open(name, base_url, cookie=None, **context options) -> Screen.
    close() closes them all and returns the CSP violations and script errors any of them met."""

    def __init__(self, browser):
        self.browser = browser
        self.all = []

    def open(self, name, base_url, cookie=None, **options):
        context = self.browser.new_context(base_url=base_url, accept_downloads=True, **options)
        if cookie:
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
        screen = Screen(context, name, base_url)
        self.all.append(screen)
        return screen

    def opened_by(self, screen, name, click):
        """The page that `click()` on `screen` opens in a new window (a link with target=_blank), as a Screen of
        the same browser context: the facilitator's laptop opening the projector beside the console."""
        with screen.context.expect_page() as opened:
            click()
        new = Screen(screen.context, name, screen.base_url, page=opened.value)
        self.all.append(new)
        return new

    def close(self):
        problems = [f"{s.name}: {p}" for s in self.all for p in s.problems]
        for context in dict.fromkeys(screen.context for screen in self.all):
            context.close()
        return problems


@pytest.fixture
def server(transactional_db, built_apps):
    """A real Attune server (one Daphne process) on the test's database; yields its base URL."""
    with daphne_processes(1) as servers:
        (process, base) = servers[0]
        yield base


@pytest.fixture
def screens(chromium):
    """Open browser contexts (Screens): all closed at the end, and every screen is checked for CSP violations and
    script errors."""
    opened = Screens(chromium)
    yield opened
    assert opened.close() == []


def login_cookie(user):
    """A signed-in session for `user`, for a browser context's cookie jar."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()
    return value
