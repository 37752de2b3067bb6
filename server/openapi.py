"""The OpenAPI 3.1 document of the HTTP API, served at /openapi.json.

Written out by hand, next to the routes, because it is also the contract the fuzz tests check
every response against: a generated one would only restate whatever the code happens to do.
"""

from __future__ import annotations

from functools import cache
from typing import Any

LABEL = {"type": "string", "enum": ["unsupported", "supported", "neutral"]}
MODEL_ID = {
    "type": "object",
    "required": ["name", "version", "sha256"],
    "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "sha256": {"type": "string"}},
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
CLAIM = {
    "type": "object",
    "required": ["text", "label", "probability", "block", "start", "end", "reasons"],
    "properties": {
        "text": {
            "type": "string",
            "description": "the sentence as it reads on the page, whitespace collapsed",
        },
        "label": LABEL,
        "probability": {"type": "number", "minimum": 0, "maximum": 1, "description": "P(unsupported)"},
        "block": {"type": "integer", "minimum": 0, "description": "index of the main-text block"},
        "start": {"type": "integer", "minimum": 0, "description": "offset in the block's extracted text"},
        "end": {"type": "integer", "minimum": 0},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "match": {
            "type": "object",
            "description": "on flagged sentences that resemble one: the known refuted claim of the "
            "project's myth list, with the consensus against it and the public health page that says so",
            "required": ["claim", "verdict", "consensus", "source", "topic"],
            "properties": {
                "claim": {"type": "string"},
                "verdict": {"type": "string", "enum": ["false"]},
                "consensus": {"type": "string"},
                "source": {"type": "string", "description": "public health authority and page name"},
                "topic": {"type": "string"},
            },
        },
    },
}
SCORE_RESPONSE = {
    "type": "object",
    "required": ["model", "page", "claims", "timing_ms"],
    "properties": {
        "model": MODEL_ID,
        "page": {
            "type": "object",
            "required": [
                "url",
                "title",
                "language",
                "score",
                "verdict",
                "sentences",
                "unsupported",
                "supported",
            ],
            "properties": {
                "url": {"type": "string"},
                "title": {"type": "string"},
                "language": {"type": "string", "description": "'en', or 'und' when there is too little text"},
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "verdict": {"type": "string", "enum": ["none-found", "mixed", "unsupported-claims"]},
                "sentences": {"type": "integer", "minimum": 0},
                "unsupported": {"type": "integer", "minimum": 0},
                "supported": {"type": "integer", "minimum": 0},
            },
        },
        "claims": {"type": "array", "items": CLAIM},
        "timing_ms": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}
# The server reads a JSON null in an optional field as the field left out, and refuses a
# required text that is only whitespace; the schemas say both, so generated clients agree.
NOT_BLANK = {"type": "string", "pattern": "\\S"}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    enum = {"enum": [*schema["enum"], None]} if "enum" in schema else {}
    return {**schema, "type": [schema["type"], "null"], **enum}


SCORE_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "html": {**NOT_BLANK, "description": "the page's HTML"},
        "text": {**NOT_BLANK, "description": "plain text, one paragraph per line"},
        "url": _optional(
            {"type": "string", "maxLength": 4096, "description": "for reporting only; never fetched"}
        ),
    },
    "oneOf": [{"required": ["html"]}, {"required": ["text"]}],
}
FEEDBACK_BODY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text", "label"],
    "properties": {
        "url": _optional({"type": "string", "maxLength": 4096}),
        "text": {**NOT_BLANK, "maxLength": 5000},
        "label": LABEL,
        "model_label": _optional(LABEL),
        "probability": _optional({"type": "number", "minimum": 0, "maximum": 1}),
        "model_version": _optional({"type": "string", "maxLength": 200}),
    },
}


def _errors(*statuses: int) -> dict[str, Any]:
    reasons = {
        400: "malformed body (empty, not JSON)",
        401: "API key set on the server and missing or wrong",
        409: "the new model could not be loaded; the old one is still served",
        413: "body over the size limit",
        415: "unsupported content type",
        422: "valid JSON with wrong fields, or a page in an unsupported language",
        429: "rate limit reached; see Retry-After",
        503: "scoring exceeded the per-request time budget",
    }
    json_error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {str(s): {"description": reasons[s], "content": json_error} for s in statuses}


def _status_with_model(status: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["status", "model"],
        "properties": {"status": {"const": status}, "model": MODEL_ID},
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@cache
def openapi_document() -> dict[str, Any]:
    key_errors = (401, 429)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Claim-credibility service",
            "version": "1.0.0",
            "description": "Flags unsupported health claims in web pages, sentence by sentence.",
        },
        "components": {
            "schemas": {"Error": ERROR, "ScoreResponse": SCORE_RESPONSE, "Claim": CLAIM},
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        },
        "security": [{}, {"apiKey": []}],
        "paths": {
            "/v1/score": {
                "post": {
                    "summary": "Score a page (HTML or text); lists unsupported sentences, or all with ?all=1",
                    "parameters": [
                        {
                            "name": "all",
                            "in": "query",
                            "description": "1, true or yes: every sentence; otherwise only unsupported ones",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "threshold",
                            "in": "query",
                            "description": "decision threshold on P(unsupported); empty uses the model's",
                            "schema": {
                                "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"const": ""}]
                            },
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": SCORE_BODY},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/ScoreResponse"}, "the scored page"),
                        **_errors(400, 413, 415, 422, 503, *key_errors),
                    },
                }
            },
            "/v1/feedback": {
                "post": {
                    "summary": "Record a reader's correction of a sentence's label",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": FEEDBACK_BODY}},
                    },
                    "responses": {
                        "201": _json(
                            {
                                "type": "object",
                                "required": ["id", "count"],
                                "properties": {"id": {"type": "integer"}, "count": {"type": "integer"}},
                            },
                            "stored; `count` is how many times this same correction has been sent",
                        ),
                        **_errors(400, 413, 415, 422, *key_errors),
                    },
                }
            },
            "/v1/health": {
                "get": {
                    "summary": "Liveness and the model being served",
                    "security": [{}],
                    "responses": {"200": _json(_status_with_model("ok"), "the server is up")},
                }
            },
            "/v1/model": {
                "get": {
                    "summary": "The model card: data, metrics, threshold, version",
                    "responses": {"200": _json({"type": "object"}, "the card"), **_errors(*key_errors)},
                }
            },
            "/v1/model/reload": {
                "post": {
                    "summary": "Load the model file again (after retraining) and serve it",
                    "responses": {
                        "200": _json(_status_with_model("reloaded"), "the new model is served"),
                        **_errors(409, *key_errors),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [{}],
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
                }
            },
        },
    }
