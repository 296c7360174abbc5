from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join, json_script

from config.i18n import live_i18n as catalog_for

register = template.Library()


@register.simple_tag
def live_i18n(app):
    """The reader's language and the live app's catalog for it, as a JSON block (never executed, so the strict
    Content-Security-Policy holds): frontend/src/shared/i18n.ts reads it."""
    return json_script(catalog_for(app), "live-i18n")


@register.simple_tag
def live_text(text, app="participant"):
    """A live app's text in the reader's language, from the app's own catalog (djangojs), as the app's gettext
    gives it: for the parts of an app's screen the server draws before the app runs (live/_join_screen.html)."""
    found = catalog_for(app)["catalog"].get(text)
    return found if isinstance(found, str) and found else text


@register.simple_tag
def live_language_choice(app="participant"):
    """The live app's language menu (frontend/src/shared/LanguageChoice.tsx) as the server draws it: disabled, as
    it works only once the app runs (it reloads the page in the chosen language)."""
    if len(settings.LANGUAGES) < 2:
        return ""
    current = catalog_for(app)["language"]
    options = format_html_join(
        "",
        '<option value="{}" lang="{}"{}>{}</option>',
        ((code, code, " selected" if code == current else "", name) for code, name in settings.LANGUAGES),
    )
    return format_html(
        '<div class="language-choice"><label for="language-choice">{}</label>'
        '<select id="language-choice" disabled>{}</select></div>',
        live_text("Language", app),
        options,
    )
