"""`python -m server`: the production server (gunicorn, one sync worker per core by default).

Sync workers because scoring is CPU-bound and each request then runs on a worker's main
thread, where the per-request time budget (SIGALRM) works. The app is built once in the
master first, so a bad model path, card or database stops the start with a clear message
instead of a loop of crashing workers.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from model.artifact import ModelError
from server.app import create_app
from server.config import Settings, add_arguments
from server.feedback import FeedbackStoreError


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        workers = self.settings.workers or os.cpu_count() or 1
        options: dict[str, Any] = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": workers,
            "worker_class": "sync",
            "timeout": int(self.settings.request_timeout * 3) + 30,
            "graceful_timeout": 30,
            "loglevel": self.settings.log_level,
            "accesslog": "-" if self.settings.log_level == "debug" else None,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app(self.settings)


def parse_args(argv: list[str] | None) -> tuple[Settings, bool]:
    """The settings, and whether --insecure-no-key was given."""
    parser = argparse.ArgumentParser(
        prog="python -m server",
        description="Serve the claim-credibility HTTP API (POST /v1/score, /v1/feedback; GET /v1/health, "
        "/v1/model, /openapi.json) with a production WSGI server. Every flag can also be set by the "
        "environment variable named in its help; flags win.",
    )
    add_arguments(parser)
    parser.add_argument(
        "--insecure-no-key",
        action="store_true",
        help="serve on an address other than loopback without CREDIBILITY_API_KEY (anyone who reaches "
        "it can then reload the model and send feedback); refused without this flag",
    )
    args = vars(parser.parse_args(argv))
    insecure = args.pop("insecure_no_key")
    return Settings.from_env(**args), insecure


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def start_problem(settings: Settings, insecure: bool) -> str | None:
    """Why the server must not start, in words, or None: checked before anything is loaded."""
    if not settings.api_key and not is_loopback(settings.host) and not insecure:
        return (
            f"refusing to serve on {settings.host} without an API key: anyone who reaches it could reload "
            "the model; set CREDIBILITY_API_KEY (or --api-key), or pass --insecure-no-key if you mean it"
        )
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((settings.host.strip("[]"), settings.port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {settings.port} is in use on {settings.host} (is another server running?)"
            return f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}"
    return None


def main(argv: list[str] | None = None) -> int:
    settings, insecure = parse_args(argv)
    problem = start_problem(settings, insecure)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        create_app(settings)
    except (ModelError, FeedbackStoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"serving on http://{settings.host}:{settings.port} (model {settings.model_path.name})", flush=True)
    _Gunicorn(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
