"""Bytes to text: UTF-8 only, BOM and CRLF handled, binary and other encodings rejected clearly."""

from __future__ import annotations

from natostance.errors import InputError

# control characters that no text file holds; ASCII, so counted in the bytes (UTF-8 puts no byte < 0x80 elsewhere)
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_BINARY_MARKERS = (b"\x00", b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")


def decode(data: bytes, where: str) -> str:
    """Decode a raw file. Returns text with ``\\n`` line ends and no BOM, or raises ``InputError``."""
    if not data.strip():
        raise InputError(where, "file is empty (expected an article)")
    if any(data.startswith(m) for m in _BINARY_MARKERS[1:]) or b"\x00" in data[:8192]:
        raise InputError(where, "binary file (expected UTF-8 text, JSON or HTML)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        hint = ""
        try:
            data.decode("cp1252")
            hint = "; it decodes as Windows-1252/Latin-1: re-save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise InputError(where, f"not UTF-8: byte 0x{bad} at offset {exc.start}{hint}") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(data) - len(data.translate(None, _CONTROL))
    if controls > max(8, len(text) // 100):
        raise InputError(where, f"binary file ({controls} control characters; expected text)")
    return text
