from django import template
from django.utils.html import json_script

from config.i18n import live_i18n as catalog_for

register = template.Library()


@register.simple_tag
def live_i18n(app):
    """The reader's language and the live app's catalog for it, as a JSON block (never executed, so the strict
    Content-Security-Policy holds): frontend/src/shared/i18n.ts reads it."""
    return json_script(catalog_for(app), "live-i18n")
