"""HTML bytes -> str: pick the page's character encoding the way a browser would.

Order of evidence follows the WHATWG encoding sniffing algorithm, simplified: a byte order mark,
then the charset the HTTP layer declared, then a `<meta>` declaration near the top, then a strict
UTF-8 attempt, then windows-1252 (what browsers assume for undeclared legacy Western pages).
Decoding never raises: undecodable bytes become U+FFFD, and NUL bytes are dropped because
they break parsers and never belong in text.
"""

from __future__ import annotations

import codecs
import re

# Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers only look this far for a <meta> charset (the HTML standard says 1024 bytes; pages
# with long <head> preambles put it later, so allow a little more).
_META_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels whose WHATWG meaning differs from Python's codec of the same name.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "x-user-defined": "cp1252",
    "utf8": "utf-8",
}
_FALLBACK = "cp1252"
_NOT_PAGE_ENCODINGS = frozenset({"idna", "punycode", "undefined", "raw-unicode-escape", "unicode-escape"})


def _codec(label: str | None) -> str | None:
    """Map a declared charset label to a Python codec name, or None if it names nothing usable."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # rot13, base64, zlib, idna and the like are codecs but not text encodings of a page.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    canonical = info.name
    # A <meta> or header that claims UTF-16/32 on bytes without a BOM is wrong in practice
    # (the declaration itself was readable as ASCII), so browsers read it as UTF-8.
    if canonical.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return canonical


def _bom(raw: bytes) -> tuple[str, int] | None:
    for mark, name in _BOMS:
        if raw.startswith(mark):
            return name, len(mark)
    return None


def _meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw, 0, _META_WINDOW)
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def _sniff(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(_FALLBACK, errors="replace")


def decode_html(raw: bytes, declared_charset: str | None = None) -> str:
    """Decode page bytes to text; never raises, whatever the bytes are."""
    if isinstance(raw, str):
        return raw.replace("\x00", "")
    bom = _bom(raw)
    if bom:
        name, skip = bom
        text = raw[skip:].decode(name, errors="replace")
    else:
        name = _codec(declared_charset) or _meta_charset(raw)
        text = raw.decode(name, errors="replace") if name else _sniff(raw)
    return text.replace("\x00", "")
