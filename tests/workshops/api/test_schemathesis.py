"""Property-based tests of every operation of the OpenAPI schema (schemathesis), in-process on the WSGI app.

Valid and invalid inputs, authenticated as an owner of an organization with seeded data: no answer is a
5xx, every answer's status, content type, headers and body are those the schema declares, and input the
schema rules out is refused with a 4xx. Path parameters point at the seeded objects (unless schemathesis
made the path itself invalid), so the operations do real work instead of answering 404.
"""

import copy
import json
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet

from tests.workshops.api.conftest import build_world, seeded_path_parameters


def invisible(secrets):
    """A check: no response shows any of `secrets` (another organization's data)."""

    def other_organization_stays_invisible(ctx, response, case):
        for secret in secrets:
            if secret in response.content:
                raise AssertionError(f"the response shows another organization's data ({secret!r})")

    return other_organization_stays_invisible


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CONFIG = {
    "generation": {"mode": "all", "max-examples": 12},
    "phases": {"stateful": {"enabled": False}},
}


@pytest.fixture
def wsgi_app():
    """The WSGI app on the test's own database connection (as Django's test client does, keep request
    signals from closing the connection that holds the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    world = build_world("Acme")
    other = build_world("Bloom")  # another organization's data, which must stay invisible
    world.other_secrets = [b"@bloom.test", other.live.public_id.encode(), other.draft.public_id.encode()]
    world.token = Token.objects.create(user=world.users["owner"]).key
    return world


def served_schema():
    """The schema as /api/v1/schema/ serves it. Generating it touches no database, so this runs at
    collection and schemathesis makes one test per operation. (Its lazy loader, from_fixture, needs
    pytest's private Node._nodeid, which pytest 9 no longer has.)"""
    response = Client(HTTP_HOST="localhost").get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


schema = schemathesis.openapi.from_dict(served_schema(), config=SchemathesisConfig.from_dict(CONFIG))


@pytest.mark.slow
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=12)
def test_every_operation_keeps_to_the_schema(case, seeded, wsgi_app):
    meta = case.meta
    if case.path_parameters and not (meta and meta.is_negative_at("path")):
        wanted = seeded_path_parameters(case.operation.path, seeded)
        case.path_parameters = {name: wanted.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Token {seeded.token}"},
        checks=[*CHECKS, invisible(seeded.other_secrets)],
    )


# ---- Hostile bodies: every operation's valid body with one part made unstorable or absurd --------------------------

DEPTH = 40  # beyond the 32 levels allowed; a RecursionError deep is in tests/realtime/test_bad_input.py
HOSTILE = [
    ("text", lambda text: text + "\0"),
    ("text", lambda text: "\0" + text),
    ("text", lambda text: text + "\ud800"),
    ("text", lambda text: "\udc00" + text),
    ("any", lambda _: json.loads("[" * DEPTH + "]" * DEPTH)),
    ("any", lambda _: 10**30),
    ("any", lambda _: -(2**64)),
    ("any", lambda _: 1e300),  # (Infinity and NaN, which JSON lacks: tests/realtime/test_bad_input.py)
    ("key", lambda key: key + "\0"),
    ("key", lambda key: "\ud83d" + key),
]


def locations(body, path=()):
    """Every place in a body a value or a key sits: (path, "text" | "any" | "key")."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield (*path, key), "key"
            yield from locations(value, (*path, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from locations(value, (*path, index))
    if path:
        yield path, "text" if isinstance(body, str) else "any"


def spoiled(body, path, kind, change):
    """A copy of `body` with the value (or key) at `path` replaced by change(old)."""
    body = copy.deepcopy(body)
    *parents, last = path
    holder = body
    for step in parents:
        holder = holder[step]
    if kind == "key":
        holder[change(last)] = holder.pop(last)
    else:
        holder[last] = change(holder[last])
    return body


SERVED = served_schema()
WITH_BODY = [
    f"{method.upper()} {path}"
    for path, operations in SERVED["paths"].items()
    for method, operation in operations.items()
    if isinstance(operation, dict) and "requestBody" in operation
]
hostile_schema = schemathesis.openapi.from_dict(
    SERVED,
    config=SchemathesisConfig.from_dict(
        {
            "generation": {"mode": "positive", "max-examples": 6},
            # Only the fuzzing phase draws bodies through hooks (its examples and coverage phases send them as is).
            "phases": {name: {"enabled": False} for name in ("examples", "coverage", "stateful")},
        }
    ),
).include(name=WITH_BODY)


@hostile_schema.hook
def flatmap_body(context, body):
    """Each generated body, with one of its values (or keys, or the whole body) spoiled by one of HOSTILE."""
    if isinstance(body, NotSet):
        return st.just(body)
    places = list(locations(body)) if isinstance(body, dict | list) else []
    choices = [
        (path, kind, change)
        for path, kind in places
        for wanted, change in HOSTILE
        if wanted == kind or (wanted == "any" and kind in ("text", "any"))
    ]
    if not choices:
        return st.just([body, "\0"])  # an empty object still reaches the parser with an unstorable text
    return st.sampled_from(choices).map(lambda choice: spoiled(body, *choice))


def unstorable(value):
    """Whether a NUL or a lone surrogate is anywhere in a parsed JSON value, keys too."""
    if isinstance(value, dict):
        return any(unstorable(key) or unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(unstorable(item) for item in value)
    return isinstance(value, str) and re.search("[\0\ud800-\udfff]", value) is not None


def nothing_unstorable_accepted(ctx, response, case):
    """A check: a spoiled body is refused with a 4xx that says what is wrong (a spoiled key is an unknown field), or
    accepted without what was spoiled: an answer never holds a NUL or a surrogate."""
    body = response.json()
    if 400 <= response.status_code < 500:
        assert body.get("code") and body.get("detail"), f"a {response.status_code} without code and detail"
    else:
        assert not unstorable(body), f"the {response.status_code} answer holds a NUL or a lone surrogate"


@pytest.mark.slow
@hostile_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=6)
def test_every_body_with_a_nul_a_lone_surrogate_deep_nesting_or_a_huge_number_is_a_400_never_a_500(
    case, seeded, wsgi_app
):
    if case.path_parameters:
        wanted = seeded_path_parameters(case.operation.path, seeded)
        case.path_parameters = {name: wanted.get(name, value) for name, value in case.path_parameters.items()}
    if isinstance(case.body, NotSet):
        return  # an optional body left out: nothing spoiled to send
    cache.clear()  # the public endpoints' throttles count every example; each must reach the parser
    case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Token {seeded.token}"},
        checks=[not_a_server_error, nothing_unstorable_accepted],
    )
