"""OCR of image-only pages: render with pypdfium2, read with the ``tesseract`` binary.

Tesseract's TSV output gives each word with its box, so the OCR'd page goes through the very
same layout and extraction as a text page. Without tesseract the caller gets ``OcrUnavailable``
and the invoice goes to review with that reason; nothing crashes.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed or failed; the message says which."""


@lru_cache(maxsize=8)
def installed_languages(cmd: str) -> tuple[str, ...]:
    exe = shutil.which(cmd)
    if exe is None:
        return ()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip())


def ocr_page_words(
    pdf_path: Path, page_index: int, *, cmd: str = "tesseract",
    languages: str = "eng+fin+est+pol+deu+swe", dpi: int = 300, timeout: float = 120.0,
) -> list[dict[str, Any]]:
    """The words of one page as pdfplumber-style dicts (PDF points, top-left origin)."""
    exe = shutil.which(cmd)
    if exe is None:
        raise OcrUnavailable(f"{cmd} is not installed")
    have = installed_languages(cmd)
    langs = "+".join(lang for lang in languages.split("+") if lang in have) or "eng"
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        image = pdf[page_index].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    with tempfile.TemporaryDirectory(prefix="bots-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        try:
            out = subprocess.run([exe, str(png), "stdout", "-l", langs, "--psm", "3", "tsv"],
                                 capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.SubprocessError) as exc:
            raise OcrUnavailable(f"{cmd} failed: {exc}") from exc
    if out.returncode != 0:
        raise OcrUnavailable(f"{cmd} exited with {out.returncode}: {out.stderr.strip()[:200]}")
    return parse_tsv(out.stdout, scale=72 / dpi)


def parse_tsv(tsv: str, scale: float) -> list[dict[str, Any]]:
    words: list[dict[str, Any]] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or float(row.get("conf") or -1) < 30:
            continue
        left, top = float(row["left"]) * scale, float(row["top"]) * scale
        width, height = float(row["width"]) * scale, float(row["height"]) * scale
        words.append({"text": text, "x0": left, "x1": left + width, "top": top,
                      "bottom": top + height, "size": height})
    if words:
        # A word box is about the x-height to cap height of the font, not its size; the
        # gap that separates columns is measured against the font size.
        heights = sorted(float(w["size"]) for w in words)
        size = heights[len(heights) // 2] * 1.45
        for w in words:
            w["size"] = size
    return words
