"""Text from outside (a typed user name, a PDF's words, a file name) made safe to keep and show.

Anyone who can reach the sign-in page chooses the user name that becomes an audit event's
actor, and a PDF chooses the reasons an item carries. ``bounded`` is the one rule for such text
wherever it lands in a single line (the audit trail's actor, the ``bots`` commands' output):
at most ``limit`` characters, a visible marker saying how much was cut, and every control
character (newlines, ESC of an ANSI sequence, C1 controls, Unicode line separators, bidi
overrides) written as a visible escape, so it can neither forge a line nor drive the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

# Characters that change how the rest of a line is shown without being control characters
# in the C sense: the bidi embeddings, overrides and isolates (a "Trojan source" name).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

ACTOR_LIMIT = 200  # the events.actor column's width
PAYLOAD_TEXT_LIMIT = 4000  # per string inside an audit payload


def _escape(ch: str) -> str | None:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return None


def _marker(cut: int) -> str:
    return f"…[+{cut} chars]"


def bounded(text: object, limit: int = ACTOR_LIMIT, *, escape: bool = True) -> str:
    """``text`` as one safe line of at most ``limit`` characters (marker included).

    With ``escape`` (the default) control characters become ``\\n``, ``\\x1b``, ``\\u2028``...
    Text that is cut ends in ``…[+N chars]``, N counting the original characters left out.
    """
    value = text if isinstance(text, str) else str(text)
    if limit < 20:
        raise ValueError("limit must leave room for the cut marker")
    if len(value) <= limit:
        whole = "".join((_escape(ch) if escape else None) or ch for ch in value)
        if len(whole) <= limit:
            return whole
    budget = limit - len(_marker(len(value)))  # the widest marker this text can need
    out: list[str] = []
    size = 0
    for index, ch in enumerate(value):
        piece = (_escape(ch) if escape else None) or ch
        if size + len(piece) > budget:
            out.append(_marker(len(value) - index))
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def bounded_payload(value: Any, limit: int = PAYLOAD_TEXT_LIMIT) -> Any:
    """A JSON-like value with every string (keys too) cut to ``limit`` characters. Control
    characters are kept: the payload is stored as JSON, which encodes them, and whoever shows
    it on one line passes it through ``bounded``."""
    if isinstance(value, str):
        return value if len(value) <= limit else bounded(value, limit, escape=False)
    if isinstance(value, Mapping):
        return {bounded_payload(str(k), limit): bounded_payload(v, limit)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [bounded_payload(v, limit) for v in value]
    return value
