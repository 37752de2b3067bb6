"""HTML str -> the article's main-text blocks, with navigation and other boilerplate dropped.

A readability-style extractor built for one parse and one walk of the tree:

1. Comments, raw-text elements (script, style, svg, ...), <head>, menus (<nav>), <select>
   lists, page footers and asides are cut out of the string before BeautifulSoup sees it: they
   hold no article text and are most of the bytes and tags of modern pages, so this more than
   pays for itself. (<form> stays: ASP.NET pages wrap the whole page in one.)
2. One iterative walk (no recursion, so 100,000 nested tags are fine) turns the tree into
   blocks (headings, paragraphs, list items, quotes) and sums, bottom-up, the text and link
   text under every element, so no subtree is ever read twice.
3. Paragraph-like blocks vote for their parent and grandparent elements, weighted by length
   and punctuation (readability's heuristic, language-neutral: no stoplists); the votes are
   discounted by link density and shifted by class/id hints; class names are checked against
   content, since layout wrappers are often named "sidebar" or "widget". The winner is the
   article body, joined by chunks of it that the markup split off.
4. The blocks inside the body are kept, minus those under boilerplate elements (share bars,
   comment forms, related links, captions) and link-heavy ones, plus long, link-free
   paragraphs that sit right beside it.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass, field
from html import unescape

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from model.types import Block, Page

# Work caps: extraction must stay fast on any page a reader can open.
MAX_INPUT_CHARS = 2_000_000
MAX_BLOCKS = 3_000
MAX_NODES = 300_000

# Elements whose content is never readable text (the first group is also removed pre-parse).
_RAW_TEXT = ("script", "style", "svg", "noscript", "template", "iframe", "math", "object")
_SKIP = frozenset(
    {*_RAW_TEXT, "head", "select", "option", "button", "textarea", "input", "canvas", "video", "audio"}
)
# Elements that start a new block; everything else is inline and joins the running text.
_BLOCK_TAGS = frozenset(
    "p div section article main header footer nav aside form fieldset figure figcaption "
    "blockquote pre ul ol li dl dt dd table thead tbody tfoot tr td th caption address "
    "h1 h2 h3 h4 h5 h6 hr center details summary dialog menu body html".split()
)
_KIND = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "heading"),
    **dict.fromkeys(("li", "dt", "dd"), "list-item"),
    "blockquote": "quote",
}
# Structural elements that are boilerplate by definition (same weight as a negative class hint).
# Captions are in here too: they describe a picture, they are not the article's prose.
_BOILERPLATE_TAGS = frozenset(
    {"nav", "aside", "footer", "header", "form", "menu", "dialog", "figure", "figcaption"}
)
_HINT_ARTICLE, _HINT_NONE, _HINT_WEAK, _HINT_BOILERPLATE, _HINT_DISCUSSION = 1, 0, -1, -2, -3
_BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_POSITIVE_TAGS = frozenset({"article", "main"})
_TAG_WEIGHT = {"div": 5.0, "section": 5.0, "article": 5.0, "main": 5.0, "td": 3.0, "blockquote": 3.0}

_HINT_SPLIT = re.compile(r"[\s_\-:./]+|(?<=[a-z])(?=[A-Z])")
# Embedded posts the article quotes ("social-media-embed", "twitter-tweet") are its content.
_EMBED_PREFIXES = ("embed", "tweet")
# Class/id words of boilerplate. Strong ones mark it whatever else the element says
# ("article-share-top" is a share bar); weak ones only when no article word is present
# ("box article modal-enabled" is the article). Discussion threads are kept apart because
# they are the one kind of boilerplate that can hold more prose than the article.
_DISCUSSION_PREFIXES = ("comment", "respond", "repl", "disqus", "discussion")
_STRONG_NEGATIVE_PREFIXES = (
    "share",
    "sharing",
    "social",
    "related",
    "navigation",
    "navbar",
    "footer",
    "breadcrumb",
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "subscri",
    "outbrain",
    "taboola",
    "promo",
    "recommend",
    "sponsor",
    "advert",
    "trending",
    "paywall",
    "signup",
    "login",
    "optin",
)
_STRONG_NEGATIVE_WORDS = frozenset({"nav"})
# Boilerplate unless the element also calls itself article text: layout wrappers are named
# "content-sidebar-wrap" or "l-sidebar-fixed l-article-body-segment".
_LAYOUT_NEGATIVE_PREFIXES = (
    "sidebar",
    "menu",
    "widget",
    "aside",
    "rail",
    "masthead",
    "caption",
    "credit",
    "gallery",
    "slideshow",
    "carousel",
)
_WEAK_NEGATIVE_WORDS = frozenset(
    "header banner ad ads adv modal popup overlay tags tag "
    "tagcloud byline author bio toolbar pagination pager skip topics keywords "
    "popular meta".split()
)
# Classes that describe the page's state or taxonomy, not the element ("has-sidebar",
# WordPress's "tag-<slug>" and "category-<slug>" on the article itself).
_STATE_CLASS_PREFIXES = ("has-", "no-", "with-", "tag-", "category-", "is-")
_POSITIVE_WORDS = frozenset(
    "article articlebody content entry hentry main post story body text blog prose "
    "storybody postbody entrycontent".split()
)
_HIDDEN_WORDS = frozenset("hidden hide invisible sronly visuallyhidden screenreadertext".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COMMAS = re.compile(r"[,，、،;；]")
_WHITESPACE = re.compile(r"\s+")
_URL_ONLY = re.compile(r"(?:https?://|www\.)\S+$")
_HAS_TAG = re.compile(r"<[A-Za-z!/?]")
# Cut before parsing: raw-text elements run to their end tag (or the end of the page, as in
# a browser); elements that can nest run to their matching end tag, and stay if it is missing.
# Footers and asides: on all 181 extraction benchmark pages cutting them changed no block.
_NESTED_PRUNE = ("head", "nav", "select", "footer", "aside")
_PRUNE_OPEN = re.compile(r"<!--|<(" + "|".join((*_RAW_TEXT, *_NESTED_PRUNE)) + r")(?![\w-])", re.IGNORECASE)
_RAW_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}
_NESTED_TAG = {name: re.compile(rf"<(/?){name}(?![\w-])[^>]*>", re.IGNORECASE) for name in _NESTED_PRUNE}
_COMMENT_CLOSE = re.compile(r"-->")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_OG_TITLE = re.compile(r"""property\s*=\s*["']?og:title""", re.IGNORECASE)
_CONTENT_ATTR = re.compile(r"""(?<![\w-])content\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_HEAD_WINDOW = 300_000

# Block thresholds: a block shorter than _MIN_VOTE_CHARS casts no vote, a stray paragraph
# beside the body needs _MIN_SIBLING_CHARS, and a block more than half link text is a link list.
_MIN_VOTE_CHARS = 25
_MIN_SIBLING_CHARS = 80
_MAX_LINK_DENSITY = 0.5
# Candidate scoring (readability's numbers where it has them): the factor for candidates under
# a boilerplate element; runners-up within _RIVAL_RATIO of the winner that widen it to their
# common ancestor when at least _MIN_RIVALS share one; chunks within _SIBLING_RATIO join it.
_BOILERPLATE_PENALTY = 0.2
_RIVAL_RATIO = 0.75
_MIN_RIVALS = 3
_SIBLING_RATIO = 0.2
_MIN_SIBLING_SCORE = 10.0
_MAX_ANCESTOR_STEPS = 64


_LINK_END = object()  # pushed after a link's children: its text has been read


@dataclass(slots=True, eq=False)
class _Node:
    """Per-element totals gathered during the walk; `first`/`last` bound its blocks."""

    name: str
    tag: Tag
    order: int
    parent: _Node | None
    hint: int
    first: int
    last: int = 0
    chars: int = 0
    link_chars: int = 0
    prose_chars: int = 0
    votes: float = 0.0
    neg: int = -1  # order of the nearest boilerplate element at or above this one, or -1


@dataclass(slots=True)
class _RawBlock:
    text: str
    kind: str
    link_chars: int
    owner: _Node  # the element the text belongs to (the <p> itself, or a <div> with loose text)

    @property
    def neg(self) -> int:
        return self.owner.neg


@dataclass
class _Walk:
    """Everything one pass over the tree produces."""

    blocks: list[_RawBlock] = field(default_factory=list)
    nodes: list[_Node] = field(default_factory=list)
    h1: str = ""


def _nested_end(html: str, name: str, start: int) -> int | None:
    """End of the element whose start tag ends at `start`, counting nested ones; None if unclosed."""
    depth = 1
    for match in _NESTED_TAG[name].finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


def prune_html(html: str) -> str:
    """Cut out comments and elements that never hold article text, in linear time.

    They are most of the bytes on modern pages (inline scripts, styles, SVG icons, menus), so
    cutting them is cheaper than letting BeautifulSoup build them.
    """
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # a nested element without its end tag: keep the rest as is
    for match in _PRUNE_OPEN.finditer(html):
        if match.start() < pos:
            continue
        name = (match.group(1) or "").lower()
        if not name:
            end_match = _COMMENT_CLOSE.search(html, match.end())
            end = end_match.end() if end_match else len(html)
        elif name in _RAW_CLOSE:
            end_match = _RAW_CLOSE[name].search(html, match.end())
            end = end_match.end() if end_match else len(html)
        elif name in unclosed or (end := _nested_end(html, name, match.end())) is None:
            unclosed.add(name)
            continue
        out.append(html[pos : match.start()])
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _clean_text(fragment: str) -> str:
    return _WHITESPACE.sub(" ", unescape(_TAG.sub("", fragment))).strip()


def page_title(html: str) -> str:
    """og:title (usually the headline without the site name) if the page has one, else <title>."""
    head = html[:_HEAD_WINDOW]
    for meta in _META_TAG.finditer(head):
        tag = meta.group()
        if _OG_TITLE.search(tag) and (content := _CONTENT_ATTR.search(tag)):
            title = _clean_text(next(g for g in content.groups() if g is not None))
            if title:
                return title
    match = _TITLE.search(head)
    return _clean_text(match.group(1)) if match else ""


def _class_string(tag: Tag) -> str:
    # The soup is built with multi_valued_attributes=None (splitting every class into a list
    # cost ~6% of the parse), so `class` is the attribute's raw string.
    return " ".join(str(tag.attrs.get("class") or "").split())


def _hint(tag: Tag, name: str) -> int:
    attrs = tag.attrs
    if not attrs:
        return _hint_of(name, "", "", "", False)
    role = attrs.get("role")
    return _hint_of(
        name,
        _class_string(tag),
        str(attrs.get("id") or ""),
        role if isinstance(role, str) else "",
        attrs.get("itemprop") == "articleBody",
    )


@functools.lru_cache(maxsize=8192)
def _hint_of(name: str, classes: str, ident: str, role: str, article_body: bool) -> int:
    """How article-like an element's tag, role, class and id are: one of the _HINT_* levels.

    Weak signs ("modal", "tag") are also found on wrappers around the article, so they only
    lower an element's chance to be the body; boilerplate signs also drop its text. Cached:
    a page repeats the same few class strings thousands of times.
    """
    if name in _BOILERPLATE_TAGS or role in _BOILERPLATE_ROLES:
        return _HINT_BOILERPLATE
    kept = " ".join(c for c in classes.split() if not c.lower().startswith(_STATE_CLASS_PREFIXES))
    words = [w.lower() for w in _HINT_SPLIT.split(f"{kept} {ident}") if w]
    if any(w.startswith(_EMBED_PREFIXES) for w in words):
        return _HINT_NONE
    if any(w.startswith(_DISCUSSION_PREFIXES) for w in words):
        return _HINT_DISCUSSION
    if any(w in _STRONG_NEGATIVE_WORDS or w.startswith(_STRONG_NEGATIVE_PREFIXES) for w in words):
        return _HINT_BOILERPLATE
    if article_body or role == "main" or name in _POSITIVE_TAGS or any(w in _POSITIVE_WORDS for w in words):
        return _HINT_ARTICLE
    if any(w.startswith(_LAYOUT_NEGATIVE_PREFIXES) for w in words):
        return _HINT_BOILERPLATE
    return _HINT_WEAK if any(w in _WEAK_NEGATIVE_WORDS for w in words) else _HINT_NONE


def _is_hidden(tag: Tag) -> bool:
    attrs = tag.attrs
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = _class_string(tag)
    return bool(classes) and _hidden_class(classes)


@functools.lru_cache(maxsize=8192)
def _hidden_class(classes: str) -> bool:
    return any(c.lower().replace("-", "").replace("_", "") in _HIDDEN_WORDS for c in classes.split())


class _Walker:
    """One iterative pre/post-order walk that emits blocks and element totals."""

    def __init__(self) -> None:
        self.walk = _Walk()
        self.buffer: list[str] = []
        self.buffer_links = 0
        self.kinds: list[str] = []
        self.link_depth = 0

    def flush(self, owner: _Node) -> None:
        """Turn the text gathered since the last block boundary into a block owned by `owner`."""
        if not self.buffer:
            return
        # split/join: the same as `\s+` -> " " and strip (both use str.isspace), 5x faster
        text = " ".join("".join(self.buffer).split())
        links = self.buffer_links
        self.buffer.clear()
        self.buffer_links = 0
        if not text or len(self.walk.blocks) >= MAX_BLOCKS:
            return
        kind = self.kinds[-1] if self.kinds else "paragraph"
        links = min(links, len(text))
        self.walk.blocks.append(_RawBlock(text, kind, links, owner))
        owner.chars += len(text)
        owner.link_chars += links
        if kind != "heading" and len(text) >= _MIN_VOTE_CHARS and links <= _MAX_LINK_DENSITY * len(text):
            owner.prose_chars += len(text)

    def run(self, root: Tag) -> _Walk:
        stack: list[object] = [root]
        parent: _Node | None = None
        buffer = self.buffer
        visited = 0
        while stack and visited < MAX_NODES:
            item = stack.pop()
            visited += 1
            cls = item.__class__
            if cls is NavigableString:
                buffer.append(item)
                if self.link_depth:
                    self.buffer_links += len(item.strip())
            elif cls is _Node:
                parent = self.leave(item)
            elif item is _LINK_END:
                self.link_depth -= 1
            elif isinstance(item, Tag):
                parent = self.enter(item, parent, stack)
        while parent is not None:  # the node cap cut the walk short: close what is open
            parent = self.leave(parent)
        return self.walk

    def enter(self, tag: Tag, parent: _Node | None, stack: list[object]) -> _Node | None:
        """Open an element and push its children; returns the block node now innermost.

        Only block elements get a node (they are the candidate containers); inline ones just
        pass their text through, and a link pushes a marker to count link text until its end.
        """
        name = tag.name
        if name in _BLOCK_TAGS or parent is None:
            if tag.attrs and _is_hidden(tag):
                return parent
            if parent is not None:
                self.flush(parent)
            hint = _hint(tag, name) if parent is not None and name not in ("body", "html") else _HINT_NONE
            node = _Node(name, tag, len(self.walk.nodes), parent, hint, len(self.walk.blocks))
            self.walk.nodes.append(node)
            if name in _KIND:
                self.kinds.append(_KIND[name])
            stack.append(node)
            stack.extend(reversed(tag.contents))
            return node
        if name in _SKIP:
            pass
        elif name == "br":
            self.buffer.append(" ")
        elif not (tag.attrs and _is_hidden(tag)):
            if name == "a":
                self.link_depth += 1
                stack.append(_LINK_END)
            stack.extend(reversed(tag.contents))
        return parent

    def leave(self, node: _Node) -> _Node | None:
        name = node.name
        self.flush(node)
        if name in _KIND:
            self.kinds.pop()
        if name == "h1" and not self.walk.h1:
            blocks = self.walk.blocks
            self.walk.h1 = blocks[node.first].text if node.first < len(blocks) else ""
        node.last = len(self.walk.blocks)
        parent = node.parent
        if parent is not None:
            parent.chars += node.chars
            parent.link_chars += node.link_chars
            parent.prose_chars += node.prose_chars
        return parent


def _mark_boilerplate(walk: _Walk) -> None:
    """Set each node's `neg` from the hints, overruled by content.

    Class names are unreliable: "l-sidebar-fixed", "url-breadcrumb" and "widget-container" wrap
    whole articles. An element holding most of the page's prose is therefore not boilerplate,
    whatever it is called; only discussion threads, which can outgrow the article, stay marked.
    """
    total = walk.nodes[0].prose_chars if walk.nodes else 0
    for node in walk.nodes:  # preorder: a parent is settled before its children
        inherited = node.parent.neg if node.parent is not None else -1
        marked = node.hint == _HINT_DISCUSSION or (
            node.hint == _HINT_BOILERPLATE and 2 * node.prose_chars < total
        )
        node.neg = node.order if marked else inherited


def _vote(walk: _Walk) -> None:
    """Readability's scoring: each paragraph-like block votes for its ancestors."""
    for block in walk.blocks:
        size = len(block.text)
        if block.kind == "heading" or size < _MIN_VOTE_CHARS:
            continue
        score = 1.0 + len(_COMMAS.findall(block.text)) + min(size / 100.0, 3.0)
        node = block.owner.parent if block.owner.name not in ("div", "td") else block.owner
        for level in range(5):
            if node is None:
                break
            node.votes += score if level == 0 else score / (2.0 if level == 1 else level * 3.0)
            node = node.parent


def _candidate_score(node: _Node) -> float:
    density = node.link_chars / node.chars if node.chars else 1.0
    base = node.votes + _TAG_WEIGHT.get(node.name, 0.0) + 25.0 * max(node.hint, _HINT_WEAK)
    # Text under a boilerplate element (a comment thread, a related-stories rail) can outvote a
    # short article; it only wins when nothing else on the page looks like prose.
    penalty = _BOILERPLATE_PENALTY if node.neg >= 0 else 1.0
    return base * (1.0 - density) * penalty


def _ancestors(node: _Node) -> set[int]:
    orders = set()
    parent = node.parent
    while parent is not None and len(orders) < _MAX_ANCESTOR_STEPS:
        orders.add(parent.order)
        parent = parent.parent
    return orders


def _common_ancestor(top: _Node, rivals: list[_Node]) -> _Node:
    """When close runners-up sit under one ancestor with the winner, that ancestor is the body.

    An article split into several hinted fragments ("text-description" divs between ads) makes
    each fragment a strong candidate; their shared parent holds the whole text (readability's
    "alternative candidate ancestors").
    """
    if len(rivals) < _MIN_RIVALS:
        return top
    rival_ancestors = [_ancestors(r) for r in rivals]
    node = top.parent
    steps = 0
    while node is not None and node.name not in ("body", "html") and steps < _MAX_ANCESTOR_STEPS:
        if sum(node.order in a for a in rival_ancestors) >= _MIN_RIVALS:
            return node
        node = node.parent
        steps += 1
    return top


def _lone_child_up(node: _Node) -> _Node:
    """Climb while the parent holds no text besides this node, so siblings are the next units."""
    parent = node.parent
    while parent is not None and parent.chars == node.chars and parent.name not in ("body", "html"):
        node, parent = parent, parent.parent
    return node


def _containers(walk: _Walk) -> tuple[_Node, list[_Node]] | None:
    """The element holding the article body, and other elements holding more of it.

    The best candidate is widened to a shared ancestor if need be. Articles split into chunks
    ("article__body" divs between ads and embeds) add the chunks that also score well: the
    winner's siblings, and elements named exactly like the winner elsewhere on the page.
    """
    _mark_boilerplate(walk)
    _vote(walk)
    scored = sorted(((_candidate_score(n), n.order) for n in walk.nodes if n.votes > 0), reverse=True)
    if not scored:
        return None
    best = scored[0][0]
    rivals = [walk.nodes[o] for score, o in scored[1:5] if score >= _RIVAL_RATIO * best]
    winner = walk.nodes[scored[0][1]]
    top = _lone_child_up(_common_ancestor(winner, rivals))
    floor = max(_MIN_SIBLING_SCORE, _SIBLING_RATIO * best)
    name = (winner.name, _class_string(winner.tag))
    extras = [
        node
        for node in (walk.nodes[o] for score, o in scored if score >= floor)
        if node.neg < 0
        and (node.last <= top.first or node.first >= top.last)
        and (node.parent is top.parent or (name[1] and (node.name, _class_string(node.tag)) == name))
    ]
    return top, extras


def _keep(block: _RawBlock, container: _Node) -> bool:
    """Inside the container: drop blocks under boilerplate elements and link lists."""
    if block.neg > container.order or _URL_ONLY.match(block.text):
        return False
    return block.link_chars <= _MAX_LINK_DENSITY * len(block.text)


def _is_stray_paragraph(block: _RawBlock, parent: _Node) -> bool:
    """A long, link-free paragraph right beside the container is article text the markup split
    off; deeper ones belong to other units (teasers of other articles, widgets)."""
    return (
        block.neg < 0
        and (block.owner is parent or block.owner.parent is parent)
        and block.kind != "heading"
        and len(block.text) >= _MIN_SIBLING_CHARS
        and block.link_chars < 0.25 * len(block.text)
    )


def _select(walk: _Walk) -> list[_RawBlock]:
    found = _containers(walk)
    if found is None:
        return [b for b in walk.blocks if b.neg < 0 and b.link_chars <= _MAX_LINK_DENSITY * len(b.text)]
    top, extras = found
    home = {i: c for c in (*extras, top) for i in range(c.first, c.last)}
    parent = top.parent or top
    kept = []
    for index in sorted(home.keys() | range(parent.first, parent.last)):
        block = walk.blocks[index]
        container = home.get(index)
        if _keep(block, container) if container else _is_stray_paragraph(block, parent):
            kept.append(block)
    return kept


def _plain_text_page(text: str) -> Page:
    """Input without any tags: paragraphs are separated by blank lines."""
    blocks = [Block(p) for p in (_WHITESPACE.sub(" ", c).strip() for c in re.split(r"\n\s*\n", text)) if p]
    return Page(blocks[0].text[:200] if blocks else "", blocks[:MAX_BLOCKS])


def _choose_title(head_title: str, h1: str) -> str:
    """The headline: the page's first <h1> when <title> only adds a site name to it."""
    if h1 and (not head_title or h1 in head_title):
        return h1
    return head_title


def extract_page(html: str) -> Page:
    """Main-text blocks of a page in reading order, and its title."""
    html = (html or "")[:MAX_INPUT_CHARS].replace("\x00", "")
    if not html.strip():
        return Page("")
    if not _HAS_TAG.search(html):
        return _plain_text_page(html)
    with warnings.catch_warnings():  # XHTML pages are parsed as HTML on purpose, like a browser
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(prune_html(html), "lxml", multi_valued_attributes=None)
    walk = _Walker().run(soup)
    blocks = [Block(b.text, b.kind) for b in _select(walk)]
    # Unlinked now, the tree is freed by reference counting; left whole, its parent/child cycles
    # wait for the cyclic collector, whose passes then cost tens of ms in some later request.
    soup.clear(decompose=True)
    return Page(_choose_title(page_title(html), walk.h1), _with_headline(walk.h1, blocks))


def _with_headline(headline: str, blocks: list[Block]) -> list[Block]:
    """The headline is a sentence like any other, so the page's <h1> leads the blocks when
    extraction left it out (above the article container): headlines assert claims too. A <title>
    alone is not added: it is not on the page, so the extension could not highlight it."""
    if not headline or any(b.text == headline for b in blocks[:3]):
        return blocks
    return [Block(headline, "heading"), *blocks][:MAX_BLOCKS]


def extract_text(html: str) -> str:
    """The main text as one string, blocks separated by blank lines (the benchmark's interface)."""
    return extract_page(html).text
