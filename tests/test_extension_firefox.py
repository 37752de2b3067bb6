"""The same extension folder in a real headless Firefox (Debian's firefox-esr), scoring through the
real server: the Chrome end-to-end test's core checks, so "works in Firefox" is run, not only linted.

Firefox is driven over Marionette, its own remote protocol (Playwright's Firefox is a patched build
that cannot be downloaded here). The add-on is installed as a temporary add-on, as `about:debugging`
does, with a fixed internal UUID so its pages have a known address. Every connection Firefox would
make to a host other than loopback goes to a closed loopback port (a dead proxy), so the test sends
nothing off the machine even if a background service wakes up.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site import serve_documents

ROOT = Path(__file__).resolve().parents[1]
FIREFOX = Path("/usr/bin/firefox-esr")
MANIFEST = json.loads((ROOT / "extension" / "manifest.json").read_text())
ADDON_ID = MANIFEST["browser_specific_settings"]["gecko"]["id"]
ADDON_UUID = "0f3c1a2e-7d4b-4a8e-9c55-1b2d3e4f5a6b"
PREFS = {
    "extensions.webextensions.uuids": json.dumps({ADDON_ID: ADDON_UUID}),
    "network.proxy.type": 1,  # manual proxy: everything but loopback goes to 127.0.0.1:9 (closed)
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.allow_hijacking_localhost": False,
}
BLOG_UNSUPPORTED = ("excise toxins, including cancer cells", "boost the immune system by balancing")
RCT_SUPPORTED = "In a randomized trial of 380 advanced cancer patients"
# Firefox's tabs.query takes no port in its URL patterns, so the tab is picked out by its URL here.
BADGE = """browser.tabs.query({}).then(tabs => tabs.filter(t => t.url === arguments[0]))
  .then(([tab]) => tab ? browser.action.getBadgeText({tabId: tab.id}) : '')"""
MARKED = """return [...document.querySelectorAll('mark[data-credibility-label="unsupported"]')]
  .reduce((out, m) => { (out[m.dataset.credibilityClaim] ??= []).push(m.textContent); return out; }, {});"""

pytestmark = [pytest.mark.e2e, pytest.mark.shared]

if not FIREFOX.exists():
    pytest.skip("Debian's firefox-esr is not installed at /usr/bin/firefox-esr", allow_module_level=True)
marionette = pytest.importorskip("marionette_driver.marionette", reason="marionette_driver is not installed")
addons = pytest.importorskip("marionette_driver.addons", reason="marionette_driver is not installed")
pages = pytest.importorskip("tests.pages", reason="tests/pages.py (seed page builder) is not present")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    yield from serve_documents(
        {
            "/blog.html": pages.seed_page_html("seed_blog_unsupported_claims.txt"),
            "/rct.html": pages.seed_page_html("seed_rct_news_report.txt"),
        }
    )


@pytest.fixture(scope="module")
def firefox(live_server: str, site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Firefox with the add-on installed, set to check the test site against the real server.

    The first tab stays on the add-on's popup page: extension APIs (storage, tabs, badge) are
    called from there, as the popup itself does.
    """
    log = tmp_path_factory.mktemp("firefox") / "gecko.log"
    client = marionette.Marionette(bin=str(FIREFOX), headless=True, prefs=PREFS, gecko_log=str(log))
    client.start_session()
    try:
        addons.Addons(client).install(str(ROOT / "extension"), temp=True)
        client.navigate(f"moz-extension://{ADDON_UUID}/popup.html")
        settings = {"serverUrl": live_server, "apiKey": "", "threshold": None, "autoRunOrigins": [site]}
        in_extension(client, "browser.storage.local.set({settings: arguments[0]})", settings)
        yield client
    finally:
        client.delete_session()
        client.cleanup()


def in_extension(client: Any, expression: str, *args: Any) -> Any:
    """Awaits a promise-valued extension API expression on the add-on's page (the first tab)."""
    current = client.current_window_handle
    client.switch_to_window(client.window_handles[0])
    try:
        return client.execute_async_script(
            f"const done = arguments[arguments.length - 1]; Promise.resolve({expression})"
            ".then(done, e => done('error: ' + e));",
            script_args=list(args),
            sandbox=None,
        )
    finally:
        client.switch_to_window(current)


def open_checked(client: Any, url: str, timeout_s: float = 60.0) -> dict[str, list[str]]:
    """Opens `url` in a new tab, waits for the toolbar badge to show the result, returns the marks."""
    client.switch_to_window(client.open(type="tab")["handle"])
    client.navigate(url)
    deadline = time.monotonic() + timeout_s
    badge = ""
    while time.monotonic() < deadline:
        badge = in_extension(client, BADGE, url)
        if badge and badge != "…":
            break
        time.sleep(0.2)
    assert badge.isdigit(), f"no result badge for {url}: {badge!r}"
    marks = client.execute_script(MARKED)
    assert len(marks) == int(badge), "the badge counts the highlighted sentences"
    return marks


def test_firefox_highlights_the_blog_claims(firefox: Any, site: str) -> None:
    marked = [" ".join(parts) for parts in open_checked(firefox, f"{site}/blog.html").values()]
    for phrase in BLOG_UNSUPPORTED:
        assert any(phrase in sentence for sentence in marked), phrase


def test_firefox_leaves_the_trial_report_unmarked(firefox: Any, site: str) -> None:
    marked = [" ".join(parts) for parts in open_checked(firefox, f"{site}/rct.html").values()]
    assert firefox.execute_script("return document.body.textContent.includes(arguments[0])", [RCT_SUPPORTED])
    assert not any(RCT_SUPPORTED in sentence for sentence in marked)
