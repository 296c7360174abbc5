"""What is written about the live protocol is generated from the command registry and the step kinds, and a
checked-in copy that differs from what they make now fails here: docs/protocol.md's tables, the frontend's schema
(frontend/src/shared/protocol.schema.json) and its TypeScript types (protocol.ts). Regenerate them with
`python manage.py protocol_docs` and `npm run protocol` (in frontend/)."""

import shutil
import subprocess

import pytest

from realtime import protocol_docs
from realtime.protocol import protocol_schema
from realtime.registry import REGISTRY
from tests.test_function_lengths_frontend import FRONTEND


def test_the_checked_in_docs_and_frontend_schema_are_what_the_registry_makes():
    assert protocol_docs.stale() == [], "run: python manage.py protocol_docs"


def test_a_command_changed_in_the_registry_makes_the_docs_stale():
    current = protocol_docs.DOCS.read_text()
    edited = current.replace("| `couple.done` | participant | `done` |", "| `couple.done` | facilitator | `done` |")
    assert edited != current
    assert protocol_docs.protocol_md(edited) == current


def test_every_command_is_in_the_docs_the_schema_and_the_served_protocol():
    table = protocol_docs.client_messages_table()
    schema = protocol_docs.frontend_schema()
    served = protocol_schema()
    for name, command in REGISTRY.items():
        assert f"| `{name}` | {command.role} |" in table
        assert schema["x-command-roles"][name] == command.role
        assert served["x-commands"][name] == {"role": command.role}


def test_the_checked_in_typescript_types_are_what_the_schema_makes():
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "json-schema-to-typescript").is_dir():
        pytest.skip("node or frontend/node_modules is missing (cd frontend && npm ci)")
    checked = subprocess.run(
        [node, "scripts/protocol-types.mjs", "--check"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
