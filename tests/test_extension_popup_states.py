# ruff: noqa: F811  (the e2e fixtures are imported by name, and pytest passes them as arguments)
"""What the popup and the options page show in the states a reader runs into, in real Chromium.

The extension is loaded unpacked into headless Debian chromium and talks to the real server, with
the browser, pages and counting proxy of `tests/test_extension_e2e.py`:

- turning a site off clears the page's marks, badge and toolbar tooltip at once, and the popup
  says the site is off now and its results were cleared (not that the page was never checked);
- pressing "Check this page" again shows "Checking…", then "Checked again …", with exactly one
  request per press and none for changes of the page;
- the list numbers of the flagged sentences sit on the first line of a sentence that wraps;
- the options page shows the typed server's default threshold (GET /v1/model);
- "Test the server" tests the typed address and API key, saves nothing and keeps no extra access.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.site import serve
from tests.test_extension_e2e import (  # noqa: F401  (fixtures are used by name)
    Browser,
    Traffic,
    auto_run,
    browser,
    claim_marks,
    close_tabs,
    open_checked,
    scoring,
    site,
    wait_for_badge,
    wait_until_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.shared]

EXTENSION = Path(__file__).resolve().parents[1] / "extension"
DEAD_SERVER = "http://127.0.0.1:9"
DEFAULT_TITLE = "Claim Credibility"
# Records every #status text the popup shows, so a state that lasts a few milliseconds is seen.
WATCH_STATUS = """() => {
  window.seen = [];
  const status = document.querySelector('#status');
  new MutationObserver(() => window.seen.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""


def title(browser: Browser, url: str) -> str:
    return browser.worker.evaluate("async id => chrome.action.getTitle({tabId: id})", browser.tab_id(url))


def stored_settings(browser: Browser) -> dict[str, Any]:
    return browser.worker.evaluate("async () => (await chrome.storage.local.get('settings')).settings")


def granted_origins(browser: Browser) -> list[str]:
    return sorted(browser.worker.evaluate("async () => (await chrome.permissions.getAll()).origins"))


def status(popup: Any) -> str:
    return popup.locator("#status").inner_text()


def options_page(browser: Browser) -> Any:
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.extension_id}/options.html")
    page.wait_for_function("() => document.querySelector('#server-url').value !== ''")
    return page


# ---- 1. turning a site off ----


def test_turning_a_site_off_clears_marks_badge_and_tooltip_at_once(
    browser: Browser, site: str, auto_run: Traffic
) -> None:
    url = f"{site}/blog.html"
    page = open_checked(browser, url)
    count = len(claim_marks(page))
    assert count > 0, "the blog seed should have at least one flagged sentence"
    assert browser.badge(url) == str(count)
    assert "unsupported claim" in title(browser, url)

    popup = browser.popup(url)
    popup.locator("#auto-run").uncheck()
    page.wait_for_function("() => !document.querySelector('mark[data-credibility-label]')")
    popup.wait_for_function("() => /cleared/.test(document.querySelector('#status').textContent)")
    assert browser.badge(url) == ""
    assert title(browser, url) == DEFAULT_TITLE
    words = status(popup)
    assert "this site is off now" in words
    assert "results were cleared" in words
    assert "not checked" not in words
    assert popup.locator("#claims-section").is_hidden()
    assert popup.locator("#verdict").is_hidden()

    # Opened again for the same (not reloaded) page, the popup still tells what happened.
    popup.reload()
    wait_until_ready(popup)
    assert "this site is off now" in status(popup)
    assert not popup.locator("#auto-run").is_checked()
    assert stored_settings(browser)["autoRunOrigins"] == []


# ---- 2. checking an already checked page again ----


def test_checking_again_shows_checking_then_checked_again_one_request_per_press(
    browser: Browser, site: str, scoring: tuple[str, Traffic]
) -> None:
    server, traffic = scoring
    browser.settings(serverUrl=server, autoRunOrigins=[])
    url = f"{site}/blog.html"
    page = browser.context.new_page()
    page.goto(url)
    popup = browser.popup(url)
    sent = len(traffic.scores())
    popup.locator("#check").click()
    wait_for_badge(browser, url)
    popup.wait_for_function(
        "() => /unsupported claim|No unsupported/.test(document.querySelector('#status').textContent)"
    )
    assert len(traffic.scores()) == sent + 1
    assert not status(popup).startswith("Checked again")

    for press in (1, 2):
        popup.evaluate(WATCH_STATUS)
        popup.locator("#check").click()
        popup.wait_for_function(
            "() => document.querySelector('#status').textContent.startsWith('Checked again')"
        )
        seen = popup.evaluate("() => window.seen")
        assert any(text.startswith("Checking") for text in seen), seen
        final = status(popup)
        assert re.match(
            r"Checked again at .+: (\d+ unsupported claims? on this page|No unsupported claims)", final
        ), final
        assert len(traffic.scores()) == sent + 1 + press, "one request per press"
        badge = wait_for_badge(browser, url)
        marks = len(claim_marks(page))
        assert badge == str(marks)
        expected = f"{marks} unsupported claim" if marks else "No unsupported claims"
        assert expected in final
        # The marks were replaced, not doubled: no mark inside another one.
        assert page.locator("mark[data-credibility-label] mark[data-credibility-label]").count() == 0
        assert popup.locator("#claims > li").count() == marks

    # Changes to the page afterwards are not rescanned and send nothing.
    before = len(traffic.scores())
    page.evaluate("() => document.body.insertAdjacentText('beforeend', 'Massage cures cancer for sure.')")
    page.wait_for_timeout(1500)
    assert len(traffic.scores()) == before


# ---- 3. list numbers on the first line of a wrapped sentence ----


def test_popup_css_aligns_claim_buttons_to_the_top() -> None:
    css = (EXTENSION / "popup.css").read_text()
    rule = re.search(r"\.claim-text\s*\{([^}]*)\}", css)
    assert rule and re.search(r"vertical-align\s*:\s*top", rule.group(1))


def test_list_number_sits_on_the_first_line_of_a_wrapped_claim(browser: Browser, site: str) -> None:
    url = f"{site}/rct.html"
    page = browser.context.new_page()
    page.goto(url)
    popup = browser.popup(url)
    box = popup.evaluate(
        """() => {
          const item = document.querySelector('#claim-template').content.firstElementChild.cloneNode(true);
          item.querySelector('.claim-text').textContent = 'Massage cures cancer and '.repeat(12);
          document.querySelector('#claims').replaceChildren(item);
          document.querySelector('#claims-section').hidden = false;
          // Stands where the list number is drawn: on the baseline of the item's first line box
          // (no width, so the button stays on that line as it does after the real marker).
          const probe = document.createElement('span');
          probe.textContent = '1.';
          probe.style.cssText = 'display: inline-block; width: 0; white-space: nowrap';
          item.querySelector('.claim-text').before(probe);
          const b = item.querySelector('.claim-text').getBoundingClientRect();
          const p = probe.getBoundingClientRect();
          return {buttonTop: b.top, buttonHeight: b.height, probeTop: p.top, probeHeight: p.height};
        }"""
    )
    assert box["buttonHeight"] > 2 * box["probeHeight"], "the test sentence should wrap"
    assert abs(box["probeTop"] - box["buttonTop"]) < box["probeHeight"] / 2, box


# ---- 4 and 5. the options page asks the typed server ----


def card_threshold(live_server: str) -> float:
    with urllib.request.urlopen(f"{live_server}/v1/model", timeout=10) as response:
        return json.load(response)["threshold"]


def test_options_show_the_typed_servers_default_threshold(
    browser: Browser, scoring: tuple[str, Traffic], live_server: str
) -> None:
    server, _ = scoring
    threshold = card_threshold(live_server)
    browser.settings(serverUrl=DEAD_SERVER, autoRunOrigins=[])
    options = options_page(browser)
    options.locator("#threshold-default", has_text="unknown").wait_for()
    assert options.locator("#threshold").input_value() == ""

    options.fill("#server-url", server)
    options.locator("#threshold-default", has_text=f"Server default: {threshold}").wait_for()
    assert options.locator("#threshold").get_attribute("placeholder") == f"server default: {threshold}"
    assert stored_settings(browser)["serverUrl"] == DEAD_SERVER, "typing saves nothing"

    # Saved, the page shows it as soon as it opens.
    browser.settings(serverUrl=server, autoRunOrigins=[])
    options.reload()
    options.locator("#threshold-default", has_text=f"Server default: {threshold}").wait_for()


@pytest.fixture(scope="module")
def recorder(live_server: str) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """Forwards GETs to the real server and records each path with the X-API-Key it carried."""
    seen: list[tuple[str, str | None]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("X-API-Key")))
            with urllib.request.urlopen(live_server + self.path, timeout=30) as response:
                payload = response.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    for url in serve(Recorder):
        yield url, seen


def test_test_the_server_uses_the_typed_address_and_key_without_saving(
    browser: Browser, recorder: tuple[str, list[tuple[str, str | None]]]
) -> None:
    server, seen = recorder
    browser.settings(serverUrl=DEAD_SERVER, autoRunOrigins=[])
    saved = stored_settings(browser)
    permissions = granted_origins(browser)
    options = options_page(browser)
    options.fill("#server-url", f"{server}/")
    options.fill("#api-key", "typed-key-4711")
    seen.clear()
    options.click("#test-server")
    options.locator("#server-status", has_text="is up").wait_for()
    assert server in options.locator("#server-status").inner_text()
    assert ("/v1/health", "typed-key-4711") in seen
    assert stored_settings(browser) == saved, "testing saves nothing"
    assert granted_origins(browser) == permissions == ["http://127.0.0.1/*", "http://localhost/*"]

    # A typed address where nothing listens is reported as such, not the saved one.
    options.fill("#server-url", "http://127.0.0.1:1")
    options.click("#test-server")
    options.locator("#server-status", has_text="Could not reach http://127.0.0.1:1").wait_for()
