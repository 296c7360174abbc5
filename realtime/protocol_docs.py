"""What is written about the live protocol, generated from where it is declared: docs/protocol.md's tables of
client messages and close codes, and frontend/src/shared/protocol.schema.json (the client messages, the step
kinds and their configs, for the frontend's TypeScript types: `npm run protocol` in frontend/ compiles it into
protocol.ts). `python manage.py protocol_docs` writes them; tests/realtime/test_protocol_docs.py fails while a
checked-in copy differs from what the registry (realtime/registry.py) and the step kinds (workshops/steps.py)
make of them.
"""

import json
import re
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic.json_schema import models_json_schema

from realtime.protocol import CLOSE_CODES, COMMANDS, Ping, Sync
from realtime.registry import ANYONE, wire_type
from workshops.steps import KINDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "protocol.md"
SCHEMA = ROOT / "frontend" / "src" / "shared" / "protocol.schema.json"
MESSAGES = [Ping, Sync, *COMMANDS]


def _one_line(text):
    return " ".join((text or "").split())


def _field(name, info):
    """A field as the table shows it: its name (`?` when it may be left out) and its choices, if it has a few."""
    shown = f"`{name}`" + ("" if info.is_required() else "?")
    if get_origin(info.annotation) is Literal:
        shown += " (" + ", ".join(f"`{choice}`" for choice in get_args(info.annotation)) + ")"
    return shown


def client_messages_table():
    rows = ["| type | who | fields | effect |", "|---|---|---|---|"]
    for message in MESSAGES:
        fields = [_field(name, info) for name, info in message.model_fields.items() if name not in ("id", "type")]
        who = getattr(message, "role", ANYONE)
        rows.append(f"| `{wire_type(message)}` | {who} | {', '.join(fields) or '–'} | {_one_line(message.__doc__)} |")
    return "\n".join(rows)


def close_codes_table():
    rows = ["| close code | meaning |", "|---|---|"]
    rows += [f"| {code} | {meaning} |" for code, meaning in CLOSE_CODES.items()]
    return "\n".join(rows)


def _marked(name, content):
    return (
        f"<!-- generated: {name} (python manage.py protocol_docs, from realtime/registry.py) -->\n"
        f"{content}\n<!-- end generated: {name} -->"
    )


def protocol_md(current):
    """docs/protocol.md with its generated tables made anew."""
    for name, content in (("client messages", client_messages_table()), ("close codes", close_codes_table())):
        pattern = re.compile(rf"<!-- generated: {name} .*?<!-- end generated: {name} -->", re.DOTALL)
        if not pattern.search(current):
            raise ValueError(f"docs/protocol.md has no generated section '{name}'")
        current = pattern.sub(lambda _, n=name, c=content: _marked(n, c), current)
    return current


_TYPED = {"type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const"}


def _untitled(schema):
    """The schema without the titles pydantic gives every field (the TypeScript compiler would make each a type
    of its own; the models keep theirs, which name their interfaces), and with a field of any JSON at all (an
    entry's opaque payload, an answer's value) typed `unknown`."""
    if isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for field in properties.values():
                field.pop("title", None)
                if not _TYPED & field.keys():
                    field["tsType"] = "unknown"
        for value in schema.values():
            _untitled(value)
    elif isinstance(schema, list):
        for value in schema:
            _untitled(value)
    return schema


def frontend_schema():
    """One JSON Schema for the frontend's types: the client messages (a union by `type`), the step kinds and each
    kind's config; and, for its constants, who sends which command and what each step kind is. Its root names
    them only so that the TypeScript compiler declares them all: no frame has the root's shape."""
    configs = sorted({kind.config for kind in KINDS}, key=lambda config: config.__name__)
    models = [(model, "validation") for model in [*MESSAGES, *configs]]
    _, definitions = models_json_schema(models, ref_template="#/$defs/{model}")
    defs = _untitled(definitions["$defs"])
    defs["ClientMessage"] = {"title": "ClientMessage", "oneOf": [_ref(message) for message in MESSAGES]}
    defs["StepKind"] = {"title": "StepKind", "type": "string", "enum": [kind.name for kind in KINDS]}
    defs["StepConfig"] = {"title": "StepConfig", "oneOf": [_ref(config) for config in configs]}
    return {
        "title": "ProtocolTypes",
        "description": "The live protocol's types for the apps (this root is no frame; it names them).",
        "type": "object",
        "additionalProperties": False,
        "properties": {name: {"$ref": f"#/$defs/{name}"} for name in ("ClientMessage", "StepKind", "StepConfig")},
        "$defs": defs,
        "x-command-roles": {wire_type(command): command.role for command in COMMANDS},
        "x-step-kinds": {
            kind.name: {
                "label": kind.label,
                "config": kind.config.__name__,
                "entry": kind.entry,
                "private": kind.private,
                "reveal": kind.reveal,
                "poll": kind.poll,
                "couple_phase": kind.couple_phase,
            }
            for kind in KINDS
        },
    }


def _ref(model):
    return {"$ref": f"#/$defs/{model.__name__}"}


def frontend_schema_text():
    return json.dumps(frontend_schema(), indent=2, ensure_ascii=False) + "\n"


def stale():
    """The generated files whose checked-in copy differs from what they would be now."""
    expected = {DOCS: protocol_md(DOCS.read_text()), SCHEMA: frontend_schema_text()}
    return [path for path, text in expected.items() if not path.exists() or path.read_text() != text]


def write():
    """Write the generated files; returns those that changed."""
    changed = stale()
    if DOCS in changed:
        DOCS.write_text(protocol_md(DOCS.read_text()))
    if SCHEMA in changed:
        SCHEMA.write_text(frontend_schema_text())
    return changed
