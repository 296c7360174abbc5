"""Getting in as a first-time organizer or facilitator (issue 16): finding sign-up, signing in with an e-mail,
landing on one's own organization, the signed-in home page, password reset in Attune's look, and sign-up from a
staff invitation. Everything goes through the pages, as a browser would."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.mailbox import mailbox
from tests.workshops.pages.helpers import page_text, text_of
from workshops import demo
from workshops.models import Membership, Session
from workshops.services import organizations, scheduling

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing at full strength costs a third of a second per password; these tests are not about it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _Page(HTMLParser):
    """The links (text -> href), labels and inputs of a page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links, self.labels, self.inputs = [], [], {}
        self._href, self._text, self._label = None, [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._href, self._text = attrs.get("href"), []
        elif tag == "label":
            self._label = []
        elif tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None
        elif tag == "label" and self._label is not None:
            self.labels.append(" ".join("".join(self._label).split()))
            self._label = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._label is not None:
            self._label.append(data)


def page(response):
    """The page's own content: its <main>, without the header's menus (the language menu has a label too)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return _Page(html[html.index('<main id="main">') :])


def run_links(response):
    return [href for text, href in page(response).links if text.startswith("Run this session")]


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": password})


# --- 1. Sign-up can be found -----------------------------------------------------------------------------------


def test_home_and_sign_in_pages_link_to_sign_up():
    client = Client()
    assert ("Create an account", "/accounts/signup/") in page(client.get("/")).links
    assert ("Sign in", "/accounts/login/") in page(client.get("/")).links
    assert ("Create an account", "/accounts/signup/") in page(client.get("/accounts/login/")).links
    # Sent to sign in on the way somewhere (an invitation), sign-up keeps the way.
    links = page(client.get("/accounts/login/?next=/staff/invitation/")).links
    assert ("Create an account", "/accounts/signup/?next=/staff/invitation/") in links
    assert page(client.get("/accounts/signup/")).inputs["email"]["type"] == "email"


def test_the_readme_names_the_sign_up_page_where_it_says_how_to_start():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    getting_started = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    assert "http://localhost:8000/accounts/signup/" in getting_started


# --- 2. The sign-in form asks for an e-mail ----------------------------------------------------------------------


def test_the_sign_in_form_asks_for_an_e_mail_and_keeps_it_on_a_wrong_password():
    factories.user("ana@example.test", password=PASSWORD)
    client = Client()
    form = page(client.get("/accounts/login/"))
    assert form.labels == ["E-mail", "Password"]
    assert form.inputs["username"]["type"] == "email"
    assert form.inputs["username"]["autocomplete"] == "username"
    assert "Username" not in client.get("/accounts/login/").content.decode()

    refused = client.post("/accounts/login/", {"username": "ana@example.test", "password": "not-the-password"})
    assert refused.status_code == 200
    assert text_of(refused, "sign-in-error") == (
        "That e-mail and password don't match an account. Check both, or reset your password."
    )
    assert _Page(refused.content.decode()).inputs["username"]["value"] == "ana@example.test"
    assert "_auth_user_id" not in client.session


def test_an_e_mail_signs_in_however_it_is_capitalised():
    org = factories.organization(owner=factories.user("ana@example.test", password=PASSWORD), name="Harbor")
    response = sign_in(Client(), "  Ana@Example.TEST ")
    assert response["Location"] == f"/o/{org.slug}/"


# --- 3. Signing in lands on one's own organization ---------------------------------------------------------------


def test_sign_in_lands_on_the_only_organization_of_the_user():
    owner = factories.user("owner@example.test", password=PASSWORD)
    org = factories.organization(owner=owner, name="Open Hearts")
    client = Client()
    response = sign_in(client, "owner@example.test")
    assert response["Location"] == "/o/open-hearts/" == f"/o/{org.slug}/"
    assert text_of(client.get(response["Location"]), "main").startswith("Open Hearts Overview")


def test_sign_in_with_several_organizations_lands_on_a_chooser_of_them():
    person = factories.user("both@example.test", password=PASSWORD)
    factories.organization(owner=person, name="Open Hearts")
    other = factories.organization(name="Harbor Counseling")
    Membership.objects.create(organization=other, user=person, role="facilitator")
    client = Client()
    response = sign_in(client, "both@example.test")
    assert response["Location"] == "/"
    home = client.get("/")
    assert text_of(home, "your-organizations") == (
        "Your organizations Harbor Counseling · Facilitator Workshops of Harbor Counseling "
        "Open Hearts · Owner Workshops of Open Hearts Create another organization"
    )
    links = page(home).links
    assert ("Harbor Counseling", f"/o/{other.slug}/") in links
    assert ("Open Hearts", "/o/open-hearts/") in links


def test_sign_in_without_an_organization_lands_on_creating_one():
    factories.user("new@example.test", password=PASSWORD)
    client = Client()
    response = sign_in(client, "new@example.test")
    assert response["Location"] == "/o/new/"
    assert "Create your organization" in page_text(client.get("/o/new/"))


def test_sign_in_goes_to_a_safe_next_and_never_off_site():
    org = factories.organization(owner=factories.user("owner@example.test", password=PASSWORD), name="Open Hearts")
    library = f"/o/{org.slug}/library/"
    assert sign_in(Client(), "owner@example.test", next_url=library)["Location"] == library
    for unsafe in ["https://evil.example/", "//evil.example/o/", "javascript:alert(1)"]:
        response = Client().post(
            "/accounts/login/", {"username": "owner@example.test", "password": PASSWORD, "next": unsafe}
        )
        assert response["Location"] == f"/o/{org.slug}/", unsafe
    # A page that asked for a sign-in sends the user back to it.
    client = Client()
    asked = client.get(library)
    assert asked["Location"] == f"/accounts/login/?next={library}"
    assert page(client.get(asked["Location"])).inputs["next"]["value"] == library
    assert sign_in(client, "owner@example.test", next_url=library)["Location"] == library


@pytest.mark.parametrize("role", ["owner", "facilitator"])
def test_the_demo_staff_land_on_the_demo_organization_and_every_link_there_opens(builtin_library, role):
    demo.load_demo(user_model=get_user_model())
    login = next(login for login in demo.DEMO_STAFF if login.role == role)
    client = Client()
    response = sign_in(client, login.email, login.password)
    assert response["Location"] == f"/o/{demo.DEMO_ORG_SLUG}/"
    landing = client.get(response["Location"])
    assert text_of(landing, "main").startswith("Demo Collective Overview Workshops Programs Library")
    assert f"You are {role} here" in page_text(landing)
    # The session on now is one click away, and nothing the landing page offers is refused to this role.
    session = demo_live_session()
    assert run_links(landing)[0] == f"/live/facilitate/{session.pk}/"
    refused = []
    for _, href in page(landing).links:
        if href.startswith("/o/") or href.startswith("/live/facilitate/") or href == "/staff/calendar/":
            status = client.get(href).status_code
            if status != 200:
                refused.append((href, status))
    assert refused == []


def demo_live_session():
    now = timezone.now()
    return Session.objects.get(workshop__title=demo.DEMO_LIVE_TITLE, starts_at__lte=now, ends_at__gt=now)


def test_a_facilitator_sees_run_this_session_only_for_sessions_they_facilitate():
    org = factories.organization(name="Open Hearts")
    mine = factories.published_workshop(org, title="Mine")
    theirs = factories.published_workshop(org, title="Theirs")
    fay = factories.member(org, "facilitator", "fay@example.test")
    scheduling.workshop_set_facilitators(workshop=mine, users=[fay])
    client = Client()
    client.force_login(fay)
    assert run_links(client.get(f"/o/{org.slug}/")) == [f"/live/facilitate/{mine.sessions.get().pk}/"]
    owner = org.memberships.get(role="owner").user
    client.force_login(owner)
    run = sorted(run_links(client.get(f"/o/{org.slug}/")))
    assert run == sorted(f"/live/facilitate/{ws.sessions.get().pk}/" for ws in (mine, theirs))


# --- 4. The signed-in home page says where to go next -----------------------------------------------------------


def test_the_signed_in_home_page_lists_organizations_sessions_and_sign_out(builtin_library):
    demo.load_demo(user_model=get_user_model())
    sign_in(Client(), "facilitator@demo.attune.local", demo.DEMO_PASSWORD)  # a first visit, some other day
    client = Client()
    sign_in(client, "facilitator@demo.attune.local", demo.DEMO_PASSWORD)
    home = client.get("/")
    assert text_of(home, "main").startswith("Attune Welcome back, Facilitator. Your organizations")
    assert text_of(home, "your-organizations") == (
        "Your organizations Demo Collective · Facilitator Workshops of Demo Collective Create another organization"
    )
    session = demo_live_session()
    sessions = text_of(home, "your-sessions")
    assert sessions.startswith(f"Sessions you facilitate {demo.DEMO_LIVE_TITLE} · Demo Collective ")
    assert "(Europe/Berlin) Run this session (1) Projector view (1)" in sessions
    links = page(home).links
    assert ("Run this session (1)", f"/live/facilitate/{session.pk}/") in links
    assert ("Demo Collective", f"/o/{demo.DEMO_ORG_SLUG}/") in links
    assert '<button class="secondary" type="submit">Sign out</button>' in home.content.decode()
    assert ("Create an account", "/accounts/signup/") not in links

    signed_out = client.post("/accounts/logout/")
    assert signed_out["Location"] == "/"
    assert ("Sign in", "/accounts/login/") in page(client.get("/")).links


def test_the_home_page_of_someone_on_no_staff_offers_to_create_an_organization():
    client = Client()
    client.force_login(factories.user("new@example.test"))
    home = client.get("/")
    assert text_of(home, "your-organizations") == (
        "Your organizations You're not on an organization's staff yet. Create one for your own workshops, or open "
        "the invitation link from your e-mail to join a team. Create your organization"
    )
    assert ("Create your organization", "/o/new/") in page(home).links
    assert 'id="your-sessions"' not in home.content.decode()


# --- 5. Password reset in Attune's look, end to end -------------------------------------------------------------


def attune_look(response):
    """The page is one of Attune's own: its header and stylesheet, nothing of Django's admin."""
    html = response.content.decode()
    return (
        response.status_code == 200
        and '<a class="brand" href="/">Attune</a>' in html
        and "attune.css" in html
        and "Django administration" not in html
        and "admin" not in html
    )


def test_password_reset_from_the_sign_in_page_to_signing_in_with_the_new_password():
    factories.user("forgot@example.test", password="the-old-password-42")
    client = Client()
    assert ("Forgot your password?", "/accounts/password_reset/") in page(client.get("/accounts/login/")).links

    form = client.get("/accounts/password_reset/")
    assert attune_look(form)
    assert text_of(form, "main").startswith("Reset your password")
    mailbox().clear()
    response = client.post("/accounts/password_reset/", {"email": "Forgot@Example.test"})
    assert response["Location"] == "/accounts/password_reset/done/"
    done = client.get(response["Location"])
    assert attune_look(done)
    assert text_of(done, "main").startswith("Check your e-mail")

    [email] = mailbox()
    assert email.to == ["forgot@example.test"]
    link = re.search(re.escape(settings.PUBLIC_BASE_URL) + r"(/accounts/reset/\S+/)", email.body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session value: a clean URL
    choose = client.get(form_url)
    assert attune_look(choose)
    assert page(choose).labels == ["New password", "New password confirmation"]
    assert text_of(choose, "id_new_password1_helptext") == (
        "At least 8 characters, not only numbers, not a common password and not like your e-mail."
    )
    mismatch = client.post(form_url, {"new_password1": "a-brand-new-password-77", "new_password2": "another-one-77"})
    assert mismatch.status_code == 200 and "The two password fields didn’t match." in page_text(mismatch)
    set_it = client.post(
        form_url, {"new_password1": "a-brand-new-password-77", "new_password2": "a-brand-new-password-77"}
    )
    assert set_it["Location"] == "/accounts/reset/done/"
    complete = client.get(set_it["Location"])
    assert attune_look(complete)
    assert ("Sign in", "/accounts/login/") in page(complete).links

    # The link works once; the old password no longer does, the new one does.
    used = client.get(link, follow=True)
    assert "This link has expired or was used already." in page_text(used)
    assert sign_in(Client(), "forgot@example.test", "the-old-password-42").status_code == 200
    assert sign_in(Client(), "forgot@example.test", "a-brand-new-password-77")["Location"] == "/o/new/"


# --- 6. Sign-up from a staff invitation ---------------------------------------------------------------------------


def test_sign_up_from_a_staff_invitation_has_the_invited_address_filled_in(django_capture_on_commit_callbacks):
    owner = factories.user("owner@example.test", password=PASSWORD)
    org = factories.organization(owner=owner, name="Harbor Counseling")
    organizer = Client()
    organizer.force_login(owner)
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        organizer.post(f"/o/{org.slug}/staff/invite/", {"email": "Fay@Example.test", "role": "facilitator"})
    [invitation_mail] = mailbox()
    link = re.search(re.escape(settings.PUBLIC_BASE_URL) + r"(/staff/invitation/\S+)", invitation_mail.body).group(1)

    newcomer = Client()
    invited = newcomer.get(newcomer.get(link)["Location"])
    signup_url = dict((text, href) for text, href in page(invited).links)["Create an account"]
    assert signup_url == "/accounts/signup/?next=/staff/invitation/"
    form = page(newcomer.get(signup_url))
    assert form.inputs["email"]["value"] == "fay@example.test"
    assert form.inputs["next"]["value"] == "/staff/invitation/"
    # The sign-up page reached another way (the home page's link) fills it in too, and leads back to the invitation.
    assert page(newcomer.get("/accounts/signup/")).inputs["next"]["value"] == "/staff/invitation/"

    # A mistake keeps what was typed, the address included.
    refused = newcomer.post("/accounts/signup/", {"email": "fay@example.test", "first_name": "Fay", "password": "1"})
    assert refused.status_code == 400
    assert _Page(refused.content.decode()).inputs["email"]["value"] == "fay@example.test"
    signed_up = newcomer.post(
        "/accounts/signup/",
        {"email": "fay@example.test", "first_name": "Fay", "password": PASSWORD, "next": "/staff/invitation/"},
    )
    assert signed_up["Location"] == "/staff/invitation/"
    joined = newcomer.post("/staff/invitation/")
    assert joined["Location"] == f"/o/{org.slug}/"
    assert org.memberships.get(user__email="fay@example.test").role == "facilitator"


def test_a_revoked_invitation_fills_in_nothing(django_capture_on_commit_callbacks):
    owner = factories.user("owner@example.test", password=PASSWORD)
    org = factories.organization(owner=owner, name="Harbor Counseling")
    invitation, raw = organizations.staff_invite(
        organization=org, email="fay@example.test", role="facilitator", invited_by=owner
    )
    newcomer = Client()
    newcomer.get(f"/staff/invitation/{raw}")
    assert page(newcomer.get("/accounts/signup/")).inputs["email"]["value"] == "fay@example.test"
    organizations.staff_invitation_revoke(invitation=invitation)
    form = page(newcomer.get("/accounts/signup/"))
    assert (form.inputs["email"]["value"], form.inputs["next"]["value"]) == ("", "")


def test_sign_up_without_an_invitation_starts_empty_and_lands_on_creating_an_organization():
    client = Client()
    form = page(client.get("/accounts/signup/"))
    assert (form.inputs["email"]["value"], form.inputs["next"]["value"]) == ("", "")
    response = client.post("/accounts/signup/", {"email": "new@example.test", "password": PASSWORD})
    assert response["Location"] == "/o/new/"
