"""Who may call and how often: API key, per-client rate limit, CORS and security headers.

The rate limiter lives in each worker's memory (no shared store to run), so with N workers a
client can reach at most N times the configured rate; it exists to stop one runaway client,
not to meter usage.
"""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections import OrderedDict

from flask import Flask, Request, Response, request

from server.config import Settings
from server.errors import ApiError

OPEN_PATHS = frozenset({"/v1/health", "/openapi.json"})
MAX_TRACKED_CLIENTS = 10_000
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


class RateLimiter:
    """Token bucket per client address: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: float | None = None) -> int:
        """0 when the request may go ahead, else whole seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > MAX_TRACKED_CLIENTS:
                self._buckets.popitem(last=False)
        return 0 if allowed else math.ceil((1.0 - tokens) / self.rate)


def check_api_key(req: Request, api_key: str) -> None:
    if not api_key or req.path in OPEN_PATHS or req.method == "OPTIONS":
        return
    given = req.headers.get("X-API-Key", "")
    if not hmac.compare_digest(given.encode(), api_key.encode()):
        raise ApiError(401, "unauthorized", "a valid X-API-Key header is required")


def install_access_control(app: Flask, settings: Settings) -> None:
    limiter = RateLimiter(settings.rate_limit) if settings.rate_limit > 0 else None

    @app.before_request
    def _guard() -> None:
        check_api_key(request, settings.api_key)
        if limiter and request.path not in OPEN_PATHS:
            wait = limiter.retry_after(request.remote_addr or "?")
            if wait:
                raise ApiError(
                    429, "rate_limited", "too many requests; slow down", {"Retry-After": str(wait)}
                )

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        origin = request.headers.get("Origin")
        if origin and origin in settings.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, X-API-Key"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Max-Age"] = "600"
            response.headers["Vary"] = "Origin"
        return response
