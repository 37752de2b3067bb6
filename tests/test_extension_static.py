"""What can be checked about the extension without a browser: permissions, CSP, no HTML sinks.

These are the security promises of the extension (nothing from the server is parsed as HTML, no
remote code, the smallest permission set), so a change that breaks one fails here first.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "extension"
SCRIPTS = sorted(EXTENSION.glob("*.js"))
PAGES = sorted(EXTENSION.glob("*.html"))
# Ways a string becomes markup or code.
SINKS = re.compile(
    r"\binnerHTML\b|\bouterHTML\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\b"
)
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((EXTENSION / "manifest.json").read_text())


def test_manifest_asks_for_the_smallest_permission_set(manifest: dict) -> None:
    assert sorted(manifest["permissions"]) == ["activeTab", "scripting", "storage"]
    assert manifest["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    assert manifest["optional_host_permissions"] == ["<all_urls>"]
    assert "content_scripts" not in manifest, "pages must not be read before the reader allows a site"


def test_manifest_serves_chrome_and_firefox(manifest: dict) -> None:
    assert manifest["manifest_version"] == 3
    assert manifest["background"]["service_worker"] in manifest["background"]["scripts"]
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["data_collection_permissions"]["required"] == ["websiteContent"]


def test_extension_pages_have_a_strict_content_security_policy(manifest: dict) -> None:
    policy = manifest["content_security_policy"]["extension_pages"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe" not in policy


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_turn_strings_into_markup_or_code(script: Path) -> None:
    assert not SINKS.findall(script.read_text())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_load_nothing_remote_and_no_inline_script(page: Path) -> None:
    html = page.read_text()
    assert not REMOTE.findall(html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline scripts are blocked by the CSP"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handlers are blocked by the CSP"


def test_every_file_the_manifest_names_exists(manifest: dict) -> None:
    named = [
        *manifest["background"]["scripts"],
        manifest["action"]["default_popup"],
        manifest["options_ui"]["page"],
        *manifest["icons"].values(),
        *manifest["action"]["default_icon"].values(),
    ]
    missing = [name for name in named if not (EXTENSION / name).is_file()]
    assert not missing


def test_icons_are_pngs_of_the_declared_size(manifest: dict) -> None:
    for size, name in manifest["icons"].items():
        data = (EXTENSION / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (int(size), int(size)), name
