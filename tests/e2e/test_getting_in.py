"""A first-time organizer gets in with only the pages (Chromium, a real server): finds sign-up on the home page,
signs up, creates the organization, signs out, signs in again with the e-mail, lands on the organization, and
finds the password reset; every page passes the accessibility check."""

import re

import pytest

from tests.e2e.browser import LAPTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "lantern-orchard-49-quietly"


def test_a_new_organizer_signs_up_and_back_in_from_the_home_page(server, screens):
    laptop = screens.open("new-organizer", server, **LAPTOP).goto("/")
    page = laptop.page
    problems = laptop.axe("home")

    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("heading", name="Create a staff account").wait_for()
    problems += laptop.axe("sign-up")
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("E-mail").fill("robin@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    laptop.click("Create account")

    page.get_by_role("heading", name="Create your organization").wait_for()
    page.get_by_label("Name of the organization").fill("Open Hearts")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    laptop.click("Create organization")
    page.wait_for_url(re.compile(r"/o/open-hearts/$"))

    laptop.click("Sign out")
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    problems += laptop.axe("sign-in")
    laptop.shot("sign-in")
    page.get_by_label("E-mail").fill("Robin@Example.test")
    page.get_by_label("Password").fill(PASSWORD)
    laptop.click("Sign in")
    page.wait_for_url(re.compile(r"/o/open-hearts/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Open Hearts"
    laptop.shot("landing")

    laptop.goto("/")
    organizations = page.locator("#your-organizations")
    assert organizations.get_by_role("link", name="Open Hearts", exact=True).get_attribute("href") == "/o/open-hearts/"
    assert laptop.button("Sign out").is_visible()
    problems += laptop.axe("signed-in-home")
    laptop.shot("signed-in-home")
    assert problems == []


def test_the_sign_in_page_on_a_phone_leads_to_the_password_reset(server, screens):
    phone = screens.open("forgot-password", server, **PHONE).goto("/accounts/login/")
    page = phone.page
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    problems = phone.axe("reset-form")
    page.get_by_label("E-mail").fill("nobody@example.test")
    phone.click("Send the link")
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert "Django" not in phone.text()
    problems += phone.axe("reset-sent")
    phone.shot("reset-sent")
    assert problems == []
