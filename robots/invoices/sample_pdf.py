"""Draw a ``SampleInvoice`` as a PDF in one of three layouts, with the DejaVu font so that
ł, ż, õ and ä extract as themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from robots.invoices.fields import fmt_number
from robots.invoices.sample_texts import MONTHS, TEXTS
from robots.invoices.samples import SampleInvoice

FONT_DIR = Path(__file__).parent / "fonts"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # deterministic bytes: no "now" in the file
FONT = "DejaVu"


def new_pdf() -> FPDF:
    """An A4 FPDF with the bundled DejaVu fonts and a fixed creation date."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("backoffice-bots sample generator")
    pdf.set_auto_page_break(False)
    # The Latin subsets (Latin-1, Extended-A/B, punctuation, € and ₹) load ten times faster
    # than the full fonts, which matters when the demo writes forty invoices.
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans-Latin.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Latin-Bold.ttf"))
    pdf.add_page()
    return pdf


def put(pdf: FPDF, x: float, y: float, text: str, size: float = 9, bold: bool = False,
        right: bool = False) -> None:
    """Text with its baseline at ``y``; with ``right`` it ends at ``x``."""
    pdf.set_font(FONT, "B" if bold else "", size)
    if right:
        x -= pdf.get_string_width(text)
    pdf.text(x, y, text)


