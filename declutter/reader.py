"""Reading raw input: bytes are decoded, and a page is told apart as HTML or plain text.

Bytes are decoded in this order: an encoding the caller passes (e.g. from an HTTP header), a
byte-order mark, the page's own ``<meta charset>`` (HTML only), strict UTF-8, then charset
detection. A declared encoding that cannot decode the bytes strictly is passed over, so a page
declared UTF-8 but written in cp1252 still reads; and bytes that are valid, non-ASCII UTF-8 are
read as UTF-8 whatever legacy charset is declared (a page declared ISO-8859-1 by a server default
is usually UTF-8, and real legacy text is almost never valid UTF-8 by chance).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from charset_normalizer import from_bytes

from declutter.errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of NUL bytes above which undecodable input is taken for binary, not text.
MAX_NUL_SHARE = 0.01
# Share of the odd (or even) bytes that are NUL in ASCII-heavy UTF-16 text without a BOM.
UTF16_NUL_SHARE = 0.3
PREFERRED_LEGACY = "cp1252"
# Bytes that are not valid UTF-8 become U+DC80-U+DCFF under "surrogateescape".
STRAY_RUN_RE = re.compile("[\udc80-\udcff]+")
NON_ASCII_RE = re.compile("[^\x00-\x7f]")
# A page is UTF-8 with stray bytes (a cp1252 snippet pasted into a UTF-8 page) when it has valid
# UTF-8 beyond ASCII and its stray bytes sit alone among ASCII, as single accented letters do: runs
# of at most MAX_STRAY_RUN bytes on average, at least MIN_ASCII_BORDERED of them with ASCII (or
# the text's ends) on both sides. Legacy text that is valid UTF-8 here and there by chance fails
# this: CJK pairs stand next to each other, Cyrillic and Greek words are runs of many bytes.
MAX_STRAY_RUN = 2.0
MIN_ASCII_BORDERED = 0.8
# charset-normalizer "chaos" (mess ratio) within which two guesses count as equally clean.
CHAOS_TIE = 0.01


# How far into a page to look for its <meta charset> (the HTML standard's prescan reads 1024 bytes;
# real pages put long scripts before it, so more is read).
CHARSET_PRESCAN = 4096
META_CHARSET_RE = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+-]+)", re.IGNORECASE)
# Declared names decoded as the superset browsers use (WHATWG Encoding): GB2312 pages are often
# really GBK or GB18030, and Latin-1 pages windows-1252.
ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
}
# A UTF-16 named in a meta tag is impossible (the tag would not be ASCII-readable): browsers read
# it as UTF-8. Only the meta tag gets this; a caller's (HTTP) UTF-16 is meant.
META_UTF16_NAMES = frozenset({"utf-16", "utf-16le", "utf-16be"})
# A sample of this many characters decides whether a page is HTML.
SNIFF_CHARS = 4096
# A page opening with a doctype or one of the document's tags is HTML. So is one that opens with
# any other tag or comment and has a document tag, or at least HTML_MIN_TAGS common tags, early on
# (pages saved with a wrapper element or a leading script, fragments). A text dump that quotes tags
# (a tutorial's innerText, say) does not open with one and stays text.
HTML_START_RE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|script|style|template|noscript|link)\b", re.IGNORECASE
)
# What may come before a page's first tag: whitespace, a BOM, comments, an XML declaration.
LEADING_SPACE = " \t\r\n\f\ufeff"
PROLOGUE = (("<!--", "-->"), ("<?xml", ">"))
SPACE_RE = re.compile(f"[{LEADING_SPACE}]*")
DOCUMENT_TAG_RE = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
HTML_TAG_RE = re.compile(r"</?(?:p|div|span|a|br|li|ul|td|tr|table|h[1-6]|img|section|article)\b[^>]*>", re.I)
HTML_MIN_TAGS = 5
# How far to look for a document tag in a page that opens with another tag.
DOCUMENT_TAG_CHARS = 65536


def looks_like_html(raw: str | bytes) -> bool:
    """Whether a page is HTML rather than plain text (decided on its first characters)."""
    head = _sniff_sample(raw[:DOCUMENT_TAG_CHARS]) if isinstance(raw, bytes) else raw[:DOCUMENT_TAG_CHARS]
    start = _after_prologue(head)
    if HTML_START_RE.match(head, start) or (start > 0 and start == len(head)):
        return True  # a document tag first, or nothing but comments (an empty page's markup)
    if not head.lstrip(LEADING_SPACE).startswith("<"):
        return False
    return bool(DOCUMENT_TAG_RE.search(head)) or len(HTML_TAG_RE.findall(head[:SNIFF_CHARS])) >= HTML_MIN_TAGS


def _after_prologue(head: str) -> int:
    """Where the page's first tag would start: past whitespace, comments and an XML declaration.
    (A scan, not a regex: a regex over repeated comments backtracks exponentially when none fits.)"""
    position = SPACE_RE.match(head).end()  # type: ignore[union-attr]
    while True:
        for opener, closer in PROLOGUE:
            if head.startswith(opener, position):
                end = head.find(closer, position + len(opener))
                if end < 0:
                    return position
                position = SPACE_RE.match(head, end + len(closer)).end()  # type: ignore[union-attr]
                break
        else:
            return position


def _sniff_sample(head: bytes) -> str:
    """The first bytes as text, well enough to look for tags."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return head.decode(name, errors="ignore")
    if _many_nuls(head):  # UTF-16 without BOM (or binary)
        return head.decode(_utf16_byte_order(head), errors="ignore")
    return head.decode("latin-1")


