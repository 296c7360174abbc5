from django import template

from config.i18n import language_name as name_of

register = template.Library()


@register.filter
def language_name(code):
    """A language's name in the reader's language: {{ enrollment.language|language_name }} reads "German"."""
    return name_of(code)
