"""The OpenAPI schema and its browsable docs, which must work without internet."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.support import ROOT
from workshops.steps import KINDS, STEP_KINDS


@pytest.fixture
def schema(anonymous, db):
    response = anonymous.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def test_schema_is_openapi_3_and_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Attune API"
    assert len(list(operations(schema))) == 62
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_operation_documents_its_errors(schema):
    for method, path, operation in operations(schema):
        codes = set(operation["responses"])
        assert any(code.startswith("2") for code in codes), (method, path)
        public = path.startswith("/api/v1/public/") or (method, path) == ("post", "/api/v1/auth/token/")
        if not public:
            assert "401" in codes, (method, path)
        if "{slug}" in path:
            assert {"403", "404"} <= codes, (method, path)
        if "requestBody" in operation:
            assert {"400", "415"} <= codes, (method, path)
            assert list(operation["requestBody"]["content"]) == ["application/json"], (method, path)
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_public_operations_need_no_credentials(schema):
    assert "security" not in schema  # no default requirement: each operation states its own
    for method, path, operation in operations(schema):
        public = path.startswith("/api/v1/public/") or (method, path) == ("post", "/api/v1/auth/token/")
        assert ("security" in operation) is not public, (method, path)


def test_session_times_are_documented_as_date_times(schema):
    session = schema["components"]["schemas"]["SessionOutput"]["properties"]
    for name in ("starts_at", "ends_at", "starts_at_local", "ends_at_local"):
        assert session[name]["format"] == "date-time"
    assert session["join_code"]["readOnly"] is True


def test_docs_load_every_asset_from_this_server(anonymous, db):
    response = anonymous.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r"""(?:src|href)=["'](https?:)?//[^"']+""", html)
    assert external == []
    assets = re.findall(r"""["'](/static/[^"']+)["']""", html)
    assert any("drf_spectacular_sidecar" in asset for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "/api/v1/schema/" in html


# ---- The schema as a client generator reads it ------------------------------------------------------------------


def test_manage_py_spectacular_validates_without_a_warning_and_writes_the_served_schema(schema, tmp_path):
    written = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(written))
    assert json.loads(written.read_text()) == schema


def test_each_choice_set_has_one_plain_name(schema):
    enums = sorted(name for name in schema["components"]["schemas"] if name.endswith("Enum"))
    assert enums == [
        "EnrollmentStatusEnum",
        "FormatEnum",
        "InvitationStateEnum",
        "LanguageEnum",
        "MoveDirectionEnum",
        "OfferStatusEnum",
        "PlaceStatusEnum",
        "PromptKindEnum",
        "QuestionKindEnum",
        "ReportGroupKindEnum",
        "RoleEnum",
        "WorkshopStatusEnum",
    ]
    properties = schema["components"]["schemas"]["OrganizationOutput"]["properties"]
    assert properties["my_role"] == {"allOf": [{"$ref": "#/components/schemas/RoleEnum"}], "readOnly": True}


def test_every_request_body_refuses_fields_it_does_not_list(schema):
    components = schema["components"]["schemas"]
    bodies = [
        operation["requestBody"]["content"]["application/json"]["schema"]
        for _, _, operation in operations(schema)
        if "requestBody" in operation
    ]
    pending, seen = [body["$ref"].rsplit("/", 1)[1] for body in bodies], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        component = components[name]
        if "oneOf" in component:
            pending += [option["$ref"].rsplit("/", 1)[1] for option in component["oneOf"]]
            continue
        if component.get("type") != "object":
            continue  # an enum
        assert component["additionalProperties"] is False, name
        pending += re.findall(r"#/components/schemas/(\w+)", json.dumps(component["properties"]))
    assert {"ExerciseInput", "StepInput", "ReflectionStepInput", "ScaleRange", "ProgramItemInput"} <= seen
    assert {"SurveyInput", "PatchedSurveyInput", "SurveyPromptInput", "SurveyScaleInput"} <= seen


@pytest.mark.parametrize("direction", ["Input", "Output"])
def test_a_step_is_one_of_its_kinds_each_with_its_own_configuration(schema, direction):
    components = schema["components"]["schemas"]
    step = components[f"Step{direction}"]
    mapping = step["discriminator"]["mapping"]
    assert step["discriminator"]["propertyName"] == "kind"
    assert list(mapping) == list(STEP_KINDS)
    assert step["oneOf"] == [{"$ref": ref} for ref in mapping.values()]
    for kind in KINDS:
        variant = components[mapping[kind.name].rsplit("/", 1)[1]]
        assert variant["properties"]["kind"] == {"type": "string", "enum": [kind.name]}
        config = variant["properties"]["config"]["$ref"].rsplit("/", 1)[1]
        assert config == kind.config.__name__
        assert components[config]["additionalProperties"] is False
        required = bool(components[config].get("required")) or direction == "Output"
        assert ("config" in variant["required"]) is required, kind.name
    assert "StepKindEnum" not in components


def test_the_step_configurations_say_what_each_kind_holds(schema):
    components = schema["components"]["schemas"]
    assert components["ReflectionConfig"]["required"] == ["prompts"]
    prompts = components["ReflectionConfig"]["properties"]["prompts"]
    assert (prompts["type"], prompts["minItems"], prompts["maxItems"]) == ("array", 1, 6)
    assert prompts["items"]["maxLength"] == 2000
    poll = components["PollConfig"]["properties"]
    assert poll["poll_kind"]["enum"] == ["scale", "single", "multiple", "words", "text"]
    assert poll["scale"] == {
        "allOf": [{"$ref": "#/components/schemas/ScaleRange"}],
        "nullable": True,
        "default": None,
    }
    assert components["ScaleRange"]["required"] == ["min", "max", "min_label", "max_label"]
    phase = components["DialoguePhase"]["properties"]
    assert phase["key"]["enum"] == ["summarize", "state", "explore", "agree"]
    assert (phase["seconds"]["minimum"], phase["seconds"]["maximum"]) == (15, 1800)
    assert components["InstructionConfig"]["properties"] == {}
    assert "Private reflection" in components["ReflectionConfig"]["description"]
    assert not re.search(r'"title"', json.dumps([components[k.config.__name__] for k in KINDS]))


def test_the_conventions_are_in_the_schema_description(schema):
    description = schema["info"]["description"]
    assert description == (ROOT / "docs" / "api.md").read_text()
    for words in ("unknown_field", "?page_size=", "from 1 to 200", "?starts_after=", "ünïcødé-пары-夫婦"):
        assert words in description
