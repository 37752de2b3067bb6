"""Main-text extraction: what is kept, what is dropped, and that no input can hang or crash it."""

from __future__ import annotations

import gc
import random
import time
import warnings

import pytest
from bs4 import BeautifulSoup, Tag

from model.decode import decode_html
from model.extract import MAX_BLOCKS, extract_page, extract_text, page_title, prune_html
from model.types import Block, Page
from tests.pages import seed_page_html

PROSE = [
    "Regular walking lowers blood pressure, according to a trial of 2,000 adults in Denmark.",
    "The participants walked for thirty minutes a day, five days a week, for one year.",
    "Those who walked saw their systolic pressure fall by five points, on average, the authors said.",
    "The effect was larger in older adults, who also reported sleeping better and feeling calmer.",
]

BOILERPLATE = {
    "menu": '<div class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/fit">Health</a></div>',
    "cookie": '<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>',
    "share": '<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>',
    "subscribe": '<div class="newsletter-signup"><p>Subscribe to our newsletter for weekly tips.</p></div>',
    "related": '<ul class="related-posts"><li><a href="/a">Ten foods that fight ageing</a></li>'
    '<li><a href="/b">Why sleep matters more than you think</a></li></ul>',
    "comments": '<section id="comments"><h3>Leave a Reply</h3><p>You are commenting using your Twitter '
    "account. Log Out / Change )</p><p>Fill in your details below or click an icon to log in.</p></section>",
    "footer": "<footer><p>Copyright 2026 Example Health. All rights reserved. Terms of use.</p></footer>",
}


