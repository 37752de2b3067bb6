"""The extension loaded unpacked into a real headless Chromium, scoring through the real server.

Pages come from a separate loopback HTTP server (another origin than the scoring server, as on the
web). The extension talks to the scoring server through a counting proxy, so the test can see
every request that leaves the browser: how many, and what they carry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.site import serve, serve_documents

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "extension-screenshot.png"
CHROMIUM_ARGS = [
    f"--disable-extensions-except={EXTENSION}",
    f"--load-extension={EXTENSION}",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Typed into the served page's form; it must never reach the scoring server.
FORM_SECRET = "reader-secret-4711"
BLOG_UNSUPPORTED = ("excise toxins, including cancer cells", "boost the immune system by balancing")
LABEL = "unsupported"
# A sentence of the news seed a reader might want flagged, and how the test selects it on the page.
MISSED = "massage may decrease inflammation and edema"
SELECT_TEXT = """(phrase) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const at = walker.currentNode.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(walker.currentNode, at);
    range.setEnd(walker.currentNode, at + phrase.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return;
  }
  throw new Error('phrase not on the page: ' + phrase);
}"""
GERMAN = (
    "Die Massage hilft Krebspatienten sehr. Sie stärkt das Immunsystem und entgiftet den Körper. "
    "Das ist eine zweite Zeile mit viel mehr deutschem Text darin, damit die Sprache erkannt wird."
)
RCT_SUPPORTED = "In a randomized trial of 380 advanced cancer patients"

pytestmark = [pytest.mark.e2e, pytest.mark.shared]

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
pages = pytest.importorskip("tests.pages", reason="tests/pages.py (seed page builder) is not present")


def blog_page() -> str:
    """The blog seed with an inline element inside one unsupported sentence, and a filled form."""
    html = pages.seed_page_html("seed_blog_unsupported_claims.txt")
    assert "boost the immune system" in html, "seed page no longer carries the expected sentence"
    html = html.replace("boost the immune system", "boost the <em>immune system</em>", 1)
    form = f'<form><input name="email" value="{FORM_SECRET}"><textarea>{FORM_SECRET}</textarea></form>'
    return html.replace("</body>", f"{form}</body>", 1)


def document(body: str, lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head><title>t</title></head><body>{body}</body></html>"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    documents = {
        "/blog.html": blog_page(),
        "/rct.html": pages.seed_page_html("seed_rct_news_report.txt"),
        "/huge.html": document(f"<p>{'Massage cures cancer. ' * 300_000}</p>"),
        "/menu.html": document("<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"),
        "/german.html": document(f"<article><p>{GERMAN}</p></article>", lang="de"),
    }

    yield from serve_documents(documents)


@dataclass
class Traffic:
    """Requests the extension sent to the scoring server, in order."""

    requests: list[tuple[str, bytes]] = field(default_factory=list)

    def scores(self) -> list[bytes]:
        return [body for path, body in self.requests if path.startswith("/v1/score")]


@pytest.fixture(scope="module")
def scoring(live_server: str) -> Iterator[tuple[str, Traffic]]:
    """A forwarding proxy in front of the real server that records what the browser sends."""
    traffic = Traffic()

    class Proxy(BaseHTTPRequestHandler):
        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            traffic.requests.append((self.path, body))
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "x-api-key")}
            request = urllib.request.Request(
                live_server + self.path, body or None, headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, payload = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, payload = error.code, error.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = forward

        def log_message(self, *args: Any) -> None:
            pass

    for url in serve(Proxy):
        yield url, traffic


@dataclass
class Browser:
    context: Any
    worker: Any
    extension_id: str

    def settings(self, **values: Any) -> None:
        """Writes settings the way the options page does, then waits for auto-run to re-register."""
        record = {"serverUrl": "http://127.0.0.1:9", "apiKey": "", "threshold": None, "autoRunOrigins": []}
        record.update(values)
        self.worker.evaluate("s => chrome.storage.local.set({settings: s})", record)
        self.worker.evaluate("() => globalThis.claimCredibility.syncAutoRun()")

    def tab_id(self, url: str) -> int:
        """The newest tab showing `url`."""
        return self.worker.evaluate(
            "async u => Math.max(...(await chrome.tabs.query({url: u})).map(t => t.id))", url
        )

    def badge(self, url: str) -> str:
        return self.worker.evaluate("async id => chrome.action.getBadgeText({tabId: id})", self.tab_id(url))

    def popup(self, url: str) -> Any:
        popup = self.context.new_page()
        popup.goto(f"chrome-extension://{self.extension_id}/popup.html?tab={self.tab_id(url)}")
        wait_until_ready(popup)
        return popup


def wait_until_ready(popup: Any) -> None:
    """The popup has asked its tab for the state (its controls are live only after that)."""
    popup.wait_for_function("() => document.querySelector('#status').textContent !== 'Loading…'")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1000, "height": 800},
        )
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        yield Browser(context, worker, worker.url.split("/")[2])
        context.close()


def claim_marks(page: Any) -> dict[str, list[str]]:
    """The text of each highlighted sentence (all its marks joined), keyed by claim index."""
    return page.evaluate(
        """() => {
          const out = {};
          for (const m of document.querySelectorAll('mark[data-credibility-label="unsupported"]')) {
            const k = m.dataset.credibilityClaim;
            (out[k] ??= []).push(m.textContent);
          }
          return out;
        }"""
    )


def open_checked(browser: Browser, url: str) -> Any:
    page = browser.context.new_page()
    page.goto(url)
    wait_for_badge(browser, url)
    return page


@pytest.fixture(autouse=True)
def close_tabs(browser: Browser) -> Iterator[None]:
    """Closes what a test opened, also when it fails, so no stale tab answers the next test."""
    yield
    for page in browser.context.pages:
        page.close()


@pytest.fixture
def auto_run(browser: Browser, site: str, scoring: tuple[str, Traffic]) -> Traffic:
    """The test site turned on for auto-run against the real server; returns the proxy's log."""
    server, traffic = scoring
    browser.settings(serverUrl=server, autoRunOrigins=[site])
    return traffic