def money(lang: str, value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    if lang == "en":
        return f"{sign}{groups}.{frac}"
    sep = "." if lang == "de" else "\u00a0"
    return f"{sign}{groups.replace(',', sep)},{frac}"


def number(lang: str, value: Decimal) -> str:
    text = fmt_number(value) or ""
    return text if lang == "en" else text.replace(".", ",")


def date_text(inv: SampleInvoice, d: date) -> str:
    if inv.date_style == "iso":
        return d.isoformat()
    if inv.date_style == "slash_dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if inv.date_style == "words":
        month = MONTHS[inv.lang][d.month - 1]
        return f"{d.day}. {month} {d.year}" if inv.lang == "de" else f"{d.day} {month} {d.year}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


def render_invoice(inv: SampleInvoice, path: Path, *, embedded_xml: bytes | None = None) -> None:
    """The invoice page; with ``embedded_xml`` a Factur-X PDF: the page plus its CII XML
    attached as ``factur-x.xml`` (an associated file with relationship Alternative)."""
    pdf = new_pdf()
    {"classic": _classic, "banner": _banner, "inline": _inline}[inv.layout](pdf, inv)
    if embedded_xml is not None:
        pdf.embed_file(bytes=embedded_xml, basename="factur-x.xml", mime_type="text/xml",
                       associated_file_relationship="Alternative", desc="Factur-X invoice",
                       creation_date=FIXED_DATE, modification_date=FIXED_DATE)
    pdf.output(str(path))


def _t(inv: SampleInvoice) -> dict[str, str]:
    return TEXTS[inv.lang]


def _title(inv: SampleInvoice) -> str:
    return _t(inv)["credit"] if inv.credit else _t(inv)["title"]


def _meta(inv: SampleInvoice) -> list[tuple[str, str]]:
    t = _t(inv)
    rows = [(t["number"], inv.number), (t["date"], date_text(inv, inv.issue)),
            (t["due"], date_text(inv, inv.due))]
    if inv.reference:
        rows.append((t["ref"], grouped(inv.reference, 5) if inv.reference.isdigit()
                     else inv.reference))
    return rows


def _buyer_block(pdf: FPDF, inv: SampleInvoice, x: float, y: float) -> None:
    t = _t(inv)
    put(pdf, x, y, t["buyer"], 8, bold=True)
    put(pdf, x, y + 5, inv.buyer["name"], 10)
    put(pdf, x, y + 10, inv.buyer["address"])
    put(pdf, x, y + 15, f"{t['vat']}: {inv.buyer['tax_id']}")


def _table(pdf: FPDF, inv: SampleInvoice, y: float, order: tuple[str, ...]) -> float:
    """The line items; returns the y below the table."""
    t = _t(inv)
    ends = {"qty": 110.0, "price": 138.0, "rate": 162.0, "amount": 195.0}
    if order[1] == "rate":
        ends = {"rate": 112.0, "qty": 130.0, "price": 160.0, "amount": 195.0}
    put(pdf, 15, y, t["desc"], 8, bold=True)
    for key in order[1:]:
        put(pdf, ends[key], y, t[key], 8, bold=True, right=True)
    pdf.line(15, y + 2, 195, y + 2)
    y += 7
    for ln in inv.lines:
        put(pdf, 15, y, ln.description)
        cells = {"qty": number(inv.lang, ln.quantity),
                 "price": money(inv.lang, inv.unit_price(ln)),
                 "rate": number(inv.lang, ln.tax_rate) + " %",
                 "amount": money(inv.lang, inv.line_amount(ln))}
        for key in order[1:]:
            put(pdf, ends[key], y, cells[key], right=True)
        y += 6
    pdf.line(15, y - 3, 195, y - 3)
    return y + 4


def _totals(pdf: FPDF, inv: SampleInvoice, y: float, with_currency: bool = False) -> float:
    t = _t(inv)
    cur = f" {inv.vendor['currency']}" if with_currency else ""
    put(pdf, 100, y, t["net"])
    put(pdf, 195, y, money(inv.lang, inv.net()) + cur, right=True)
    y += 6
    for rate, (_base, tax) in inv.tax_by_rate().items():
        put(pdf, 100, y, f"{t['tax']} {number(inv.lang, rate)} %")
        put(pdf, 195, y, money(inv.lang, tax) + cur, right=True)
        y += 6
    put(pdf, 100, y, f"{t['total']} {inv.vendor['currency']}", 10, bold=True)
    put(pdf, 195, y, money(inv.lang, inv.total()) + cur, 10, bold=True, right=True)
    return y + 10


def _classic(pdf: FPDF, inv: SampleInvoice) -> None:
    t, v = _t(inv), inv.vendor
    put(pdf, 15, 20, v["name"], 13, bold=True)
    put(pdf, 15, 26, _street(v))
    put(pdf, 130, 20, _title(inv), 16, bold=True)
    y = 30.0
    for label, value in _meta(inv):
        put(pdf, 130, y, label, 8)
        put(pdf, 168, y, value, 9)
        y += 5
    _buyer_block(pdf, inv, 15, 55)
    y = _table(pdf, inv, 90, ("desc", "qty", "price", "rate", "amount"))
    y = _totals(pdf, inv, y)
    put(pdf, 15, y + 6, t["terms"], 8)
    pdf.line(15, 268, 195, 268)
    put(pdf, 15, 273, v["name"], 7, bold=True)
    put(pdf, 15, 277, _street(v), 7)
    put(pdf, 85, 273, f"{t['vat']}: {v['tax_id']}", 7)
    if v["country"] == "FI":
        put(pdf, 85, 277, f"{t['regno']}: {v['tax_id'][2:9]}-{v['tax_id'][9]}", 7)
    put(pdf, 140, 273, f"{t['iban']}: {grouped(v['iban'])}", 7)


def _banner(pdf: FPDF, inv: SampleInvoice) -> None:
    t, v = _t(inv), inv.vendor
    put(pdf, 15, 22, _title(inv), 22, bold=True)
    put(pdf, 130, 15, t["seller"], 8, bold=True)
    put(pdf, 130, 20, v["name"], 10, bold=True)
    put(pdf, 130, 25, _street(v), 8)
    put(pdf, 130, 30, f"{t['vat']} {v['tax_id']}", 8)
    x = 15.0
    for label, value in _meta(inv):
        put(pdf, x, 45, label, 8, bold=True)
        put(pdf, x, 51, value, 10)
        x += 46
    _buyer_block(pdf, inv, 15, 65)
    y = _table(pdf, inv, 95, ("desc", "rate", "qty", "price", "amount"))
    y = _totals(pdf, inv, y)
    pdf.rect(15, y, 100, 18)
    put(pdf, 18, y + 6, f"{t['iban']} {grouped(v['iban'])}", 9)
    put(pdf, 18, y + 12, t["terms"], 8)
    put(pdf, 15, 285, t["page"], 7)


def _inline(pdf: FPDF, inv: SampleInvoice) -> None:
    t, v = _t(inv), inv.vendor
    put(pdf, 15, 18, _title(inv), 16, bold=True)
    y = 30.0
    for label, value in _meta(inv):
        put(pdf, 15, y, f"{label}: {value}", 9)
        y += 5
    put(pdf, 120, 30, f"{t['buyer']}: {inv.buyer['name']}", 9)
    put(pdf, 120, 35, inv.buyer["address"], 9)
    put(pdf, 120, 40, f"{t['vat']}: {inv.buyer['tax_id']}", 9)
    y = _table(pdf, inv, 65, ("desc", "qty", "price", "rate", "amount"))
    y = _totals(pdf, inv, y, with_currency=True)
    put(pdf, 15, y + 4, t["thanks"], 9)
    put(pdf, 15, 262, t["seller"], 8, bold=True)
    put(pdf, 15, 267, v["name"], 9, bold=True)
    put(pdf, 15, 272, f"{_street(v)}  ·  {t['vat']}: {v['tax_id']}", 8)
    put(pdf, 15, 277, f"{t['iban']}: {v['iban']}", 8)


def _street(vendor: dict[str, str]) -> str:
    from robots.invoices.samples import STREETS

    return STREETS[vendor["country"]]
