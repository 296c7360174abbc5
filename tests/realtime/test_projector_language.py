"""Issue 17: the projector keeps a language of its own. It runs in the same browser as the facilitator's console
(its window dragged to the beamer), so the language cookie and the account's language are the console's; the
projector's is in its address, ?lang=<code> (config/i18n.py, speaks_language_in_address), and its socket's too
(language_of_socket). A code Attune does not speak is ignored, never an error page. On SQLite; the browser test is
tests/e2e/test_projector_language.py."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from tests import factories
from tests.config.test_languages import _lang, _live_i18n
from tests.realtime.phones import Device
from tests.realtime.test_socket_language import open_socket
from workshops.models import AccountLanguage

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def _laptop(user, language):
    """The facilitator's browser, signed in, whose language cookie says `language`."""
    laptop = Device(user)
    laptop.client.cookies[LANGUAGE_COOKIE] = language
    return laptop.client


def test_the_projector_in_german_while_the_laptops_cookie_says_english(live):
    laptop = _laptop(live.facilitator_user, "en")
    projector = laptop.get(f"/live/projector/{live.session.pk}/?lang=de")
    assert projector.status_code == 200
    assert _lang(projector) == "de"
    assert projector["Content-Language"] == "de"
    assert "Zum Inhalt springen" in projector.content.decode()  # the page's own text, rendered by the server
    i18n = _live_i18n(projector)
    assert i18n["language"] == "de"
    assert i18n["catalog"]["Welcome"] == "Willkommen"
    # Nothing kept: neither the cookie nor the account; the console beside it stays English.
    assert LANGUAGE_COOKIE not in projector.cookies
    assert not AccountLanguage.objects.filter(user=live.facilitator_user).exists()
    console = laptop.get(f"/live/facilitate/{live.session.pk}/")
    assert (_lang(console), _live_i18n(console)["catalog"]) == ("en", {})
    # Without ?lang the projector follows the cookie, as before.
    assert _lang(laptop.get(f"/live/projector/{live.session.pk}/")) == "en"


def test_english_on_the_projector_while_the_cookie_says_german(live):
    projector = _laptop(live.facilitator_user, "de").get(f"/live/projector/{live.session.pk}/?lang=en")
    assert _lang(projector) == "en"
    assert _live_i18n(projector) | {"languages": None} == {"language": "en", "languages": None, "catalog": {}}
    assert "Skip to content" in projector.content.decode()


@pytest.mark.parametrize("asked", ["xx", "", "de-XX", "DE", "<script>"])
def test_a_language_attune_does_not_speak_is_ignored(live, asked):
    projector = _laptop(live.facilitator_user, "en").get(f"/live/projector/{live.session.pk}/", {"lang": asked})
    assert projector.status_code == 200
    assert _lang(projector) == "en"
    assert _live_i18n(projector)["catalog"] == {}


def test_the_refusal_of_someone_else_s_projector_is_in_the_asked_language_too(live):
    stranger = _laptop(factories.user(), "en").get(f"/live/projector/{live.session.pk}/?lang=de")
    assert stranger.status_code == 403
    assert _lang(stranger) == "de"
    assert "Zum Inhalt springen" in stranger.content.decode()


async def test_the_projectors_socket_speaks_the_language_in_its_address(live):
    german = await sync_to_async(live.staff_device)()
    await open_socket(german, live.session.pk, role="projector", language="en", lang="de")
    english = await sync_to_async(live.staff_device)()
    await open_socket(english, live.session.pk, role="projector", language="en")
    unknown = await sync_to_async(live.staff_device)()
    await open_socket(unknown, live.session.pk, role="projector", language="de", lang="xx")  # the cookie's, then
    said = {}
    for name, device in (("de", german), ("en", english), ("xx", unknown)):
        said[name] = [
            (await device.command("ping", extra=1))["message"],
            (await device.command("session.command", action="advance", expected_version=0))["message"],
        ]
    assert said["de"] == ["extra: Dieses Feld gibt es in dieser Nachricht nicht.", "Das kann nur die Moderation."]
    assert said["en"] == ["extra: this message has no such field.", "Only a facilitator can do that."]
    assert said["xx"] == said["de"]
    for device in (german, english, unknown):
        await device.close()