def _page(body: str, head: str = "<title>Walking and blood pressure</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def _article_page() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    b = BOILERPLATE
    return _page(
        f"{b['menu']}{b['cookie']}<div class='wrap'><div class='story'>{paragraphs}</div>"
        f"{b['share']}{b['subscribe']}{b['related']}{b['comments']}</div>{b['footer']}"
    )


def test_article_paragraphs_are_kept_in_reading_order() -> None:
    assert [b.text for b in extract_page(_article_page()).blocks] == PROSE


@pytest.mark.parametrize("kind", sorted(BOILERPLATE))
def test_boilerplate_is_dropped(kind: str) -> None:
    text = extract_text(_article_page())
    visible = BOILERPLATE[kind].replace("<", " <").replace(">", "> ")
    words = [w for w in visible.split() if w.isalpha() and len(w) > 5 and "=" not in w]
    assert words, kind
    assert not any(w in text for w in words), kind


def test_long_comment_thread_does_not_outvote_a_short_article() -> None:
    comment = (
        "I tried this myself, and honestly, after three weeks of walking every day, my numbers went "
        "down, my doctor was surprised, and I feel much better, so thank you for writing this."
    )
    thread = "".join(f"<p>{comment} {i}</p>" for i in range(15))
    html = _page(
        f'<article class="post"><div class="entry-content"><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div></article>'
        f'<div id="comments" class="comments-area"><div class="thread">{thread}</div></div>'
    )
    assert [b.text for b in extract_page(html).blocks] == PROSE[:2]


def test_layout_wrapper_named_sidebar_keeps_the_article() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    html = _page(
        f'<div class="content-sidebar-wrap"><main class="content"><article>{paragraphs}</article></main>'
        '<aside class="sidebar"><p>Popular posts you might like, updated every single day.</p></aside></div>'
    )
    assert [b.text for b in extract_page(html).blocks] == PROSE


def test_block_kinds_follow_the_markup() -> None:
    html = _page(
        "<article><h2>What the trial found</h2>"
        f"<p>{PROSE[0]}</p><ul><li>{PROSE[1]}</li><li>{PROSE[2]}</li></ul>"
        f"<blockquote><p>{PROSE[3]}</p></blockquote></article>"
    )
    assert extract_page(html).blocks == [
        Block("What the trial found", "heading"),
        Block(PROSE[0], "paragraph"),
        Block(PROSE[1], "list-item"),
        Block(PROSE[2], "list-item"),
        Block(PROSE[3], "quote"),
    ]


def test_inline_elements_join_without_extra_spaces_and_br_is_a_space() -> None:
    html = _page(
        f"<article><p>{PROSE[0]}</p><p>Massage <a href='/x'>helped</a> <em>some</em>"
        "<b>times</b>, said <span>Dr.</span> Lee.<br>Others\tdisagreed,\n   strongly.</p></article>"
    )
    assert (
        extract_page(html).blocks[1].text
        == "Massage helped sometimes, said Dr. Lee. Others disagreed, strongly."
    )


def test_whitespace_is_collapsed_and_stripped() -> None:
    html = _page(f"<article><p>\n  {PROSE[0]}\u00a0 \n\t Done.  </p><p>{PROSE[1]}</p></article>")
    assert extract_page(html).blocks[0].text == f"{PROSE[0]} Done."


def test_hidden_elements_are_dropped() -> None:
    html = _page(
        f"<article><p>{PROSE[0]}</p><p style='display: none'>Hidden promotional text here.</p>"
        f"<p hidden>Also hidden text here.</p><p>{PROSE[1]}</p></article>"
    )
    assert extract_text(html) == f"{PROSE[0]}\n\n{PROSE[1]}"


def test_page_without_article_element_or_hints() -> None:
    links = "".join(f"<a href='/{i}'>Link number {i}</a> " for i in range(30))
    html = _page(f"<div><div>{links}</div><div>{''.join(f'<p>{p}</p>' for p in PROSE)}</div></div>")
    assert [b.text for b in extract_page(html).blocks] == PROSE


def test_malformed_html() -> None:
    html = f"<html><body><div><p>{PROSE[0]}<p>{PROSE[1]}</div></span><p>{PROSE[2]}</b>"
    assert extract_text(html).split("\n\n") == PROSE[:3]


def test_plain_text_without_tags() -> None:
    page = extract_page(f"{PROSE[0]}\n\n  {PROSE[1]}\n{PROSE[2]}\n")
    assert [b.text for b in page.blocks] == [PROSE[0], f"{PROSE[1]} {PROSE[2]}"]


@pytest.mark.parametrize(
    "paragraphs",
    [
        [
            "Массаж снижает тревожность у пациентов, показало исследование, проведённое в трёх клиниках.",
            "В исследовании участвовали 380 человек, и результаты были опубликованы в журнале.",
            "Авторы отмечают, что эффект был кратковременным, и призывают к новым исследованиям.",
        ],
        [
            "東京大学の研究チームは、毎日の散歩が血圧を下げることを、二千人を対象にした調査で示した。",
            "参加者は一年間、週に五日、三十分ずつ歩いた。",
            "研究者は、高齢者ほど効果が大きかったと述べている。",
        ],
    ],
    ids=["russian", "japanese"],
)
def test_pages_not_in_english_are_not_empty(paragraphs: list[str]) -> None:
    menu = (
        "<ul class='menu'>" + "".join(f"<li><a href='/{i}'>Раздел {i}</a></li>" for i in range(8)) + "</ul>"
    )
    html = _page(f"{menu}<div class='content'>{''.join(f'<p>{p}</p>' for p in paragraphs)}</div>")
    assert [b.text for b in extract_page(html).blocks] == paragraphs


def test_title_prefers_headline_over_site_suffix() -> None:
    head = "<title>Walking helps | Example Health</title>"
    assert extract_page(_page(f"<h1>Walking helps</h1><p>{PROSE[0]}</p>", head)).title == "Walking helps"
    og = f'{head}<meta data-content="x" content="Walking &amp; you" property="og:title">'
    assert page_title(_page("", og)) == "Walking & you"
    assert extract_page(_page(f"<h1>Headline</h1><p>{PROSE[0]}</p>", "")).title == "Headline"


@pytest.mark.parametrize(
    "html", ["", "   \n", "<html></html>", "<!-- only a comment -->", "<script>x()</script>"]
)
def test_empty_inputs_give_an_empty_page(html: str) -> None:
    assert extract_page(html) == Page("")


def test_binary_garbage_does_not_crash() -> None:
    rng = random.Random(7)
    for _ in range(20):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000)))
        page = extract_page(decode_html(raw))
        assert all(b.text == " ".join(b.text.split()) and b.text for b in page.blocks)


