"""Words with positions grouped into lines and, within a line, into segments.

A segment is a run of words with no more than a word space between them: a label, a value,
a table cell. Reading with segments instead of one flat string is what lets the reader pair
a label with the value to its right or below it, whatever the layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backoffice.locale import fold_aligned


@dataclass
class Segment:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    line: int = 0  # index of its line in the document
    folded: str = ""  # ``fold(text)``: labels are matched here
    # Where each folded character starts in ``text``; None while folding kept the length.
    _origin: tuple[int, ...] | None = field(default=None, init=False, repr=False,
                                            compare=False)

    def __post_init__(self) -> None:
        self.folded, self._origin = fold_aligned(self.text)

    def text_from(self, folded_index: int) -> str:
        """The original text from the place ``folded_index`` of ``folded`` points at (a
        ``ß`` folds to two letters, so the two can differ in length)."""
        if self._origin is None:
            return self.text[folded_index:]
        return self.text[self._origin[min(folded_index, len(self._origin) - 1)]:]

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def overlaps_x(self, other: Segment, slack: float = 0.0) -> bool:
        return self.x0 - slack < other.x1 and other.x0 - slack < self.x1


@dataclass
class Line:
    segments: list[Segment]
    top: float
    bottom: float
    page: int
    index: int = 0

    @property
    def text(self) -> str:
        return "  ".join(s.text for s in self.segments)


@dataclass
class Document:
    """All lines of all pages, pages stacked top to bottom (``top`` grows page by page)."""

    lines: list[Line] = field(default_factory=list)
    page_count: int = 0
    pages_read: int = 0
    ocr_pages: int = 0

    @property
    def segments(self) -> list[Segment]:
        return [s for ln in self.lines for s in ln.segments]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


PAGE_GAP = 10_000.0  # added to ``top`` per page so positions never collide across pages


def build_lines(words: Iterable[Mapping[str, Any]], page: int, start_index: int) -> list[Line]:
    """Group pdfplumber-style words (``text x0 x1 top bottom`` and optional ``size``)."""
    items = sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"])))
    rows: list[list[Mapping[str, Any]]] = []
    for w in items:
        h = float(w["bottom"]) - float(w["top"])
        if rows:
            last = rows[-1]
            ref_top = sum(float(x["top"]) for x in last) / len(last)
            if abs(float(w["top"]) - ref_top) <= max(2.0, h * 0.45):
                last.append(w)
                continue
        rows.append([w])
    groups = [_groups(sorted(row, key=lambda w: float(w["x0"]))) for row in rows]
    _split_aligned_keys(groups)
    lines: list[Line] = []
    offset = page * PAGE_GAP
    for row_groups in groups:
        segments = [_segment(g, page, offset) for g in row_groups]
        index = start_index + len(lines)
        for s in segments:
            s.line = index
        lines.append(Line(segments=segments, top=min(s.top for s in segments),
                          bottom=max(s.bottom for s in segments), page=page, index=index))
    return lines


Word = Mapping[str, Any]


def _groups(row: list[Word]) -> list[list[Word]]:
    """A row's words in runs with no more than a word space between them."""
    out: list[list[Word]] = []
    current: list[Word] = []
    for w in row:
        if current:
            prev = current[-1]
            size = float(prev.get("size") or (float(prev["bottom"]) - float(prev["top"])))
            gap = float(w["x0"]) - float(prev["x1"])
            w_size = float(w.get("size") or (float(w["bottom"]) - float(w["top"])))
            if gap > max(size * 0.62, 3.5) or (gap > 1.5 and abs(w_size - size) > size / 4):
                out.append(current)
                current = []
        current.append(w)
    if current:
        out.append(current)
    return out


def _is_key(word: Word) -> bool:
    text = str(word["text"])
    return len(text) > 1 and text.endswith(":") and any(c.isalpha() for c in text)


def _split_aligned_keys(groups: list[list[list[Word]]]) -> None:
    """A value too long for its cell runs into the next column's key ('Rheinland
    Dachtechnik GmbH Name:'): a 'Key:' word inside a run starts a run of its own when the
    lines above or below start a 'Key:' at the same place (a column of keys)."""
    for i, row_groups in enumerate(groups):
        for gi in range(len(row_groups) - 1, -1, -1):
            run = row_groups[gi]
            for k in range(len(run) - 1, 0, -1):
                if _is_key(run[k]) and _key_column_at(groups, i, float(run[k]["x0"])):
                    row_groups[gi:gi + 1] = [run[:k], run[k:]]
                    run = run[:k]


def _key_column_at(groups: list[list[list[Word]]], i: int, x0: float) -> bool:
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(groups) and any(
                abs(float(g[0]["x0"]) - x0) < 1.5 and _is_key(g[0]) for g in groups[j]):
            return True
    return False


def _segment(words: list[Mapping[str, Any]], page: int, offset: float) -> Segment:
    sizes = [float(w.get("size") or (float(w["bottom"]) - float(w["top"]))) for w in words]
    return Segment(
        text=" ".join(str(w["text"]) for w in words),
        x0=float(words[0]["x0"]), x1=float(words[-1]["x1"]),
        top=min(float(w["top"]) for w in words) + offset,
        bottom=max(float(w["bottom"]) for w in words) + offset,
        size=max(sizes), page=page,
    )
