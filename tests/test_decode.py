"""HTML bytes -> str: the encoding is found from BOM, HTTP header, <meta> or the bytes themselves."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.decode import decode_html

TEXT = "Café, naïve — “quoted” 50 µg"


def test_utf8_without_declaration() -> None:
    assert decode_html(TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_mark_wins_over_declarations(bom: bytes, codec: str) -> None:
    raw = bom + f'<meta charset="windows-1252"><p>{TEXT}</p>'.encode(codec)
    assert decode_html(raw, declared_charset="iso-8859-2") == f'<meta charset="windows-1252"><p>{TEXT}</p>'


def test_http_charset_is_used() -> None:
    assert decode_html("Привет, мир".encode("koi8-r"), declared_charset="KOI8-R") == "Привет, мир"


def test_latin1_label_means_windows_1252_as_in_browsers() -> None:
    assert decode_html("“smart quotes” café".encode("cp1252"), declared_charset="ISO-8859-1") == (
        "“smart quotes” café"
    )


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        "<meta charset=windows-1251>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ],
)
def test_meta_charset_is_used(meta: str) -> None:
    html = f"<html><head>{meta}</head><body>Здоровье и питание</body></html>"
    assert decode_html(html.encode("cp1251")) == html


def test_meta_shift_jis() -> None:
    html = '<head><meta charset="shift_jis"></head><p>健康と栄養</p>'
    assert decode_html(html.encode("shift_jis")) == html


def test_undeclared_legacy_bytes_fall_back_to_windows_1252() -> None:
    assert decode_html("naïve café – done".encode("cp1252")) == "naïve café – done"


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_html(TEXT.encode("utf-8"), declared_charset="no-such-charset") == TEXT


def test_declared_utf16_without_bom_is_read_as_utf8() -> None:
    html = f'<meta charset="utf-16"><p>{TEXT}</p>'
    assert decode_html(html.encode("utf-8")) == html


def test_nul_bytes_are_dropped() -> None:
    assert decode_html(b"a\x00b\x00c") == "abc"


def test_wrong_declaration_never_raises() -> None:
    assert decode_html(b"\xfa\xfb ok", declared_charset="utf-8") == "\ufffd\ufffd ok"


def test_str_input_is_passed_through() -> None:
    assert decode_html("already text\x00") == "already text"  # type: ignore[arg-type]


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "shift_jis", "utf-16", "bogus", ""]))
def test_any_bytes_decode_without_error(raw: bytes, charset: str | None) -> None:
    text = decode_html(raw, charset)
    assert isinstance(text, str)
    assert "\x00" not in text