def wait_for_badge(browser: Browser, url: str, timeout_s: float = 60.0) -> str:
    """Polls the toolbar badge until the check has finished (a count or '!')."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = browser.badge(url)
        if text and text != "…":
            return text
        time.sleep(0.1)
    raise AssertionError(f"badge never showed a result for {url}")


def save_screenshot(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "extension-screenshot.png"
    page.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


def test_blog_unsupported_sentences_are_highlighted_across_inline_elements(
    browser: Browser, site: str, auto_run: Traffic, tmp_path: Path
) -> None:
    sent = len(auto_run.scores())
    url = f"{site}/blog.html"
    page = open_checked(browser, url)
    marks = claim_marks(page)
    sentences = {key: "".join(parts) for key, parts in marks.items()}
    for phrase in BLOG_UNSUPPORTED:
        assert any(phrase in text for text in sentences.values()), f"not highlighted: {phrase}"
    immune = next(key for key, text in sentences.items() if "boost the immune system" in text)
    assert len(marks[immune]) >= 3, "the sentence with <em> inside should be wrapped node by node"
    assert page.locator("em mark[data-credibility-label]").inner_text() == "immune system"
    assert browser.badge(url) == str(len(marks))
    assert len(auto_run.scores()) == sent + 1, "one request per page load"
    assert FORM_SECRET.encode() not in auto_run.scores()[-1]

    # The sentence with <em> inside, focused as a keyboard reader would reach it: its reasons show.
    anchor = page.locator(f'mark[data-credibility-claim="{immune}"][tabindex="0"]')
    assert "Why:" in (anchor.get_attribute("aria-description") or "")
    anchor.focus()
    assert page.locator("claim-credibility-tooltip").evaluate("h => getComputedStyle(h).display") == "block"
    save_screenshot(page, tmp_path)


def test_popup_lists_flagged_sentences_and_scrolls_to_them(
    browser: Browser, site: str, auto_run: Traffic
) -> None:
    url = f"{site}/blog.html"
    page = open_checked(browser, url)
    popup = browser.popup(url)
    items = popup.locator("#claims li .claim-text")
    items.first.wait_for()
    listed = items.all_inner_texts()
    assert all(any(phrase in text for text in listed) for phrase in BLOG_UNSUPPORTED)
    assert len(listed) == len(claim_marks(page))
    items.last.click()
    page.wait_for_function("() => document.activeElement?.localName === 'mark'")
    popup.locator(".wrong-flag").first.click()
    popup.locator(".choice[data-label='neutral']").first.click()
    popup.locator("#feedback-status", has_text="Thank you").wait_for()
    path, body = auto_run.requests[-1]
    assert path == "/v1/feedback"
    sent = json.loads(body)
    assert (sent["url"], sent["text"], sent["label"], sent["model_label"]) == (
        url,
        listed[0],
        "neutral",
        LABEL,
    )
    assert 0 <= sent["probability"] <= 1


def test_reader_can_report_a_missed_sentence(browser: Browser, site: str, auto_run: Traffic) -> None:
    url = f"{site}/rct.html"
    page = open_checked(browser, url)
    page.evaluate(SELECT_TEXT, MISSED)
    popup = browser.popup(url)
    popup.locator("#report-selection").click()
    popup.locator("#feedback-status", has_text="Thank you").wait_for()
    path, body = auto_run.requests[-1]
    sent = json.loads(body)
    assert (path, sent["label"]) == ("/v1/feedback", LABEL)
    assert MISSED in sent["text"]
    assert sent["model_label"] in ("supported", "neutral", LABEL)


def test_rct_trial_sentence_is_not_highlighted(browser: Browser, site: str, auto_run: Traffic) -> None:
    url = f"{site}/rct.html"
    page = open_checked(browser, url)
    highlighted = " ".join("".join(parts) for parts in claim_marks(page).values())
    assert RCT_SUPPORTED not in highlighted
    assert "randomized trial" not in highlighted


def test_turning_the_site_off_stops_all_requests(browser: Browser, site: str, auto_run: Traffic) -> None:
    url = f"{site}/blog.html"
    page = open_checked(browser, url)
    popup = browser.popup(url)
    switch = popup.locator("#auto-run")
    assert switch.is_checked()
    switch.uncheck()
    page.wait_for_function("() => !document.querySelector('mark[data-credibility-label]')")
    sent = len(auto_run.requests)
    page.reload()
    other = browser.context.new_page()
    other.goto(f"{site}/rct.html")
    page.wait_for_timeout(1500)
    assert len(auto_run.requests) == sent
    assert browser.badge(url) == ""
    popup.reload()
    wait_until_ready(popup)
    assert re.search("has not been checked|this site is off", popup.locator("#status").inner_text())


def problem_shown(browser: Browser, url: str) -> str:
    """Checks `url` from the popup's button and returns the words the popup shows for the problem."""
    page = browser.context.new_page()
    page.goto(url)
    popup = browser.popup(url)
    popup.locator("#check").click()
    popup.wait_for_function("() => document.querySelector('#status').dataset.kind === 'error'")
    assert browser.badge(url) == "!"
    return popup.locator("#status").inner_text()