# File signatures of formats that are never a page, whatever their name says: a scraper that saved
# an image, a PDF or an archive as .html gets a clear error instead of a guessed encoding.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE (old Office) document"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a WOFF font"),
    (b"wOF2", "a WOFF2 font"),
)
# Short signatures count only with what follows them (see SIGNATURE_CHECKS below).
BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")
# A Windows executable's PE header sits at the offset stored in bytes 60-63.
PE_OFFSET_AT = 60
# Media containers carry their signature at offset 4 ("ftyp" for MP4/MOV) or 8 (RIFF "WEBP"/"AVI ").
CONTAINER_RE = re.compile(rb"^(?:[\x00-\xff]{4}ftyp|RIFF[\x00-\xff]{4}(?:WEBP|AVI |WAVE))")


def binary_kind(raw: bytes) -> str | None:
    """What binary format the bytes are, by their signature, or None for anything else."""
    for signature, kind in BINARY_SIGNATURES:
        check = SIGNATURE_CHECKS.get(signature)
        if raw.startswith(signature) and (check is None or check(raw)):
            return kind
    return "a media file (image, audio or video)" if CONTAINER_RE.match(raw) else None


def _is_pe(raw: bytes) -> bool:
    """Whether "MZ" bytes are a Windows executable: "PE\\0\\0" where bytes 60-63 point."""
    offset = int.from_bytes(raw[PE_OFFSET_AT : PE_OFFSET_AT + 4], "little")
    return len(raw) >= PE_OFFSET_AT + 4 and raw[offset : offset + 4] == b"PE\x00\x00"


SIGNATURE_CHECKS: dict[bytes, Callable[[bytes], bool]] = {
    b"BZh": lambda raw: bool(BZIP2_RE.match(raw)),
    b"MZ": _is_pe,
}


def _many_nuls(raw: bytes) -> bool:
    """Whether the bytes hold more NULs than text in a single-byte or UTF-8 encoding would."""
    return raw.count(0) > MAX_NUL_SHARE * len(raw)


def _utf16_byte_order(raw: bytes) -> str:
    """UTF-16 without a BOM: little-endian when the NULs sit in the odd bytes (ASCII-heavy text)."""
    return "utf-16-le" if raw[1::2].count(0) > raw[0::2].count(0) else "utf-16-be"


