"""LOG_FORMAT=json: one JSON object a line, the request log's fields structured, and the same privacy rule as the
plain lines (config/middleware.py: URL patterns, never raw paths)."""

import io
import json
import logging
import time

import httpx
from django.conf import settings
from django.http import HttpResponseServerError
from django.test import RequestFactory
from django.urls import resolve
from django.utils.log import log_response
from pythonjsonlogger.json import JsonFormatter

from config.middleware import DropRawPathFilter

MARKER = "SECRET-IN-A-PATH-5c1d"


def _records(served, wanted, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        text = served.log.read_text()
        records = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
        if wanted(records) or time.monotonic() > deadline:
            return text, records
        time.sleep(0.05)


def test_a_real_requests_log_line_is_json_with_method_route_status_and_ms(served):
    assert httpx.get(f"{served.base}/healthz", params={"who": MARKER}).status_code == 200
    # The served process's database is empty: a capability link answers a real 500.
    assert httpx.get(f"{served.base}/live/pair/{MARKER}", headers={"Cookie": f"sessionid={MARKER}"}).status_code == 500
    assert httpx.get(f"{served.base}/no-such/{MARKER}").status_code == 404

    def logged(records):
        routes = {r.get("route") for r in records if r.get("logger") == "attune.request"}
        return {"/healthz", "/live/pair/<str:code>", "<unmatched>"} <= routes

    text, records = _records(served, logged)
    assert logged(records)
    healthz = next(r for r in records if r.get("route") == "/healthz")
    assert healthz["method"] == "GET"
    assert healthz["status"] == 200
    assert isinstance(healthz["ms"], float) and healthz["ms"] >= 0
    assert healthz["level"] == "INFO"
    assert healthz["message"] == f"GET /healthz 200 {healthz['ms']:.1f}ms"
    assert set(healthz) >= {"time", "level", "logger", "message", "method", "route", "status", "ms"}
    unmatched = next(r for r in records if r.get("route") == "<unmatched>")
    assert (unmatched["method"], unmatched["status"]) == ("GET", 404)
    error = next(r for r in records if r.get("logger") == "django.request")
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /live/pair/<str:code>"
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert "request" not in error
    assert not [r for r in records if r["logger"].startswith("uvicorn") and r["level"] == "INFO"]  # as --log-level
    assert MARKER not in text  # neither the capability link's code, nor the query string, nor the cookie


def test_an_error_record_from_django_keeps_no_raw_path_in_json():
    """Django's own 500 record carries the request (whose repr holds the raw path) and the path as its argument:
    in JSON the path is the route and the request object is left out."""
    handler = logging.StreamHandler(io.StringIO())
    options = {key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"}
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(DropRawPathFilter())
    request = RequestFactory().get(f"/i/{MARKER}")
    request.resolver_match = resolve(request.path)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        log_response("Internal Server Error: %s", request.path, response=HttpResponseServerError(), request=request)
    finally:
        logger.removeHandler(handler)
    line = handler.stream.getvalue()
    record = json.loads(line)
    assert record["message"] == "Internal Server Error: /i/<str:token>"
    assert record["level"] == "ERROR"
    assert record["status_code"] == 500
    assert "request" not in record
    assert MARKER not in line


def test_json_is_chosen_by_log_format_and_plain_is_the_default():
    assert settings.LOG_FORMAT == "plain"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert settings.LOGGING["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"


def _request_log_record(path, status):
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "%s: %s", ("Service Unavailable", path), None
    )
    record.status_code, record.request = status, RequestFactory().get(path)
    return record


def test_readyz_503_is_not_logged_as_an_error_but_other_5xx_are():
    keep = DropRawPathFilter()
    assert keep.filter(_request_log_record("/readyz", 503)) is False  # the probe's answer names the failing part
    assert keep.filter(_request_log_record("/readyz", 500)) is True
    assert keep.filter(_request_log_record("/live/api/enter", 503)) is True