def test_problems_are_shown_in_words(browser: Browser, site: str, scoring: tuple[str, Traffic]) -> None:
    server, _ = scoring
    browser.settings(serverUrl=server, autoRunOrigins=[])
    assert "too large" in problem_shown(browser, f"{site}/huge.html")
    assert "does not look like an article" in problem_shown(browser, f"{site}/menu.html")
    assert "language" in problem_shown(browser, f"{site}/german.html")
    browser.settings(serverUrl="http://127.0.0.1:9", autoRunOrigins=[])
    assert "could not be reached" in problem_shown(browser, f"{site}/rct.html")


def test_options_page_saves_the_settings_record(browser: Browser, site: str) -> None:
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    options.fill("#server-url", "http://localhost:8080/")
    options.fill("#threshold", "0.7")
    options.fill("#auto-run-origins", f"{site}/any/path\n{site}")
    options.click("button[type=submit]")
    options.locator("#status", has_text="Saved").wait_for()
    stored = browser.worker.evaluate("async () => (await chrome.storage.local.get('settings')).settings")
    assert stored == {
        "serverUrl": "http://localhost:8080",
        "apiKey": "",
        "threshold": 0.7,
        "autoRunOrigins": [site],
    }
    options.fill("#threshold", "7")
    options.click("button[type=submit]")
    options.locator("#status", has_text="from 0 to 1").wait_for()
