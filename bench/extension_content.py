"""What the extension's content script costs a page: serialising it, then finding and marking claims.

Runs `extension/content.js` in headless Chromium (Debian's /usr/bin/chromium) on the blog seed page
repeated 1, 10 and 50 times, with the extension APIs stubbed to answer at once, so only the page-side
work is timed. The floor, measured in the same run on the same page, is one `document.body.innerText`
read (text plus layout: what any script reading the page pays). Also reports how far the last
paragraph moved when the marks went in (the promise is 0 px). Run from the repository root:

    python -m bench.extension_content
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.machine import append_results, header, table

ROOT = Path(__file__).resolve().parents[1]
CONTENT_JS = (ROOT / "extension" / "content.js").read_text()
CONTENT_CSS = (ROOT / "extension" / "content.css").read_text()
CHROMIUM = "/usr/bin/chromium"
REPEATS = (1, 10, 50)
RUNS = 5
CLAIM_PHRASES = ("excise toxins, including cancer cells", "boost the immune system by balancing")

# Records when each message leaves the script; answers "score" at once with window.answer.
STUB = """(answer) => {
  window.sent = [];
  globalThis.browser = {runtime: {
    sendMessage: async (m) => { window.sent.push([m.type, performance.now(), m.state?.status]);
                                return m.type === 'score' ? answer : undefined; },
    onMessage: {addListener: () => {}},
  }};
}"""
START = """(source) => {
  window.t0 = performance.now();
  const script = document.createElement('script');
  script.textContent = source;
  document.head.append(script);
}"""
FLOOR = "() => { const t = performance.now(); document.body.innerText.length; return performance.now() - t; }"
LAST_TOP = "() => document.querySelector('footer').getBoundingClientRect().top + scrollY"
SENTENCES = """(phrases) => {
  const text = document.querySelector('article').innerText.replace(/\\s+/g, ' ');
  return phrases.map(p => { const i = text.indexOf(p); const s = text.lastIndexOf('. ', i) + 2;
                            return text.slice(s, text.indexOf('.', i) + 1); });
}"""


def page_html(repeat: int) -> str:
    sys.path.insert(0, str(ROOT))
    from tests.pages import seed_page_html

    html = seed_page_html("seed_blog_unsupported_claims.txt")
    start, end = html.index("<article"), html.index("</article>") + len("</article>")
    return html[:start] + html[start:end] * repeat + html[end:]


def one_run(page: Page, html: str, repeat: int) -> dict[str, float]:
    """One fresh page (set_content keeps the window, and with it the script's first instance)."""
    page.set_content(html)
    page.add_style_tag(content=CONTENT_CSS)
    floor = page.evaluate(FLOOR)
    texts = page.evaluate(SENTENCES, list(CLAIM_PHRASES))
    claims = [
        {"text": t, "label": "unsupported", "probability": 0.9, "reasons": ["r"]} for t in texts
    ] * repeat
    before = page.evaluate(LAST_TOP)
    page.evaluate(STUB, {"status": "done", "claims": claims})
    page.evaluate(START, CONTENT_JS)
    page.wait_for_function("() => window.sent.some(m => m[0] === 'state' && m[2] === 'done')")
    sent = page.evaluate("() => window.sent")
    marks = page.evaluate(
        "() => new Set([...document.querySelectorAll('mark')].map(m => m.dataset.credibilityClaim)).size"
    )
    assert marks == len(claims), f"{marks} of {len(claims)} claims marked"
    t0 = page.evaluate("() => window.t0")
    scored = next(t for kind, t, _ in sent if kind == "score")
    done = next(t for kind, t, status in sent if kind == "state" and status == "done")
    return {
        "floor": floor,
        "serialise": scored - t0,
        "highlight": done - scored,
        "moved": abs(page.evaluate(LAST_TOP) - before),
        "bytes": len(html.encode()),
        "claims": len(claims),
    }


def measure() -> tuple[list[list[str]], str]:
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for repeat in REPEATS:
            html = page_html(repeat)
            runs = []
            for _ in range(RUNS):
                page = browser.new_page()
                runs.append(one_run(page, html, repeat))
                page.close()
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            rows.append(
                [
                    f"blog x{repeat}",
                    f"{median['bytes'] / 1024:.0f}",
                    f"{median['claims']:.0f}",
                    f"{median['floor']:.1f}",
                    f"{median['serialise']:.1f} ({median['serialise'] / median['floor']:.1f}x)",
                    f"{median['highlight']:.1f} ({median['highlight'] / median['floor']:.1f}x)",
                    f"{max(run['moved'] for run in runs):.1f}",
                ]
            )
            print(rows[-1], flush=True)
        version = browser.version
        browser.close()
    return rows, version


def main() -> None:
    rows, version = measure()
    columns = [
        "page",
        "KiB",
        "claims",
        "innerText floor ms",
        "serialise ms",
        "find+mark ms",
        "layout moved px",
    ]
    lines = header("Extension content script", "python -m bench.extension_content")
    lines.insert(-1, f"- browser: Chromium {version} (headless), median of {RUNS} runs per page")
    lines += table(columns, rows)
    path = append_results("extension_content", lines)
    print("\n".join(table(columns, rows)))
    print(f"appended to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
