"""The live apps' HTML shells (realtime/app_views.py) and the Content-Security-Policy (config/csp.py), without a
browser: who may open which page, what configuration each hands to its app, and that no page runs an inline
script."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.realtime.conftest import _live_workshop
from tests.realtime.phones import Device
from workshops.services import enrollment as enrollment_services

pytestmark = pytest.mark.django_db


def _config(response):
    match = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page hands its app a JSON configuration block"
    return json.loads(match.group(1))


def _scripts(response):
    return re.findall(r"<script\b([^>]*)>(.*?)</script>", response.content.decode(), re.S)


@pytest.fixture
def live(builtin_library):
    session, facilitator, org = _live_workshop()
    return session, facilitator, org


def test_participant_shell_is_a_strict_page_with_a_csrf_cookie():
    response = Client().get("/live/?code=ABC123")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    scripts = _scripts(response)
    assert [attrs.strip() for attrs, _ in scripts] == [
        'type="module" src="/static/live/participant.js"',
        'id="live-config" type="application/json"',
        'id="live-i18n" type="application/json"',
    ]
    assert _config(response) == {"session_id": None, "qr_pairing": False}
    assert "ABC123" not in response.content.decode()  # the app reads the code from its own address


def test_participant_shell_names_the_session_this_phone_joined(live):
    session, _, _ = live
    phone = Device()
    phone.post("/live/api/join/code", {"code": session.join_code})
    assert _config(phone.get("/live/")) == {"session_id": session.pk, "qr_pairing": False}
    phone.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    assert _config(phone.get("/live/")) == {"session_id": session.pk, "qr_pairing": False}


def _drawn_join_screen(response):
    """The join screen the page draws inside the app's root before the app runs, or None."""
    match = re.search(r'<div id="app">(.*?)</div>\s*<script id="live-i18n"', response.content.decode(), re.S)
    assert match, "the page has the app's root"
    return match.group(1) if 'id="join-code"' in match.group(1) else None


def test_a_phone_in_no_session_gets_the_join_screen_drawn_in_its_language():
    drawn = _drawn_join_screen(Client().get("/live/"))
    assert drawn.startswith('<div class="live-root"><main class="live-main" id="main"><h1>Join a live session</h1>')
    # Submitted before the app runs, the form opens the address a join link opens.
    assert '<form method="get" action="/live/">' in drawn
    assert '<input id="join-code" class="code-input" name="code" autocomplete="off"' in drawn
    assert '<select id="language-choice" disabled>' in drawn  # works once the app runs
    german = _drawn_join_screen(Client(headers={"accept-language": "de"}).get("/live/"))
    assert "<h1>An einer Live-Session teilnehmen</h1>" in german and "Code der Session" in german
    assert '<option value="de" lang="de" selected>Deutsch</option>' in german


def test_the_join_screen_is_not_drawn_where_the_app_opens_elsewhere(live):
    session, _, _ = live
    for address in (f"/live/?code={session.join_code}", "/live/?via=invitation"):
        assert _drawn_join_screen(Client().get(address)) is None, address
    phone = Device()
    phone.post("/live/api/join/code", {"code": session.join_code})
    phone.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    page = phone.get("/live/")
    assert _drawn_join_screen(page) is None
    assert "This page needs JavaScript." in page.content.decode()


def test_the_device_endpoint_says_what_the_page_would(live):
    session, _, _ = live
    stranger = Client(headers={"accept-language": "de"}).get("/live/api/device")
    assert stranger.json() == {"session_id": None, "qr_pairing": False, "language": "de"}
    assert "csrftoken" in stranger.cookies  # the shell the app came from set none
    assert "no-cache" in stranger["Cache-Control"]
    phone = Device()
    phone.post("/live/api/join/code", {"code": session.join_code})
    assert phone.get("/live/api/device").json() == {"session_id": session.pk, "qr_pairing": False, "language": "en"}
    assert {**_config(phone.get("/live/")), "language": "en"} == phone.get("/live/api/device").json()


def test_the_participant_page_comes_gzipped_where_the_browser_takes_it():
    import gzip

    plain = Client(headers={"accept-language": "de"}).get("/live/")
    packed = Client(headers={"accept-language": "de", "accept-encoding": "gzip"}).get("/live/")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    # The same page (the German catalog in it), a third of its size.
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_a_phone_that_opened_the_pairing_link_is_sent_to_its_session(live):
    session, _, _ = live
    first = Device()
    first.post("/live/api/join/code", {"code": session.join_code})
    first.post("/live/api/enter", {"consent": True, "display_name": "Ana"})
    code = first.post("/live/api/pair/start", {"session_id": session.pk}).json()["code"]

    partner = Device()
    landing = partner.get(f"/live/pair/{code}")
    # With a query, so that the app's service worker fetches this phone's own page rather than its kept join screen.
    assert landing.status_code == 302 and landing["Location"] == "/live/?via=pairing"
    assert _config(partner.get("/live/?via=pairing")) == {"session_id": session.pk, "qr_pairing": True}
    assert _config(partner.get("/live/")) == {"session_id": session.pk, "qr_pairing": True}
    assert _config(Device().get("/live/"))["session_id"] is None
    # A wrong or expired code names no session.
    stranger = Device()
    stranger.get("/live/pair/NOTACODE")
    assert _config(stranger.get("/live/")) == {"session_id": None, "qr_pairing": False}


@pytest.mark.parametrize("page", ["facilitate", "projector"])
def test_staff_pages_need_a_facilitator_of_the_workshop(live, page):
    session, facilitator, org = live
    path = f"/live/{page}/{session.pk}/"

    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")

    outsider = Client()
    outsider.force_login(factories.member(factories.organization(), "owner"))
    assert outsider.get(path).status_code == 403

    colleague = Client()  # a facilitator of the organization who doesn't run this workshop
    colleague.force_login(factories.member(org, "facilitator"))
    assert colleague.get(path).status_code == 403

    staff = Client()
    staff.force_login(facilitator)
    response = staff.get(path)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    config = _config(response)
    assert config["session_id"] == session.pk
    assert config["join_code"] == session.join_code
    assert config["join_url"] == f"{settings.PUBLIC_BASE_URL}/live/?code={session.join_code}"
    assert config["title"] == "Live test"
    assert f"/static/live/{'facilitator' if page == 'facilitate' else 'projector'}.js" in response.content.decode()
    allowed = ('type="module" src=', 'id="live-config"', 'id="live-i18n"')
    assert all(attrs.strip().startswith(allowed) for attrs, _ in _scripts(response))

    assert staff.get(f"/live/{page}/999999/").status_code == 404


def test_csp_covers_every_page_and_error_page():
    assert "script-src 'self'" in Client().get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in Client().get("/no-such-page/")["Content-Security-Policy"]


def test_my_place_page_offers_the_live_session(live):
    session, _, _ = live
    _, token = enrollment_services.registration_submit(
        workshop=session.workshop, contact_email="kim@example.test", display_name="Kim"
    )
    client = Client()
    page = client.get(f"/i/{token}", follow=True)
    assert page.status_code == 200
    assert 'href="/live/?via=invitation"' in page.content.decode()
