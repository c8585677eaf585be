"""read: bytes are decoded (BOM, strict UTF-8, charset detection); str passes through."""

from __future__ import annotations

import pytest

from declutter.errors import InputError
from declutter.reader import decode, read


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
