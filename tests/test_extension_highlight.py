"""The content script's sentence finding and wrapping, on hand-made pages in a real Chromium.

The extension APIs are replaced by a stub that records what would be sent and answers with chosen
claims, so each DOM shape (inline elements, <br>, hidden copies, odd whitespace, twice the same
sentence) is checked directly, without a server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "extension"
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

# Stands in for chrome.runtime: records messages, answers "score" with window.answer.
STUB = """(answer) => {
  window.sent = [];
  window.answer = answer;
  globalThis.browser = {runtime: {
    sendMessage: async (m) => { window.sent.push(m); return m.type === 'score' ? window.answer : undefined; },
    onMessage: {addListener: () => {}},
  }};
}"""


def claim(text: str, *reasons: str) -> dict[str, Any]:
    return {
        "text": text,
        "label": "unsupported",
        "probability": 0.9,
        "reasons": list(reasons) or ["no evidence"],
    }


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    page = chromium.new_page()
    yield page
    page.close()


def check(page: Any, body: str, claims: list[dict[str, Any]], css: bool = False) -> Any:
    """Loads `body`, runs the content script against stubbed claims and waits for it to finish."""
    page.set_content(f"<!DOCTYPE html><html><body>{body}</body></html>")
    if css:
        page.add_style_tag(path=str(EXTENSION / "content.css"))
    page.evaluate(STUB, {"status": "done", "claims": claims})
    page.add_script_tag(path=str(EXTENSION / "content.js"))
    page.wait_for_function("() => window.sent.filter(m => m.type === 'state').length >= 2")
    return page


def marked(page: Any) -> list[str]:
    """Text of each highlighted claim, all its marks joined, in claim order."""
    return page.evaluate(
        """() => {
          const out = [];
          for (const m of document.querySelectorAll('mark[data-credibility-label="unsupported"]'))
            out[m.dataset.credibilityClaim] = (out[m.dataset.credibilityClaim] ?? '') + m.textContent;
          return out;
        }"""
    )


def test_sentence_across_links_and_emphasis_is_wrapped_node_by_node(page: Any) -> None:
    body = "<p>Intro. Massage <a href='#'>can <em>boost</em> the</a> immune system. Outro.</p>"
    check(page, body, [claim("Massage can boost the immune system.")])
    assert marked(page) == ["Massage can boost the immune system."]
    assert page.locator("mark").count() == 5  # "Massage ", "can ", "boost", " the", " immune system."
    assert page.locator("mark[tabindex='0']").count() == 1
    assert page.inner_text("p") == "Intro. Massage can boost the immune system. Outro."


def test_whitespace_br_and_invisible_characters_do_not_stop_a_match(page: Any) -> None:
    body = "<p>Detox\u00a0  teas\n cure\u00adcancer<br>fast.</p>"
    check(page, body, [claim("Detox teas curecancer fast.")])
    assert page.locator("mark").all_inner_texts() == ["Detox\u00a0 teas cure\u00adcancer", "fast."]


def test_hidden_copies_scripts_and_form_fields_are_not_highlighted(page: Any) -> None:
    body = (
        "<div style='display:none'><p>Juice cleanses remove toxins.</p></div>"
        "<script>var s = 'Juice cleanses remove toxins.';</script>"
        "<textarea>Juice cleanses remove toxins.</textarea>"
        "<p id='visible'>Juice cleanses remove toxins.</p>"
    )
    check(page, body, [claim("Juice cleanses remove toxins.")])
    assert page.locator("mark").count() == 1
    assert page.locator("#visible mark").count() == 1


def test_the_same_sentence_twice_is_highlighted_twice(page: Any) -> None:
    body = "<p>Sugar feeds cancer.</p><p>Then more.</p><p>Sugar feeds cancer.</p>"
    check(page, body, [claim("Sugar feeds cancer."), claim("Sugar feeds cancer.")])
    assert page.locator("p:first-child mark").count() == 1
    assert page.locator("p:last-child mark").count() == 1


def test_a_claim_missing_from_the_page_is_reported_not_found(page: Any) -> None:
    check(page, "<p>Nothing to see.</p>", [claim("Vaccines cause autism.")])
    state = page.evaluate("() => window.sent.at(-1).state")
    assert state["claims"][0]["found"] is False
    assert page.locator("mark").count() == 0


def test_server_strings_are_text_never_markup(page: Any) -> None:
    evil = "<img src=x onerror=\"document.title='owned'\">"
    check(page, "<p>Garlic cures flu.</p>", [claim("Garlic cures flu.", evil)])
    page.focus("mark")
    assert evil in page.get_attribute("mark", "aria-description")
    assert page.locator("img").count() == 0
    assert page.title() != "owned"


def test_highlighting_does_not_move_the_layout(page: Any) -> None:
    body = (
        "<style>p{font:16px/1.5 serif;width:30em} mark{padding:4px;font-size:30px}</style>"
        "<p>Before. Massage <b>boosts</b> immunity and removes toxins from the body. After it, more.</p>"
        "<p id='next'>Next paragraph.</p>"
    )
    page.set_content(f"<!DOCTYPE html><html><body>{body}</body></html>")
    before = page.evaluate("() => JSON.stringify(document.getElementById('next').getBoundingClientRect())")
    check(page, body, [claim("Massage boosts immunity and removes toxins from the body.")], css=True)
    assert page.locator("mark").count() == 3
    assert (
        page.evaluate("() => JSON.stringify(document.getElementById('next').getBoundingClientRect())")
        == before
    )


def test_sent_html_has_no_form_values_scripts_or_styles(page: Any) -> None:
    body = (
        "<style>p{color:red}</style><script>var token = 'script-secret';</script>"
        "<form><input name=q value='input-secret'><textarea>area-secret</textarea>"
        "<select><option selected>option-choice</option></select>"
        "<div contenteditable>editable-secret</div></form><p>Text.</p>"
    )
    check(page, body, [])
    html = page.evaluate("() => window.sent.find(m => m.type === 'score').html")
    for secret in (
        "script-secret",
        "input-secret",
        "area-secret",
        "editable-secret",
        "color:red",
        "selected",
    ):
        assert secret not in html
    assert "<p>Text.</p>" in html


def test_a_second_injection_sends_nothing_more(page: Any) -> None:
    check(page, "<p>Garlic cures flu.</p>", [claim("Garlic cures flu.")])
    page.add_script_tag(path=str(EXTENSION / "content.js"))
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.sent.filter(m => m.type === 'score').length") == 1
    assert page.locator("mark").count() == 1


def test_tooltip_follows_hover_and_focus_and_escape_hides_it(page: Any) -> None:
    check(page, "<p>Garlic cures flu.</p><p id='away'>Elsewhere.</p>", [claim("Garlic cures flu.")])
    shown = "() => getComputedStyle(document.querySelector('claim-credibility-tooltip')).display"
    page.hover("mark")
    assert page.evaluate(shown) == "block"
    page.hover("#away")
    assert page.evaluate(shown) == "none"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.localName") == "mark"
    assert page.evaluate(shown) == "block"
    page.keyboard.press("Escape")
    assert page.evaluate(shown) == "none"
