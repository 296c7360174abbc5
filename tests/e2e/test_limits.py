"""When a limit is reached, a real phone and the real sign-in page say when to try again (Chromium, a real server)."""

import pytest

from tests import factories
from tests.e2e.browser import LAPTOP, PHONE
from tests.realtime.conftest import _live_workshop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GUESS_JOIN_CODES = """async (count) => {
    const token = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
    const statuses = [];
    for (let n = 0; n < count; n++) {
        const response = await fetch("/live/api/join/code", {
            method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken": token},
            body: JSON.stringify({code: "ZZZZZZ"}),
        });
        statuses.push(response.status);
    }
    return statuses;
}"""


def test_a_phone_past_the_join_limit_says_when_to_try_again(server, screens, builtin_library):
    session, _, _ = _live_workshop()
    phone = screens.open("limited-phone", server, **PHONE).goto("/live/")
    phone.see("Join a live session")
    assert phone.page.evaluate(GUESS_JOIN_CODES, 120) == [404] * 120  # this address's 120 tries
    phone.page.get_by_label("Session code").fill(session.join_code)
    phone.click("Join", exact=True)
    alert = phone.page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "Too many tries. Try again in 10 minutes."
    phone.shot("join-too-many-tries")
    assert phone.axe("join-too-many-tries") == []


def test_the_sign_in_page_says_when_to_try_again_after_a_lockout(server, screens):
    factories.user("ana@example.test", password="the-right-password-42")
    laptop = screens.open("locked-sign-in", server, **LAPTOP).goto("/accounts/login/")
    for password in ["wrong-1", "wrong-2", "wrong-3", "wrong-4", "wrong-5", "the-right-password-42"]:
        laptop.page.get_by_label("E-mail").fill("ana@example.test")
        laptop.page.get_by_label("Password").fill(password)
        with laptop.page.expect_response(lambda r: r.url.endswith("/accounts/login/")) as answer:
            laptop.click("Sign in")
    assert answer.value.status == 429
    assert answer.value.headers["retry-after"] == "900"
    assert laptop.page.get_by_role("alert").inner_text() == "Too many tries. Try again in 15 minutes."
    assert laptop.page.get_by_label("E-mail").input_value() == "ana@example.test"
    laptop.shot("sign-in-too-many-tries")
    assert laptop.axe("sign-in-too-many-tries") == []


def test_a_phone_says_the_wait_of_a_proxys_bare_429_from_its_retry_after(server, screens, builtin_library):
    """A proxy in front (nginx's limit_req, a CDN) may answer 429 with its own page: the phone still says when."""
    session, _, _ = _live_workshop()
    phone = screens.open("proxy-limited-phone", server, **PHONE).goto("/live/")
    phone.see("Join a live session")
    phone.page.route(
        "**/live/api/join/code",
        lambda route: route.fulfill(
            status=429, headers={"Retry-After": "120"}, content_type="text/html", body="<h1>429</h1>"
        ),
    )
    phone.page.get_by_label("Session code").fill(session.join_code)
    phone.click("Join", exact=True)
    alert = phone.page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "Too many tries. Try again in 2 minutes."
