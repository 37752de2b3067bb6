"""Schemathesis against the server's own /openapi.json: no server errors, every response as documented.

Schemathesis reads the document the server serves, generates requests from it (valid ones and,
in negative mode, ones that break it) and checks each answer: no 5xx, a documented status and
content type, a body valid against the response schema, valid data accepted, invalid refused.
It calls the app through WSGI, the same code gunicorn runs, so the run stays fast enough for CI.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from server.openapi import openapi_document


@pytest.fixture(scope="module")
def api_schema(app: Flask) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.fixture(scope="module")
def live_schema(live_server: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(live_server + "/openapi.json")


in_process = schemathesis.pytest.from_fixture("api_schema")
# Not reload: over HTTP it restarts the shared server's workers under the other tests' feet.
over_http = schemathesis.pytest.from_fixture("live_schema").exclude(path="/v1/model/reload")
QUICK = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def call_and_validate(case: schemathesis.Case) -> None:
    # A raw text/html body is a page whatever its bytes; the "wrong type" bodies that negative
    # mode sends there ('{}', '[]') are pages too, so only JSON bodies must be refused.
    raw_page = case.media_type == "text/html"
    case.call_and_validate(excluded_checks=[negative_data_rejection] if raw_page else [])


@in_process.parametrize()
@settings(QUICK, max_examples=80)
def test_every_operation_conforms_to_the_document(case: schemathesis.Case) -> None:
    call_and_validate(case)


@pytest.mark.e2e
@over_http.parametrize()
@settings(QUICK, max_examples=10)
def test_the_production_server_conforms_too(case: schemathesis.Case) -> None:
    """Through gunicorn over loopback, where its own parsing and headers come into play."""
    call_and_validate(case)


def test_the_document_covers_every_route(app: Flask) -> None:
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes == set(openapi_document()["paths"])
