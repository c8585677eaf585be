"""read: bytes are decoded (BOM, strict UTF-8, charset detection); str passes through."""

from __future__ import annotations

import pytest

from declutter.errors import InputError
from declutter.reader import codec_name, declared_charset, decode, looks_like_html, read


def test_str_passes_through_verbatim() -> None:
    assert read("  a\u00a0b\n") == "  a\u00a0b\n"


def test_utf8_bytes() -> None:
    assert read("Iran’s “duty”".encode()) == "Iran’s “duty”"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_bom_decides(encoding: str) -> None:
    assert decode("Größe und Maß".encode(encoding)) == "Größe und Maß"


def test_legacy_encoding_is_detected() -> None:
    text = "Le ministère a annoncé une réforme générale des études supérieures. " * 5
    assert decode(text.encode("cp1252")) == text


def test_binary_is_refused_with_the_input_named() -> None:
    with pytest.raises(InputError, match=r"page\.bin"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 20, "page.bin")


def test_other_types_are_refused() -> None:
    with pytest.raises(TypeError):
        read(12)  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(encoding: str) -> None:
    text = "A page of ordinary text, encoded as UTF-16 without a byte-order mark.\n" * 3
    assert decode(text.encode(encoding)) == text


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00" * 1000, "zeros.txt")


PAGE = "<!DOCTYPE html><html><head>{meta}<title>Grüße</title></head><body><p>{body}</p></body></html>"
FRENCH = "Le ministère a annoncé une réforme générale des études supérieures à Besançon."


def test_meta_charset_decides_before_guessing() -> None:
    page = PAGE.format(meta='<meta charset="windows-1252">', body=FRENCH)
    assert decode(page.encode("cp1252"), html=True) == page


def test_http_equiv_charset_is_read() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    page = PAGE.format(meta=meta, body=FRENCH)
    assert decode(page.encode("cp1252"), html=True) == page


def test_caller_encoding_comes_first_and_is_passed_over_when_it_cannot_decode() -> None:
    page = "<html><body><p>Ελληνικά: η κυβέρνηση ανακοίνωσε νέα μέτρα.</p></body></html>"
    assert decode(page.encode("cp1253"), encoding="cp1253", html=True) == page
    assert decode(page.encode("utf-8"), encoding="ascii", html=True) == page  # the header lied


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "koi8-r", "shift_jis"])
def test_utf8_page_declared_legacy_reads_as_utf8(declared: str) -> None:
    page = PAGE.format(meta=f'<meta charset="{declared}">', body=FRENCH)
    assert decode(page.encode("utf-8"), html=True) == page
    assert decode(page.encode("utf-8"), encoding=declared) == page


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16le", "utf-16-be"])
def test_caller_utf16_is_utf16(encoding: str) -> None:
    text = "Plain words of a page, sent as UTF-16 by a server that says so."
    codec = "utf-16-be" if encoding.endswith("be") else "utf-16-le" if encoding.endswith("le") else "utf-16"
    assert decode(text.encode(codec), encoding=encoding) == text


def test_meta_utf16_is_read_as_utf8() -> None:
    page = PAGE.format(meta='<meta charset="utf-16">', body=FRENCH)
    assert declared_charset(page.encode("utf-8")) == "utf-8"
    assert decode(page.encode("utf-8"), html=True) == page


def test_cp1252_page_declared_utf8_still_reads() -> None:
    page = PAGE.format(meta='<meta charset="utf-8">', body=FRENCH + " “Quoted” — dash.")
    assert decode(page.encode("cp1252"), html=True) == page


def test_gb2312_page_that_is_really_gb18030_reads() -> None:
    body = "中文新闻报道：镕基与喆、堃等字不在 GB2312 中，但在 GB18030 中。"
    page = PAGE.format(meta='<meta charset="gb2312">', body=body)
    assert decode(page.encode("gb18030"), html=True) == page


def test_text_input_ignores_meta_charset_lookalikes() -> None:
    text = 'The tag <meta charset="koi8-r"> names an encoding. Größe.'
    assert decode(text.encode("utf-8")) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("\n  <!-- saved page -->\n<html lang='en'><body>x</body></html>", True),
        ("<div><p>a</p><p>b</p><span>c</span></div>", True),
        ("A text dump that quotes <p> and <div> and <br> and <a> and <li> tags.", False),
        ("Plain text dump\nSecond line", False),
        ("", False),
    ],
)
def test_html_is_told_from_text(raw: str, expected: bool) -> None:
    assert looks_like_html(raw) is expected
    assert looks_like_html(raw.encode("utf-8")) is expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_html_is_recognised(encoding: str) -> None:
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>".encode(encoding))


def test_codec_names_map_to_browser_supersets() -> None:
    assert codec_name("GB2312") == "gb18030"
    assert codec_name("iso-8859-1") == "cp1252"
    assert codec_name("no-such-charset") is None
