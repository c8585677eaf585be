"""Reading raw input: bytes are decoded (BOM, strict UTF-8, then charset detection)."""

from __future__ import annotations

import codecs

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
# charset-normalizer "chaos" (mess ratio) within which two guesses count as equally clean.
CHAOS_TIE = 0.01


def decode(raw: bytes, source: str = "<input>") -> str:
    """Decode bytes to text: BOM, then strict UTF-8, then charset-normalizer's best guess."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"{source}: has a {encoding} byte-order mark but {error}") from error
    if raw.count(0) > MAX_NUL_SHARE * len(raw):
        return _decode_nul_bytes(raw, source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(raw))
    if not matches:
        raise InputError(f"{source}: cannot detect the text encoding")
    best = matches[0]
    # Single-byte guesses that read equally cleanly are ties; windows-1252 is the web's most common
    # legacy charset (WHATWG maps latin-1 to it), so it wins a tie.
    tied = [m for m in matches if m.chaos <= best.chaos + CHAOS_TIE and m.encoding == PREFERRED_LEGACY]
    return str(tied[0] if tied else best)


def _decode_nul_bytes(raw: bytes, source: str) -> str:
    """Text with many NUL bytes is UTF-16 without a byte-order mark, or it is binary."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) / 2
    if odd >= UTF16_NUL_SHARE * half > even or even >= UTF16_NUL_SHARE * half > odd:
        try:
            text = raw.decode("utf-16-le" if odd > even else "utf-16-be")
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text:
                return text
    raise InputError(f"{source}: looks binary (NUL bytes), not a text or HTML page")


def read(raw: str | bytes, source: str = "<input>") -> str:
    """The input as text (bytes decoded; str passed through untouched)."""
    if isinstance(raw, bytes):
        text = decode(raw, source)
    elif isinstance(raw, str):
        text = raw
    else:
        raise TypeError(f"{source}: expected str or bytes, got {type(raw).__name__}")
    return text
