"""Strict reading of environment variables for the settings module.

Every difference between a laptop and production comes from the environment.
A malformed value is an error at start-up, named with the variable, never a
silent fallback.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ=None):
        self.environ = os.environ if environ is None else environ
        self.production = self.choice("ATTUNE_MODE", ("development", "production"), "development") == "production"

    def raw(self, name, default=None, *, required_in_production=False):
        value = self.environ.get(name)
        if value is None or value == "":
            if required_in_production and self.production:
                raise ImproperlyConfigured(
                    f"{name} must be set when ATTUNE_MODE=production (see README, 'Production')."
                )
            return default
        return value

    def bool(self, name, default):
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0), got {value!r}.")

    def int(self, name, default, *, minimum=None):
        value = self.environ.get(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
        return number

    def list(self, name, default, *, required_in_production=False):
        value = self.raw(name, None, required_in_production=required_in_production)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name, choices, default):
        value = self.environ.get(name) or default
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
        return value

    def url(self, name, schemes, *, required_in_production=False):
        value = self.raw(name, None, required_in_production=required_in_production)
        if value is None:
            return None
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in schemes:
            raise ImproperlyConfigured(f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}.")
        return value