def codec_name(label: str) -> str | None:
    """The Python codec for an encoding label (with the browsers' supersets), or None."""
    name = label.strip().lower()
    name = ENCODING_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(raw: bytes) -> str | None:
    """The codec named by the page's ``<meta charset>`` or ``http-equiv`` tag, if any."""
    match = META_CHARSET_RE.search(raw[:CHARSET_PRESCAN])
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    return "utf-8" if label.strip().lower() in META_UTF16_NAMES else codec_name(label)


def _strict(raw: bytes, encoding: str | None) -> str | None:
    """The bytes decoded with a declared encoding, or None when it cannot decode them."""
    codec = codec_name(encoding) if encoding is not None else None
    if codec is None:
        return None
    if not codec.startswith("utf") and not raw.isascii() and 0 not in raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(
    raw: bytes,
    source: str = "<input>",
    encoding: str | None = None,
    html: bool = False,
) -> str:
    """Decode bytes to text: the caller's encoding, BOM, ``<meta charset>`` (``html``), strict
    UTF-8, then charset-normalizer's best guess. Known binary formats are refused by signature."""
    kind = binary_kind(raw)
    if kind is not None:
        raise InputError(f"{source}: is {kind}, not a text or HTML page")
    text = _strict(raw, encoding)
    if text is not None:
        return text
    for bom, name in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name)
            except UnicodeDecodeError as error:
                raise InputError(f"{source}: has a {name} byte-order mark but {error}") from error
    text = _strict(raw, declared_charset(raw)) if html else None
    if text is not None:
        return text
    if _many_nuls(raw):
        return _decode_nul_bytes(raw, source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(raw)
    if text is not None:
        return text
    matches = list(from_bytes(raw))
    if not matches:
        raise InputError(f"{source}: cannot detect the text encoding")
    best = matches[0]
    # Single-byte guesses that read equally cleanly are ties; windows-1252 is the web's most common
    # legacy charset (WHATWG maps latin-1 to it), so it wins a tie.
    tied = [m for m in matches if m.chaos <= best.chaos + CHAOS_TIE and m.encoding == PREFERRED_LEGACY]
    return str(tied[0] if tied else best)


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a cp1252 snippet pasted into a UTF-8 page, say): the UTF-8
    read as such and each stray byte as cp1252; None when most non-ASCII is not valid UTF-8."""
    text = raw.decode("utf-8", "surrogateescape")
    runs = list(STRAY_RUN_RE.finditer(text))
    stray = sum(len(run.group()) for run in runs)
    if not runs or len(NON_ASCII_RE.findall(text)) == stray or stray > MAX_STRAY_RUN * len(runs):
        return None
    bordered = sum(_ascii_at(text, run.start() - 1) and _ascii_at(text, run.end()) for run in runs)
    if bordered < MIN_ASCII_BORDERED * len(runs):
        return None
    return STRAY_RUN_RE.sub(_as_cp1252, text)


def _ascii_at(text: str, index: int) -> bool:
    return not 0 <= index < len(text) or text[index] < "\x80"


def _as_cp1252(match: re.Match[str]) -> str:
    return bytes(ord(char) - 0xDC00 for char in match.group()).decode(PREFERRED_LEGACY, "replace")


def _decode_nul_bytes(raw: bytes, source: str) -> str:
    """Text with many NUL bytes is UTF-16 without a byte-order mark, or it is binary."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) / 2
    if odd >= UTF16_NUL_SHARE * half > even or even >= UTF16_NUL_SHARE * half > odd:
        try:
            text = raw.decode(_utf16_byte_order(raw))
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text:
                return text
    raise InputError(f"{source}: looks binary (NUL bytes), not a text or HTML page")


def read(raw: str | bytes, source: str = "<input>", encoding: str | None = None, html: bool = False) -> str:
    """The input as text (bytes decoded; str passed through untouched)."""
    if isinstance(raw, bytes):
        text = decode(raw, source, encoding, html)
    elif isinstance(raw, str):
        text = raw
    else:
        raise TypeError(f"{source}: expected str or bytes, got {type(raw).__name__}")
    return text
