"""Settings: environment variables, flag overrides, and --help naming every setting."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from server.config import Settings, env_name, settings_table

ROOT = Path(__file__).resolve().parents[1]


def test_safe_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.host == "127.0.0.1"
    assert settings.api_key == "" and settings.cors_origins == ()
    assert settings.max_request_bytes <= 10 * 1024 * 1024


def test_environment_is_parsed_to_types_and_flags_win() -> None:
    environ = {
        "CREDIBILITY_PORT": "9000",
        "CREDIBILITY_THRESHOLD": "0.7",
        "CREDIBILITY_CORS_ORIGINS": "chrome-extension://abc, moz-extension://def",
        "CREDIBILITY_FEEDBACK_DB": "x/y.sqlite3",
    }
    settings = Settings.from_env(environ, port=9100)
    assert settings.port == 9100
    assert settings.threshold == 0.7
    assert settings.cors_origins == ("chrome-extension://abc", "moz-extension://def")
    assert settings.feedback_db == Path("x/y.sqlite3")


def test_help_lists_every_setting_and_its_variable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for f in fields(Settings):
        assert "--" + f.name.replace("_", "-") in result.stdout
        assert env_name(f.name) in result.stdout.replace("\n", "").replace(" ", "")


def test_readme_configuration_table_matches_the_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variable, default, meaning in settings_table():
        assert f"| `{variable}` | `{default}` | {meaning} |" in readme
