"""The one JSON error shape, `{"error": {"code", "message"}}`, for every failure.

Handlers are registered for Werkzeug's HTTP errors too (404, 405, 413 from the body-size
limit), so no client ever gets an HTML error page or a traceback.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a client can act on: HTTP status, a stable machine code and a plain message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            return error_response(413, "too_large", f"the request body is larger than {limit} bytes")
        # Keep the headers the error carries (a 405's Allow), but the body is ours, and JSON.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        code = _HTTP_CODES.get(status, "http_error")
        return error_response(status, code, error.description or error.name, headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # Type and place only: a message or traceback could quote the page being scored.
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        log.error("unhandled %s at %s while serving a request", type(error).__name__, where)
        return error_response(500, "internal", "the server failed on this request; it has been logged")
