"""Firefox's view of the extension folder: `web-ext lint` (Mozilla's linter) must find no errors.

The same folder loads in Chrome (see test_extension_e2e.py); this is the Firefox half of "one folder
for both". The only accepted warning is the one the shared manifest cannot avoid: Firefox ignores
`background.service_worker` and uses `background.scripts` instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB_EXT = "web-ext@10.7.0"
EXPECTED_WARNINGS = {"BACKGROUND_SERVICE_WORKER_IGNORED"}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def report() -> dict:
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("npx (Node.js) is not installed; web-ext lint cannot run")
    command = [npx, "--yes", WEB_EXT, "lint", "--source-dir", "extension", "--output", "json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.stdout.strip(), f"web-ext printed no report: {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def test_web_ext_lint_finds_no_errors(report: dict) -> None:
    assert report["errors"] == [], report["errors"]


def test_web_ext_lint_warns_only_about_the_chrome_service_worker_key(report: dict) -> None:
    assert {w["code"] for w in report["warnings"]} <= EXPECTED_WARNINGS, report["warnings"]


def test_web_ext_lint_reads_the_gecko_id_and_manifest_v3(report: dict) -> None:
    assert report["metadata"]["manifestVersion"] == 3
    assert report["metadata"]["id"].startswith("claim-credibility@")
