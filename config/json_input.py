"""JSON from outside (socket frames, the live API's bodies, the REST API's bodies), parsed in one place with limits.

Whatever parses is checked before anything reaches a service or the database: nesting at most MAX_DEPTH deep
(Python's parser and encoder recurse, so a deep document raises RecursionError, not ValueError), no NUL and no
lone UTF-16 surrogate in any text or key (PostgreSQL cannot store either, and UTF-8 cannot encode a surrogate),
and only finite numbers within JavaScript's safe integer range (`1e400` parses to infinity, which the database's
JSON refuses; a 5,000-digit integer makes Python's int() itself refuse). Each refusal has a code
(docs/protocol.md) and a message that names where, never what was sent.
"""

import json
import math
import re

MAX_DEPTH = 32
MAX_SAFE_INTEGER = 2**53  # beyond it a JavaScript client cannot read the number back exactly
_MAX_DIGITS = 20  # more than any limit here has (2**63 has 19)
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


class _NotANumber:
    """What the parser makes of a number refused below (the walk reports it with where it was)."""


_REFUSED_NUMBER = _NotANumber()


def _parse_int(digits):
    # Checked on the digits, before int(): Python refuses to convert more than 4,300 digits (and costs time below).
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        return _REFUSED_NUMBER
    return int(digits)


def _parse_float(text):
    number = float(text)
    return number if math.isfinite(number) else _REFUSED_NUMBER


def _parse_constant(_name):  # NaN, Infinity, -Infinity: Python accepts them, JSON does not
    return _REFUSED_NUMBER


def loads(text, max_integer=MAX_SAFE_INTEGER, nul=False):
    """Parse `text` (str or bytes) and check() it; raises BadJSON. `max_integer=None` and `nul=True` leave
    integers' range and NULs to the caller's own field validation (the REST API's serializers name the field:
    `max_value`, `null_characters_not_allowed`); the depth, numbers that are not finite and lone surrogates
    (which not every field refuses, and which UTF-8 cannot encode) are always checked."""
    parse_int = _parse_int if max_integer is not None else int  # int() refuses more than 4,300 digits itself
    try:
        document = json.loads(text, parse_int=parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except RecursionError:
        raise BadJSON("too_deep", f"Nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError:  # also bytes that are not UTF-8 (UnicodeDecodeError)
        raise BadJSON("bad_json", "That is not valid JSON.") from None
    check(document, max_integer, nul)
    return document


def check(document, max_integer=MAX_SAFE_INTEGER, nul=False):
    """Walk a parsed document without recursion; raise BadJSON at its first refused part."""
    unstorable = _LONE_SURROGATE if nul else _UNSTORABLE
    stack = [(document, 0, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise BadJSON("too_deep", f"Nested more than {MAX_DEPTH} levels deep.", document)
            for key, item in value.items():
                if unstorable.search(key):
                    raise BadJSON("bad_text", f"{_where(field)}a key holds {_WHAT}", document)
                stack.append((item, depth + 1, field if depth else key))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise BadJSON("too_deep", f"Nested more than {MAX_DEPTH} levels deep.", document)
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str):
            if unstorable.search(value):
                raise BadJSON("bad_text", f"{_where(field)}a text holds {_WHAT}", document)
        elif value is _REFUSED_NUMBER or (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and max_integer is not None
            and not (-max_integer <= value <= max_integer)
        ):
            raise BadJSON("bad_number", f"{_where(field)}numbers must be finite and within ±{max_integer}.", document)


_WHAT = "a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; send plain Unicode text."


def _where(field):
    """The top-level field a problem is in, when its name is a plain one (a name is never the client's content)."""
    return f"{field}: " if field is not None and _FIELD_NAME.match(field) else ""
