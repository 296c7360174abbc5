"""Input serializers that refuse fields they do not know, input fields that take exactly the JSON type the schema
names (DRF would turn 12 into "12" or "12" into 12), and datetimes that must carry their UTC offset."""

import re
import zoneinfo
from collections.abc import Mapping
from datetime import UTC

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _and_list(names):
    if len(names) == 1:
        return names[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _fields_here(known):
    if not known:
        return _("This request takes no body.")
    if len(known) == 1:
        return _("The field here is %(field)s.") % {"field": known[0]}
    return _("The fields here are %(fields)s.") % {"fields": _and_list(known)}


def unknown_field_errors(data, known):
    """{name: [message]} for each key of `data` that is not in `known`, each message naming the others too."""
    unknown = [str(key) for key in data if key not in known]
    errors = {}
    for name in unknown:
        others = [other for other in unknown[:6] if other != name][:5]  # a few: a body may hold thousands
        more = len(unknown) - 1 - len(others)
        if more > 0:
            others.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": more})
        if others:
            also = ngettext("Unknown field, as is %(others)s.", "Unknown field, as are %(others)s.", len(unknown) - 1)
            refusal = also % {"others": _and_list(others)}
        else:
            refusal = _("Unknown field.")
        message = f"{refusal} {_fields_here(known)}"
        errors[name] = [serializers.ErrorDetail(message, code="unknown_field")]
    return errors


# The base of every request body and of every object nested in one: a field it does not know is refused with a 400
# naming it, rather than ignored (a misspelt optional field would otherwise do nothing, silently). The served schema
# says so: additionalProperties is false on every request body (workshops.api.schema). (A comment, not a docstring:
# the schema would show a docstring as the description of every input that has none of its own.)
class InputSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "Expected a dictionary" error
        known = [name for name, field in self.fields.items() if not field.read_only]
        unknown = unknown_field_errors(data, known)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as refused:
            raise serializers.ValidationError({**unknown, **refused.detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictURLField(serializers.URLField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=str(data)[:40])
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": gettext_lazy("A whole number is required.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Give true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class LanguageField(StrictChoiceField):
    """One of the languages Attune speaks (settings.LANGUAGES), by its code."""

    def __init__(self, **kwargs):
        super().__init__(choices=settings.LANGUAGES, **kwargs)


class IdField(StrictIntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


NAIVE = gettext_lazy("Give the time with its UTC offset, e.g. 2026-05-01T09:00:00+02:00.")
OUT_OF_RANGE = format_lazy(
    gettext_lazy("Choose a date between {earliest} and {latest}."), earliest=EARLIEST_YEAR, latest=LATEST_YEAR
)


def parse_aware(value):
    """An ISO 8601 date and time with its UTC offset, between EARLIEST_YEAR and LATEST_YEAR, as an aware datetime in
    UTC; a ValueError naming what is wrong otherwise. In a query string an unencoded "+" arrives as a space, so a
    space before the offset is read as its "+"."""
    text = re.sub(r" (\d\d(?::?\d\d)?)$", r"+\1", value.strip())
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(_("Give a date and time such as 2026-05-01T09:00:00+02:00."))
    if timezone.is_naive(parsed):
        raise ValueError(str(NAIVE))
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueError(str(OUT_OF_RANGE))
    return parsed.astimezone(UTC)


class AwareDateTimeFormField(forms.Field):
    """parse_aware for a query parameter (a django-filter filter's form field)."""

    def to_python(self, value):
        if value is None:
            return None  # the parameter left out
        if value == "":
            raise forms.ValidationError(_("Give a date and time, or leave the parameter out."), code="invalid")
        try:
            return parse_aware(value)
        except ValueError as refused:
            raise forms.ValidationError(str(refused), code="invalid") from None


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with its offset (Z or +02:00), between 2000 and 2100; returned as an aware datetime."""

    default_error_messages = {"naive": NAIVE, "range": OUT_OF_RANGE}

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|Z]")
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|Z]")
        if timezone.is_naive(parsed):
            self.fail("naive")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            self.fail("range")
        return parsed.astimezone(UTC)


def local_iso(moment, timezone_name):
    """An aware datetime as ISO 8601 in the given zone, with its offset (2026-05-01T09:00:00+02:00)."""
    if moment is None:
        return None
    return moment.astimezone(zoneinfo.ZoneInfo(timezone_name)).isoformat()


def _check_json_text(value, path="config"):
    """PostgreSQL's jsonb refuses NUL characters and lone surrogates; refuse them here with the path."""
    if isinstance(value, str):
        if "\x00" in value:
            raise serializers.ValidationError(_("%(path)s: text may not contain NUL characters.") % {"path": path})
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise serializers.ValidationError(_("%(path)s: text is not valid Unicode.") % {"path": path}) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_text(key, path)
            _check_json_text(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_text(item, f"{path}.{index}")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "The settings of the step's kind (see the kinds in workshops/steps.py); {} for "
        "instruction and break.",
    }
)
class StepConfigField(serializers.DictField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        _check_json_text(value)
        return value


@extend_schema_field(OpenApiTypes.DATETIME)
class LocalTimeField(serializers.Field):
    """Output only: the instance's datetime `source` in the zone named by `timezone_attr` of the same object."""

    def __init__(self, *, timezone_from, **kwargs):
        self.timezone_from = timezone_from
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        moment = super().get_attribute(instance)
        return (moment, self.timezone_from(instance)) if moment is not None else None

    def to_representation(self, value):
        moment, timezone_name = value
        return local_iso(moment, timezone_name)
