"""What every API view shares: authentication, JSON in and out, one error shape, the organization
lookup and the permission check.

Order of checks for an org-scoped request: authenticated (401), the organization is the caller's
(404 otherwise: another organization is invisible), the caller's role allows the action (403), then
the object exists in that organization (404).

Every message is in the caller's language (Accept-Language, the language cookie, or a signed-in staff member's
own: config/i18n.py); codes, field paths and the schema's descriptions stay English.
"""

from collections.abc import Mapping

import django_filters
from django.core.exceptions import RequestDataTooBig
from django.db.models import F
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from config import json_input
from workshops.api.authentication import SessionAuthentication
from workshops.api.fields import InputSerializer, unknown_field_errors
from workshops.errors import DomainError, NotAllowed
from workshops.permissions import require
from workshops.selectors.organizations import organization_of

# ---- Errors ---------------------------------------------------------------------------------------


def _first_error(detail, path=()):
    """(dotted field path, message, code) of the first error in a DRF error structure."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            found = _first_error(value, (*path, str(key)))
            if found:
                return found
        return None
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                found = _first_error(value, (*path, str(index)))
                if found:
                    return found
            elif value:
                return ".".join(path), str(value), getattr(value, "code", "invalid")
        return None
    return ".".join(path), str(detail), getattr(detail, "code", "invalid")


def error_body(detail, *, field=None, code="invalid", errors=None):
    body = {"detail": detail, "field": field, "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


def api_exception_handler(exc, context):
    """DomainError -> 400, NotAllowed -> 403; every other error gets the same shape:
    {"detail": message, "field": dotted path or null, "code": machine code} (+ "errors" for validation)."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.message, field=exc.field, code=exc.code), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response(error_body(str(exc), code="not_allowed"), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        found = _first_error(exc.detail) or ("", _("Invalid input."), "invalid")
        path, message, code = found
        path = path.removesuffix("non_field_errors").rstrip(".")  # a list's own error (too long) names the list
        field = path or None
        response.data = error_body(
            f"{field}: {message}" if field else message, field=field, code=code, errors=exc.detail
        )
    elif isinstance(exc, Http404):
        response.data = error_body(str(exc) or _("Not found."), code="not_found")
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = error_body(str(exc.detail), code=codes if isinstance(codes, str) else "error")
    return response


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


