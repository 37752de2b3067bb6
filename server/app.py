"""Flask application factory: settings in, a ready app out (model loaded, store opened).

Everything slow or fallible happens here, at start-up, so a misconfigured server refuses to
start with a clear message instead of failing on its first request.
"""

from __future__ import annotations

import logging

from flask import Flask

from server.access import install_access_control
from server.config import Settings
from server.errors import register_error_handlers
from server.feedback import FeedbackStore
from server.model_holder import ModelHolder
from server.routes import api


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False  # keep the documented field order: model, page, claims, timing_ms
    app.extensions["credibility"] = {
        "settings": settings,
        "model": ModelHolder(settings.model_path),
        "feedback": FeedbackStore(settings.feedback_db),
    }
    register_error_handlers(app)
    install_access_control(app, settings)
    app.register_blueprint(api)
    return app
