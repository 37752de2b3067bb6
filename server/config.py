"""Server settings: one table that feeds the environment parser, `--help` and the README.

Every setting has a safe default (loopback only, no CORS origins, no API key, a few MB per
request) so that starting the server with nothing set exposes nothing.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from model.artifact import DEFAULT_MODEL_PATH

ENV_PREFIX = "CREDIBILITY_"


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())


def _optional_float(value: str) -> float | None:
    return float(value) if value.strip() else None


@dataclass(frozen=True)
class Settings:
    host: str = field(default="127.0.0.1", metadata={"help": "address to listen on (loopback by default)"})
    port: int = field(default=8080, metadata={"help": "TCP port to listen on"})
    workers: int = field(
        default=0, metadata={"help": "worker processes; 0 means one per CPU core (the scoring is CPU-bound)"}
    )
    model_path: Path = field(
        default=DEFAULT_MODEL_PATH,
        metadata={"help": "model file to serve; its card (<name>.card.json) must sit beside it"},
    )
    threshold: float | None = field(
        default=None,
        metadata={
            "help": "decision threshold on P(unsupported) in [0,1]; empty uses the one on the model card",
            "parse": _optional_float,
        },
    )
    max_request_bytes: int = field(
        default=5 * 1024 * 1024, metadata={"help": "largest request body accepted; larger gets 413"}
    )
    request_timeout: float = field(
        default=10.0, metadata={"help": "seconds one scoring request may take before it gets 503"}
    )
    api_key: str = field(
        default="",
        metadata={"help": "if set, every request except health and the OpenAPI document needs X-API-Key"},
    )
    cors_origins: tuple[str, ...] = field(
        default=(),
        metadata={
            "help": "comma-separated origins allowed by CORS (e.g. chrome-extension://<id>); none by default",
            "parse": _origins,
        },
    )
    rate_limit: int = field(
        default=120, metadata={"help": "requests per minute per client address and worker; 0 turns it off"}
    )
    feedback_db: Path = field(
        default=Path("var/feedback.sqlite3"),
        metadata={"help": "SQLite file where reader corrections are kept"},
    )
    log_level: str = field(default="info", metadata={"help": "debug, info, warning or error"})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from CREDIBILITY_* variables, then explicit overrides (command-line flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(env_name(f.name))
            if raw is not None:
                values[f.name] = _parser(f)(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def _parser(f: Any) -> Callable[[str], Any]:
    if "parse" in f.metadata:
        return f.metadata["parse"]
    return {"int": int, "float": float, "Path": Path}.get(f.type, str)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One --flag per setting, each documented with its variable and default."""
    for f in fields(Settings):
        parser.add_argument(
            "--" + f.name.replace("_", "-"),
            type=_parser(f),
            default=None,
            metavar=f.name.upper(),
            help=f"{f.metadata['help']} (env {env_name(f.name)}; default: {_shown(f.default)})",
        )


def _shown(default: Any) -> str:
    if isinstance(default, tuple):
        return ",".join(default) or "none"
    if isinstance(default, Path) and default.is_absolute():
        return str(Path("model") / default.name)
    return "none" if default in ("", None) else str(default)


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) rows, for the README."""
    return [(env_name(f.name), _shown(f.default), f.metadata["help"]) for f in fields(Settings)]
