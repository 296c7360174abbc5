"""Serializers and schema pieces shared by several API modules."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error answer has this shape."""

    detail = serializers.CharField(help_text="A message for the person; names the field when there is one.")
    field = serializers.CharField(allow_null=True, help_text="Dotted path of the input at fault, e.g. steps.0.title.")
    code = serializers.CharField(help_text="Machine-readable reason, e.g. session_overlap, not_allowed.")
    errors = serializers.JSONField(required=False, help_text="Validation errors keyed by field (DRF's shape).")

    class Meta:
        ref_name = "Error"


def errors(*codes):
    """OpenAPI responses for the given error status codes."""
    descriptions = {
        400: "Invalid input or refused by a rule of the domain; `field` names the input.",
        401: "Not authenticated.",
        403: "Your role in this organization does not allow this.",
        404: "No such object (or it belongs to another organization).",
        413: "The request body is too large.",
        415: "Send application/json.",
        429: "Too many requests; retry later.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes}


READ = (401, 403, 404)
WRITE = (400, 401, 403, 404, 413, 415)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def example(name, value):
    """A request body example for the docs (schemathesis sends it too)."""
    return OpenApiExample(name, value=value, request_only=True)
