"""The language an e-mail is written in, where an organizer chooses it: a staff invitation, a couple added by
hand. Offered as a field added to a form (every language Attune speaks, each named in itself), preset to the
organizer's own language; left out, the services take the current language (the organizer's) too."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LABELS = {
    "invitation": (_("Language of the invitation"), _("The e-mail is written in this language.")),
    "couple": (
        _("Language of their e-mails"),
        _("Their confirmation, reminders and every other e-mail to them are written in this language."),
    ),
}


def with_language(form, whose):
    """The form with a ``language`` field (``whose``: "invitation" or "couple"), preset to the current language."""
    label, help_text = LABELS[whose]
    current = get_language() if get_language() in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    form.fields["language"] = forms.ChoiceField(
        choices=settings.LANGUAGES, initial=current, label=label, help_text=help_text, required=False
    )
    return form
