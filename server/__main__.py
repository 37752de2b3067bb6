"""`python -m server`: the production server (gunicorn, one sync worker per core by default).

Sync workers because scoring is CPU-bound and each request then runs on a worker's main
thread, where the per-request time budget (SIGALRM) works. The app is built once in the
master first, so a bad model path, card or database stops the start with a clear message
instead of a loop of crashing workers.
"""

from __future__ import annotations

import argparse
import os
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


def parse_args(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(
        prog="python -m server",
        description="Serve the claim-credibility HTTP API (POST /v1/score, /v1/feedback; GET /v1/health, "
        "/v1/model, /openapi.json) with a production WSGI server. Every flag can also be set by the "
        "environment variable named in its help; flags win.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    return Settings.from_env(**vars(args))


def main(argv: list[str] | None = None) -> int:
    settings = parse_args(argv)
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
