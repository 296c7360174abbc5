"""The served OpenAPI schema's finishing touches, run by drf-spectacular after it built the schema
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"], so `manage.py spectacular` writes the same document as
/api/v1/schema/ serves):

- every step kind's configuration is a component of its own, generated from its model in workshops.steps
  (the models that validate it), and a step is a oneOf by `kind`: a client knows what `config` holds for each kind;
- every request body, and every object nested in one, says additionalProperties: false, as the API answers: an
  unknown field is a 400 (workshops.api.fields.InputSerializer).

The enums' names are settled by ENUM_NAME_OVERRIDES in config/settings.py (so the schema says WorkshopStatusEnum,
not Status4b6Enum); this runs after drf-spectacular's enum hook, so the one-value `kind` of each step variant stays
inline.

The document is English, as its descriptions are written, whatever the reader's language (SchemaView): the choice
labels and error texts it quotes would otherwise follow Accept-Language. drf-spectacular's ?lang= asks for another.
"""

import copy

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from pydantic.json_schema import model_json_schema

from workshops.steps import KINDS

REF = "#/components/schemas/"


def _oas30(schema):
    """Pydantic's JSON Schema as OpenAPI 3.0 says it: `nullable` instead of a null type, `enum` instead of
    `const`, no generated titles."""
    if isinstance(schema, list):
        return [_oas30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: _oas30(value) for key, value in schema.items() if key != "title"}
    if "properties" in schema:  # property names are data here, not keywords
        schema["properties"] = {name: _oas30(value) for name, value in schema["properties"].items()}
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    options = schema.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        del schema["anyOf"]
        if len(rest) == 1 and "$ref" not in rest[0]:
            schema.update(rest[0])
        else:
            schema["allOf" if len(rest) == 1 else "anyOf"] = rest
        schema["nullable"] = True
    return schema


def config_components():
    """{name: schema} of each step kind's configuration and the objects inside one (ScaleRange, ...)."""
    components = {}
    for kind in KINDS:
        schema = model_json_schema(kind.config, ref_template=REF + "{model}", mode="validation")
        for name, nested in schema.pop("$defs", {}).items():
            components[name] = _oas30(nested)
        schema["description"] = f"The configuration of a step of kind {kind.name} ({kind.label}). " + (
            schema.get("description") or ""
        )
        components[kind.config.__name__] = _oas30(schema)
    return components


def _camel(name):
    return "".join(part.title() for part in name.split("_"))


def _step_variants(base, name, components, *, request):
    """The step component `name` (built from its serializer) as a oneOf of one variant per kind, each with its
    `kind` fixed and its `config` the kind's own component."""
    mapping = {}
    for kind in KINDS:
        config = components[kind.config.__name__]
        variant = copy.deepcopy(base)
        variant.pop("description", None)
        variant["description"] = f"A step of kind {kind.name}: {kind.label}."
        variant["properties"]["kind"] = {"type": "string", "enum": [kind.name]}
        variant["properties"]["config"] = {"$ref": REF + kind.config.__name__}
        required = set(variant.get("required", []))
        if config.get("required") or not request:
            required.add("config")
        variant["required"] = sorted(required)
        if request:
            variant["additionalProperties"] = False
        variant_name = f"{_camel(kind.name)}{name}"
        components[variant_name] = variant
        mapping[kind.name] = REF + variant_name
    components[name] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "kind", "mapping": mapping},
        "description": "A step: `kind` says which, and which configuration `config` holds.",
    }


def _referenced(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            found.add(ref.removeprefix(REF))
        for value in node.values():
            _referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, found)
    return found


def _request_components(result, components):
    """Names of the components that a request body holds, nested ones too."""
    bodies = [
        operation["requestBody"]
        for item in result.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    pending, seen = _referenced(bodies, set()), set()
    while pending:
        name = pending.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        pending |= _referenced(components[name], set())
    return seen


def finish_schema(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in config_components().items():
        if components.get(name, schema) != schema:
            raise ValueError(f"two components named {name}")
        components[name] = schema
    for name, is_request in (("StepInput", True), ("StepOutput", False)):
        if name in components:
            _step_variants(components[name], name, components, request=is_request)
    for name in _request_components(result, components):
        if components[name].get("type") == "object" and "properties" in components[name]:
            components[name]["additionalProperties"] = False
    unused = {"StepKindEnum"} - _referenced(result, set())  # the kinds are each variant's own now
    for name in unused:
        components.pop(name, None)
    return result


class SchemaView(SpectacularAPIView):
    """/api/v1/schema/: in English unless ?lang= names another language (see the module's docstring)."""

    @extend_schema(exclude=True)  # as drf-spectacular's own view: the schema does not list itself
    def get(self, request, *args, **kwargs):
        with translation.override(request.GET.get("lang") or settings.LANGUAGE_CODE):
            return super().get(request, *args, **kwargs)
