from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def in_reader_language(row, field):
    """A library row's text (an exercise's, a step's, a program's or an item's) in the reader's language where the
    row has it (the built-in library has German too: workshops/library_i18n.py), else as it was written."""
    if row is None:  # as the template would show a missing row's field: nothing
        return ""
    texts = (getattr(row, "translations", None) or {}).get(get_language() or "", {})
    return texts.get(field) or getattr(row, field)
