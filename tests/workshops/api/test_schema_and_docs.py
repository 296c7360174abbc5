"""The OpenAPI schema and its browsable docs, which must work without internet."""

import re

import pytest
from django.contrib.staticfiles import finders


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
    assert len(list(operations(schema))) == 52
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
