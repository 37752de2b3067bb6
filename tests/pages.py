"""Test pages built from the shared seed documents, wrapped in realistic page furniture.

The seeds in ../shared/fixtures are the text of two real pages as a reader copies it: article
text followed by author bios, comment forms and reference lines. `seed_page_html` puts each part
where a real page has it (breadcrumb div, <article>, <aside>, comment-form <div>, <footer>) and
adds a menu, so tests can check that extraction keeps the article and drops the rest.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
FIXTURES = SHARED / "fixtures"

# Where the article text of a seed ends and the page furniture begins.
_BIO_STARTS = ("Published by",)
_COMMENT_STARTS = ("One thought on", "Leave a Reply")
_FOOTER_STARTS = ("APA Reference",)
_MENU = ("Home", "Health", "Cancer", "Nutrition", "Wellness", "About", "Contact")


def seed_chunks(name: str) -> list[str]:
    """The seed's paragraphs (blank-line separated), each with its line breaks joined."""
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"../shared/fixtures/{name} not present")
    text = path.read_text(encoding="utf-8")
    chunks = (" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text))
    return [chunk for chunk in chunks if chunk]


def _zones(chunks: list[str], title: str) -> dict[str, list[str]]:
    """Split the chunks after the title into article, bio, comments and footer, in that order."""
    zones: dict[str, list[str]] = {"article": [], "bio": [], "comments": [], "footer": []}
    zone = "article"
    for chunk in chunks:
        if chunk.startswith(_FOOTER_STARTS):
            zone = "footer"
        elif chunk.startswith(_COMMENT_STARTS) and zone != "footer":
            zone = "comments"
        elif (chunk.startswith(_BIO_STARTS) or chunk == title) and zone == "article":
            zone = "bio"
        zones[zone].append(chunk)
    return zones


def _paragraphs(chunks: list[str]) -> str:
    return "\n".join(f"<p>{escape(chunk)}</p>" for chunk in chunks)


def seed_page_html(name: str) -> str:
    """A full HTML page around the seed `name` (a file in ../shared/fixtures); skips if absent."""
    chunks = seed_chunks(name)
    crumbs = chunks.pop(0) if "»" in chunks[0] else ""
    title = chunks.pop(0)
    zones = _zones(chunks, title)
    menu = "".join(f'<li><a href="/{item.lower()}">{item}</a></li>' for item in _MENU)
    comments = zones["comments"]
    respond = (
        f'<div id="respond" class="comment-respond"><h3 id="reply-title">{escape(comments[0])}</h3>'
        f'<form id="commentform" class="comment-form">{_paragraphs(comments[1:])}'
        '<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>'
        if comments
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Example Health</title></head>
<body>
<nav class="site-nav"><ul>{menu}</ul></nav>
{f'<div class="breadcrumbs">{escape(crumbs)}</div>' if crumbs else ""}
<main id="content">
<article class="post">
<h1 class="entry-title">{escape(title)}</h1>
<div class="entry-content">
{_paragraphs(zones["article"])}
</div>
</article>
{f'<aside class="author-bio">{_paragraphs(zones["bio"])}</aside>' if zones["bio"] else ""}
{respond}
</main>
<footer class="site-footer">{_paragraphs(zones["footer"])}<p>© 2026 Example Health. All rights reserved.</p>
<ul>{menu}</ul></footer>
</body></html>
"""
