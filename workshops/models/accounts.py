from django.conf import settings
from django.db import models


class AccountLanguage(models.Model):
    """The language a staff member chose to read Attune in (config/i18n.py): it follows them to every browser."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language")
    # One of settings.LANGUAGES (checked where it is chosen; no choices here, so a new language needs no migration).
    language = models.CharField(max_length=8)

    def __str__(self):
        return self.language
