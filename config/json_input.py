"""JSON from outside (socket frames, the live API's bodies, the REST API's bodies), parsed in one place with limits.

Whatever parses is checked before anything reaches a service or the database: nesting at most MAX_DEPTH deep
(Python's parser and encoder recurse, so a deep document raises RecursionError, not ValueError), no NUL and no
lone UTF-16 surrogate in any text or key (PostgreSQL cannot store either, and UTF-8 cannot encode a surrogate),
and only finite numbers (`1e400` parses to infinity and `NaN` to a NaN, which the database's JSON refuses and which
Python would write back as `Infinity`, which no JSON reader takes; a 5,000-digit integer makes Python's int()
itself refuse). Each refusal has a code
(docs/protocol.md) and a message that names where, never what was sent.
"""

import json
import math
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a pair is one character once parsed: only lone halves match
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,39}$")


class BadJSON(ValueError):
    """Refused input: `code` and `message` for the client; `document` is what parsed (None if nothing did), so a
    caller can still answer with the message's own id."""

    def __init__(self, code, message, document=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.document = document


def _bad_number(document=None, field=None):
    digits = number_format(4300, force_grouping=True)  # Python's int() refuses more (sys.get_int_max_str_digits)
    if _named(field):
        message = _("%(field)s: numbers must be finite (and at most %(digits)s digits).")
    else:
        message = _("Numbers must be finite (and at most %(digits)s digits).")
    return BadJSON("bad_number", message % {"field": field, "digits": digits}, document)


def _not_json():
    return BadJSON("bad_json", _("That is not valid JSON."))


def _too_deep(document=None):
    return BadJSON("too_deep", _("Nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}, document)


def loads(text, nul=False):
    """Parse `text` (str or bytes) and check it; raises BadJSON. `nul=True` leaves NULs to the caller's own field
    validation (the REST API's serializers name the field: `null_characters_not_allowed`); depth, numbers that
    are not finite and lone surrogates (which not every field refuses, and UTF-8 cannot encode) are always checked.

    Only what can hold a problem is walked, so a typical frame costs little more than json.loads: a NUL or a
    surrogate can only be written as an escape (`\\u0000`, `\\udXXX`: raw control characters are not JSON and
    UTF-8 cannot hold a surrogate; a Python caller's text is checked by encoding it), a number that is not finite
    is seen by the parser's float hooks, and a document with at most MAX_DEPTH brackets cannot be deeper."""
    if isinstance(text, bytes | bytearray):
        try:  # as json.loads reads bytes (UTF-8, -16 or -32), but strictly: no surrogates smuggled as UTF-8
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError:
            raise _not_json() from None
    numbers = []  # whether the float hooks met a number that is not finite

    def parse_float(literal):
        number = float(literal)
        if not math.isfinite(number):
            numbers.append(literal)
        return number

    def parse_constant(name):  # NaN, Infinity, -Infinity: Python accepts them, JSON does not
        numbers.append(name)
        return math.nan

    try:
        document = json.loads(text, parse_float=parse_float, parse_constant=parse_constant)
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's int() refuses more than 4,300 digits
            raise _bad_number() from None
        raise _not_json() from None
    texts = "\\u" in text or not _encodes(text)
    if texts or numbers:
        check(document, nul)
    elif text.count("[") + text.count("{") > MAX_DEPTH:
        _check_depth(document)
    return document


def _check_depth(document):
    """Containers only, a level at a time (a 12 KiB frame of 400 objects: about 60 us)."""
    level, depth = [document], 0
    while level:
        if depth >= MAX_DEPTH:
            raise _too_deep(document)
        deeper = []
        for value in level:
            for item in value.values() if type(value) is dict else value:
                if type(item) is dict or type(item) is list:
                    deeper.append(item)
        level, depth = deeper, depth + 1


def _encodes(text):
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def check(document, nul=False):
    """Walk a parsed document without recursion; raise BadJSON at its first refused part."""
    unstorable = _LONE_SURROGATE if nul else _UNSTORABLE
    stack = [(document, 0, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise _too_deep(document)
            for key, item in value.items():
                if unstorable.search(key):
                    raise _bad_text(document, field, key=True)
                stack.append((item, depth + 1, field if depth else key))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise _too_deep(document)
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str):
            if unstorable.search(value):
                raise _bad_text(document, field)
        elif isinstance(value, float) and not math.isfinite(value):
            raise _bad_number(document, field)


def _bad_text(document, field, key=False):
    if _named(field):
        message = (
            _(
                "%(field)s: a key holds a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; "
                "send plain Unicode text."
            )
            if key
            else _(
                "%(field)s: a text holds a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; "
                "send plain Unicode text."
            )
        )
    else:
        message = (
            _(
                "A key holds a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; send plain "
                "Unicode text."
            )
            if key
            else _(
                "A text holds a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; send plain "
                "Unicode text."
            )
        )
    return BadJSON("bad_text", message % {"field": field}, document)


def _named(field):
    """Whether the top-level field a problem is in has a plain name, to say where it is (a name is never the
    client's content)."""
    return field is not None and _FIELD_NAME.match(field) is not None
