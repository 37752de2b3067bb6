"""Read and validate the body of a request into plain values, or raise the matching ApiError.

The rules are the API's: JSON with exactly one of `html`/`text` (and an optional `url`), or a raw
`text/html` body; anything else is named precisely so a caller can fix it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Request

from model.decode import decode_html
from model.types import LABELS
from server.errors import ApiError

MAX_URL_CHARS = 4096
MAX_SENTENCE_CHARS = 5000
# JSON can carry a lone UTF-16 surrogate ("\ud800"), which no encoder, parser or database accepts.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ScoreRequest:
    kind: str  # "html" or "text"
    content: str
    url: str | None


def score_request(request: Request) -> ScoreRequest:
    mimetype = request.mimetype
    if mimetype in ("text/html", "application/xhtml+xml"):
        raw = request.get_data(cache=False)
        return ScoreRequest("html", decode_html(raw, request.mimetype_params.get("charset")), None)
    body = json_object(request)
    _no_unknown_fields(body, {"html", "text", "url"})
    present = [key for key in ("html", "text") if key in body]
    if len(present) != 1:
        raise ApiError(422, "invalid_field", "send exactly one of the fields 'html' and 'text'")
    kind = present[0]
    content = _string(body, kind, required=True, max_chars=None)
    return ScoreRequest(kind, content.replace("\x00", ""), _string(body, "url", max_chars=MAX_URL_CHARS))


def feedback_request(request: Request) -> dict[str, Any]:
    """A reader's correction: the sentence, its page, the reader's label and what the model said."""
    body = json_object(request)
    _no_unknown_fields(body, {"url", "text", "label", "model_label", "probability", "model_version"})
    record: dict[str, Any] = {
        "url": _string(body, "url", max_chars=MAX_URL_CHARS) or "",
        "text": _string(body, "text", required=True, max_chars=MAX_SENTENCE_CHARS),
        "label": _label(body, "label", required=True),
        "model_label": _label(body, "model_label"),
        "model_version": _string(body, "model_version", max_chars=200) or "",
        "probability": _probability(body.get("probability")),
    }
    return record


def json_object(request: Request) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            "send Content-Type: application/json (or text/html with a raw page for /v1/score)",
        )
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise ApiError(400, "empty_body", "the request body is empty")
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", f"the body is not valid UTF-8 JSON: {_short(exc)}") from None
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "the JSON body must be an object")
    return body


def _short(exc: Exception) -> str:
    return str(exc).split(":")[0][:120] if isinstance(exc, json.JSONDecodeError) else type(exc).__name__


def _no_unknown_fields(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            422, "invalid_field", f"unknown field '{unknown[0]}'; allowed: {', '.join(sorted(allowed))}"
        )


def _string(
    body: dict[str, Any], name: str, required: bool = False, max_chars: int | None = None
) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(422, "invalid_field", f"field '{name}' is required")
        return None
    if not isinstance(value, str):
        raise ApiError(422, "invalid_field", f"field '{name}' must be a string")
    value = _without_lone_surrogates(value)
    if required and not value.strip():
        raise ApiError(422, "invalid_field", f"field '{name}' must not be empty")
    if max_chars is not None and len(value) > max_chars:
        raise ApiError(422, "invalid_field", f"field '{name}' is longer than {max_chars} characters")
    return value


def _without_lone_surrogates(value: str) -> str:
    """`value` with each lone surrogate replaced by U+FFFD.

    The regex scan costs ~10 ms per MB; ASCII text cannot hold one and UTF-8 encoding (C speed)
    fails on one, so the scan only runs on text that has one.
    """
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", value)
    return value


def _label(body: dict[str, Any], name: str, required: bool = False) -> str:
    value = _string(body, name, required=required)
    if value is None:
        return ""
    if value not in LABELS:
        raise ApiError(422, "invalid_field", f"field '{name}' must be one of {', '.join(LABELS)}")
    return value


def _probability(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ApiError(422, "invalid_field", "field 'probability' must be a number from 0 to 1")
    return float(value)


def threshold_param(raw: str | None) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ApiError(422, "invalid_parameter", "query parameter 'threshold' must be a number from 0 to 1")
    return value