class SafeJSONParser(JSONParser):
    """DRF's JSON parser on config.json_input: absurd nesting (a RecursionError in DRF's own parser: a 500),
    numbers that are not finite (NaN, Infinity, 1e400) and lone surrogates in any text or key (an e-mail field let
    one through to a UnicodeEncodeError: a 500) are a 400 `parse_error`. A NUL and integers' range are left to the
    serializers, which name the field (the step configuration, a free JSON object: workshops.steps)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json_input.loads(stream.read() if stream is not None else b"", nul=True)
        except json_input.BadJSON as refused:
            raise exceptions.ParseError(_("JSON parse error - %(problem)s") % {"problem": refused.message}) from None


# ---- Lists: pagination, filtering, ordering -----------------------------------------------------------


def _whole_number(value):
    return value.isascii() and value.isdigit() and len(value) <= 18


class Pagination(PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (1 to MAX_PAGE_SIZE, PAGE_SIZE without it). A value that is not a whole
    number in range is a 400 naming the parameter (DRF would quietly use the default); a page past the end a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (_whole_number(value) and int(value) >= 1):
            raise exceptions.ValidationError({self.page_query_param: [_("A page is a whole number from 1.")]})
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (_whole_number(size) and 1 <= int(size) <= self.max_page_size):
            refusal = _("A page size is a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [refusal]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "Which page, from 1; a page past the last one answers 404."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = (
                    f"How many results a page holds: from 1 to {self.max_page_size}; {self.page_size} without it."
                )
        return parameters


class StrictOrderingFilter(OrderingFilter):
    """?ordering=<one field or -field>; an unknown field is a 400 instead of being ignored."""

    def _terms(self, view):
        return [term for field in view.ordering_fields for term in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value is None:
            return self.get_default_ordering(view)
        terms = self._terms(view)
        if value not in terms:
            refusal = _("Order by one of: %(fields)s.") % {"fields": ", ".join(terms)}
            raise exceptions.ValidationError({self.ordering_param: [refusal]})
        return [value]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            # Rows without a value (a workshop without sessions has no date) come last either way.
            terms = [
                F(term[1:]).desc(nulls_last=True) if term[0] == "-" else F(term).asc(nulls_last=True)
                for term in ordering
            ]
            return queryset.order_by(*terms, "pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by this field; a leading minus sorts descending.",
                "schema": {"type": "string", "enum": self._terms(view)},
            }
        ]


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, except that an empty value of a choice (?status=) is a 400 instead of no filter."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        for name, declared in (filterset_class.base_filters if filterset_class else {}).items():
            if isinstance(declared, django_filters.ChoiceFilter) and request.query_params.get(name) == "":
                raise exceptions.ValidationError({name: [_("Choose a value, or leave the parameter out.")]})
        return super().filter_queryset(request, queryset, view)


LIST_BACKENDS = [StrictFilterBackend, StrictOrderingFilter]


# ---- Views --------------------------------------------------------------------------------------------


class PublicThrottle(AnonRateThrottle):
    """Per client address, for the unauthenticated endpoints (registration mails, offer answers)."""

    scope = "public"
    rate = "30/minute"


class TokenThrottle(AnonRateThrottle):
    """Per client address, for password guesses at the token endpoint."""

    scope = "auth_token"
    rate = "10/minute"


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """Always answer JSON. DRF's ?format= override is off: `format` is a filter here (workshop format)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(GenericAPIView):
    """Base of every API view: token (401 without it) or session authentication, JSON only, our errors."""

    content_negotiation_class = JSONOnlyNegotiation
    metadata_class = None  # OPTIONS answers 405: the OpenAPI schema describes every endpoint
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser]
    renderer_classes = [JSONRenderer]
    filter_backends = []
    pagination_class = None
    # The methods whose handler reads a JSON body (with `parse`); any other write takes none, and a body sent to it
    # is refused rather than ignored. (tests/workshops/api/test_unknown_fields.py holds it to the schema.)
    reads_body = ()

    def get_exception_handler(self):
        return api_exception_handler

    def is_schema_view(self):
        return getattr(self, "swagger_fake_view", False)

    def paginated(self, queryset, serializer_class):
        """Filtered, ordered and paginated output of a list endpoint."""
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(serializer_class(page, many=True, context=self.context()).data)

    def context(self):
        return {"request": self.request}

    def parse(self, serializer_class, *, partial=False):
        """The request body, validated by `serializer_class` (an InputSerializer: unknown fields are refused).
        Only a method named in `reads_body` has a body to parse."""
        if self.request.method.lower() not in self.reads_body or not issubclass(serializer_class, InputSerializer):
            raise TypeError(f"{type(self).__name__}.{self.request.method.lower()} parses no body with this")
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.method.lower() not in self.reads_body:
            refuse_any_body(request)


def refuse_any_body(request):
    data = request.data
    if data is None or (isinstance(data, Mapping) and not data):
        return  # no body, {} or null
    if isinstance(data, Mapping):
        raise exceptions.ValidationError(unknown_field_errors(data, []))
    raise exceptions.ValidationError([exceptions.ErrorDetail(_("This request takes no body."), code="unknown_field")])


class PublicView(ApiView):
    """Unauthenticated endpoints for couples: no cookies read (so no CSRF), throttled per address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


class OrgView(ApiView):
    """A view under /orgs/{slug}/: the organization must be the caller's, the role must allow `action`."""

    def organization(self, action):
        organization = organization_of(self.request.user, self.kwargs["slug"])
        require(self.request.user, action, organization)
        return organization


# What a missing object answers, by its model (a sentence each: German needs the noun's own article).
NOT_FOUND = {
    "enrollment": gettext_lazy("No such enrollment."),
    "exercise": gettext_lazy("No such exercise."),
    "membership": gettext_lazy("No such membership."),
    "organization": gettext_lazy("No such organization."),
    "program": gettext_lazy("No such program."),
    "registrationquestion": gettext_lazy("No such registration question."),
    "session": gettext_lazy("No such session."),
    "staffinvitation": gettext_lazy("No such staff invitation."),
    "workshop": gettext_lazy("No such workshop."),
}


def get_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(str(NOT_FOUND.get(queryset.model._meta.model_name, _("Not found."))))
    return obj


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no endpoint: a JSON 404 in the API's error shape."""
    return JsonResponse(error_body(_("No such endpoint."), code="not_found"), status=404)
