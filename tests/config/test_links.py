"""One base URL (PUBLIC_BASE_URL, config/links.py) for every link opened elsewhere: the projector's QR code,
pairing links, e-mails, registration and calendar links. Each request here comes in on another host (a console
opened on localhost:8102, a forged Host header) and the link still names the configured base."""

import json
import re

import pytest
from django.test import Client, override_settings

from config.links import absolute_url
from tests import factories
from tests.mailbox import mailbox
from tests.realtime.conftest import _live_workshop
from tests.realtime.phones import Device

BASE = "https://attune.example"
OTHER_HOST = "localhost:8102"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("public_base"),
]


@pytest.fixture
def public_base():
    with override_settings(PUBLIC_BASE_URL=BASE, ALLOWED_HOSTS=["localhost", "testserver", "evil.example"]):
        yield


def live_config(response):
    match = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def test_absolute_url_puts_a_path_on_the_public_base():
    assert absolute_url("/live/?code=ABC123") == "https://attune.example/live/?code=ABC123"
    with override_settings(PUBLIC_BASE_URL="http://192.168.1.20:8102/"):
        assert absolute_url("/w/x/") == "http://192.168.1.20:8102/w/x/"


def test_absolute_url_refuses_a_relative_path():
    with pytest.raises(ValueError, match="needs a path starting with '/'"):
        absolute_url("live/")


@pytest.mark.parametrize("page", ["facilitate", "projector"])
def test_projector_and_console_join_url_carry_the_public_base_not_the_console_host(builtin_library, page):
    session, facilitator, _ = _live_workshop()
    console = Client(HTTP_HOST=OTHER_HOST)
    console.force_login(facilitator)
    response = console.get(f"/live/{page}/{session.pk}/")
    assert response.status_code == 200
    assert live_config(response)["join_url"] == f"https://attune.example/live/?code={session.join_code}"


@pytest.mark.django_db(transaction=True)
def test_pairing_link_carries_the_public_base_not_the_phone_host(builtin_library):
    session, _, _ = _live_workshop()
    phone = Device()
    phone.client.defaults["HTTP_HOST"] = OTHER_HOST
    assert phone.post("/live/api/join/code", {"code": session.join_code}).status_code == 200
    assert phone.post("/live/api/enter", {"consent": True, "display_name": "Ana"}).status_code == 200
    started = phone.post("/live/api/pair/start", {"session_id": session.pk}).json()
    assert started["link"] == f"https://attune.example/live/pair/{started['code']}"


def test_password_reset_email_links_to_the_public_base_even_with_a_forged_host():
    factories.user("forgot@example.test", password="the-old-password-42")
    response = Client(HTTP_HOST="evil.example").post("/accounts/password_reset/", {"email": "forgot@example.test"})
    assert response.status_code == 302
    assert len(mailbox()) == 1
    links = re.findall(r"https?://\S+", mailbox()[0].body)
    assert len(links) == 1
    assert links[0].startswith("https://attune.example/accounts/reset/")


def test_registration_and_calendar_links_on_the_workshop_page_carry_the_public_base(builtin_library):
    session, _, org = _live_workshop()
    workshop = session.workshop
    owner = factories.member(org, "owner")
    browser = Client(HTTP_HOST=OTHER_HOST)
    browser.force_login(owner)
    page = browser.get(f"/o/{org.slug}/workshops/{workshop.pk}/").content.decode()
    assert f"https://attune.example/w/{workshop.public_id}/" in page
    assert f"https://attune.example/ical/workshop/{workshop.pk}/" in page
    assert "localhost:8102" not in page


def test_staff_calendar_link_carries_the_public_base():
    user = factories.user("staff@example.test", password="a-long-test-password-42")
    browser = Client(HTTP_HOST=OTHER_HOST)
    browser.force_login(user)
    page = browser.get("/staff/calendar/").content.decode()
    assert re.search(rf"https://attune\.example/ical/staff/{user.pk}/\S+", page)
    assert "localhost:8102" not in page