def test_nesting_bomb_is_handled_in_bounded_time() -> None:
    depth = 100_000
    html = "<div>" * depth + f"<p>{PROSE[0]}</p>" + "</div>" * depth
    start = time.perf_counter()
    text = extract_text(html)
    assert time.perf_counter() - start < 20
    assert text == PROSE[0]


def test_huge_page_is_capped() -> None:
    html = _page(
        "<div class='content'>" + "".join(f"<p>{PROSE[i % 4]} {i}</p>" for i in range(60_000)) + "</div>"
    )
    start = time.perf_counter()
    page = extract_page(html)
    assert time.perf_counter() - start < 20
    assert 0 < len(page.blocks) <= MAX_BLOCKS
    assert page.blocks[0].text == f"{PROSE[0]} 0"


def test_prune_html_cuts_raw_text_and_menus() -> None:
    html = "a<script>if (a < b) x = '</div>';</script>b<!-- c -->d<nav><nav>e</nav>f</nav>g<style>h"
    assert prune_html(html) == "abdg"


def test_prune_html_cuts_footers_and_asides_but_not_custom_elements_or_forms() -> None:
    html = "<article><p>a</p><aside><aside>b</aside>c</aside><footer>d</footer></article>"
    assert prune_html(html) == "<article><p>a</p></article>"
    kept = "<footer-note>e</footer-note><nav-bar>f</nav-bar><form><p>g</p></form>"
    assert prune_html(kept) == kept


def test_prune_html_keeps_an_unclosed_menu() -> None:
    assert prune_html("<nav><p>text</p><nav>x") == "<nav><p>text</p><nav>x"


def test_prune_html_is_linear_on_many_unclosed_openers() -> None:
    html = "<nav><select>" * 50_000
    start = time.perf_counter()
    assert prune_html(html) == html
    assert time.perf_counter() - start < 5


@pytest.mark.shared
def test_seed_blog_keeps_the_claim_and_drops_the_comment_form() -> None:
    page = extract_page(seed_page_html("seed_blog_unsupported_claims.txt"))
    text = page.text
    assert "helps the body to excise toxins, including cancer cells." in text
    assert page.title.startswith("Massage Therapy Boosts the Immune System of Cancer Patients")
    for boilerplate in ("Leave a Reply", "You are commenting using", "Fill in your details below", "Contact"):
        assert boilerplate not in text


@pytest.mark.shared
def test_seed_news_report_drops_breadcrumb_bio_and_reference() -> None:
    text = extract_text(seed_page_html("seed_rct_news_report.txt"))
    assert "In a randomized trial of 380 advanced cancer patients at 15 U.S. hospices" in text
    for boilerplate in (
        "Home » News",
        "APA Reference",
        "Rick Nauert has over 25 years",
        "All rights reserved",
    ):
        assert boilerplate not in text


def test_xml_looking_pages_are_parsed_as_html_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = extract_page(f'<?xml version="1.0"?><document><p>{PROSE[0]}</p></document>')
    assert page.blocks[0].text == PROSE[0]


def test_the_parsed_tree_is_freed_without_the_cyclic_collector() -> None:
    def tags_alive() -> int:  # the elements; the soup object alone (it is on its own stack) may wait
        return sum(isinstance(o, Tag) and not isinstance(o, BeautifulSoup) for o in gc.get_objects())

    html = "<html><body><article>" + f"<p>{PROSE[0]} <b>bold</b></p>" * 50 + "</article></body></html>"
    gc.collect()
    gc.disable()
    try:
        before = tags_alive()
        assert extract_page(html).blocks
        assert tags_alive() == before
    finally:
        gc.enable()


def test_a_headline_above_the_article_leads_the_blocks() -> None:
    html = (
        "<html><head><title>Cure found | Site</title></head><body><header><h1>Lemon water cures cancer</h1>"
        "</header><article><p>"
        + "Lemon water is said to help many readers every day. " * 8
        + "</p></article></body></html>"
    )
    page = extract_page(html)
    assert page.blocks[0].text == "Lemon water cures cancer"
    assert page.blocks[0].kind == "heading"
    assert sum(b.text == "Lemon water cures cancer" for b in page.blocks) == 1
