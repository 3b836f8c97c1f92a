"""Reading one side: find the header, map the columns, parse every row into a ``Record``.

A row whose amount is text (``"n/a"``) is kept as a record with a ``problem`` and becomes an
exception row; blank rows and "Total"/"Balance" footer rows are skipped; anything that makes
the whole file unusable (no amount column, an empty sheet) raises ``InputRejected``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from backoffice.errors import InputRejected
from backoffice.locale import fold_words
from robots.reconcile.headers import (
    ColumnMap,
    find_header,
    map_columns,
    resolve_named,
)
from robots.reconcile.keys import name_key, reference_keys, text_keys, unique
from robots.reconcile.model import Issue, Record, Side, SideData
from robots.reconcile.rules import MULTI_FIELDS, Rules, SideRules
from robots.reconcile.sheets import Sheet, open_sheets
from robots.reconcile.values import amount_cents, date_ordinal, infer_dayfirst, infer_decimal

Progress = Callable[[int], None]
_MISSING: Any = object()
_SAMPLE = 200
_HEADER_SCAN = 40
_FOOTER = re.compile(
    r"(?i)\b(total|totals|sum|summa|yhteensa|yhteensä|razem|suma|gesamt|summe|kokku|"
    r"totalt|saldo|balance|opening|closing|alkusaldo|loppusaldo)\b"
)


def read_side(
    paths: Sequence[Path], side: Side, rules: Rules, progress: Progress | None = None
) -> SideData:
    """All records of one side, from one or more files, in file and row order."""
    side_rules = rules.left if side == "left" else rules.right
    data = SideData(files=[str(p) for p in paths], records=[])
    for index, path in enumerate(paths):
        _read_file(path, index, side, side_rules, rules, data, progress)
    if not data.records:
        names = ", ".join(p.name for p in paths)
        raise InputRejected("empty_sheet", f"{names}: no data rows below the header")
    return data


def _read_file(
    path: Path,
    file_index: int,
    side: Side,
    side_rules: SideRules,
    rules: Rules,
    data: SideData,
    progress: Progress | None,
) -> None:
    sheet, head, header_index = _pick_sheet(path, side_rules, rules.max_rows)
    cmap = map_columns(head[header_index][1], header_index)
    rest = itertools.chain(head[header_index + 1 :], sheet.rows)
    sample = list(itertools.islice(rest, _SAMPLE))
    cols = _choose_columns(path, cmap, side_rules, [cells for _, cells in sample])
    data.columns = {name: ", ".join(cmap.headers[c] for c in cs) for name, cs in cols.items()}
    parse = _row_parser(cols, side_rules, [cells for _, cells in sample], rules)
    count = 0
    for row_number, cells in itertools.chain(sample, rest):
        record = parse(cells, side, file_index, row_number)
        if record is None:
            continue
        count += 1
        if count > rules.max_rows:
            raise InputRejected(
                "too_many_rows",
                f"{path.name}: more than {rules.max_rows:,} data rows; split the file or "
                "raise max_rows in the rules file",
            )
        data.records.append(record)
        if record.problem:
            kind = "bad_amount" if record.cents is None else "bad_date"
            data.issues.append(Issue(kind=kind, record=record, note=record.problem))
        if progress is not None and count % 5000 == 0:
            progress(5000)
    if progress is not None:
        progress(count % 5000)


def _pick_sheet(
    path: Path, side_rules: SideRules, max_rows: int
) -> tuple[Sheet, list[tuple[int, list[Any]]], int]:
    seen: list[str] = []
    for sheet in open_sheets(path, max_rows=max_rows):
        seen.append(sheet.name)
        if side_rules.sheet and sheet.name != side_rules.sheet:
            continue
        head = list(itertools.islice(sheet.rows, _HEADER_SCAN))
        if side_rules.header_row is not None:
            index = next(
                (i for i, (n, _) in enumerate(head) if n == side_rules.header_row), None
            )
        else:
            index = find_header([cells for _, cells in head])
        if index is not None:
            return sheet, head, index
        if side_rules.sheet or side_rules.header_row is not None:
            break
    if side_rules.sheet and side_rules.sheet not in seen:
        raise InputRejected(
            "missing_sheet", f"{path.name}: no sheet named {side_rules.sheet!r} (has {seen})"
        )
    if not seen:
        raise InputRejected("empty_sheet", f"{path.name}: the workbook has no worksheet")
    raise InputRejected(
        "missing_column",
        f"{path.name}: no header row with an amount column (and a date or reference) in the "
        f"first {_HEADER_SCAN} rows of {seen}; map the columns in a rules file",
    )


def _choose_columns(
    path: Path, cmap: ColumnMap, side_rules: SideRules, sample: list[list[Any]]
) -> dict[str, list[int]]:
    cols: dict[str, list[int]] = {}
    for name in ("date", "amount", "debit", "credit", "reference", "text", "name", "iban"):
        wanted = side_rules.mapped(name)
        if wanted:
            found = []
            for header in wanted:
                col = resolve_named(cmap.headers, header)
                if col is None:
                    raise InputRejected(
                        "missing_column",
                        f"{path.name}: column {header!r} (rules {name}) is not in the header "
                        f"{[h for h in cmap.headers if h]}",
                    )
                found.append(col)
            cols[name] = found
            continue
        candidates = cmap.candidates.get(name, [])
        if name in MULTI_FIELDS:
            if candidates:
                cols[name] = candidates
        elif name in ("date", "amount"):
            check = date_ordinal if name == "date" else amount_cents
            good = [c for c in candidates if _parses(sample, c, check)]
            if good:
                cols[name] = good[:1]
        elif name in ("debit", "credit"):
            good = [c for c in candidates if _parses(sample, c, amount_cents)]
            if good:
                cols[name] = good[:1]
        elif candidates:
            cols[name] = candidates[:1]
    sign = _sign_column(cmap, sample, cols)
    if sign is not None:
        cols["sign"] = [sign]
    if "amount" not in cols and not ("debit" in cols or "credit" in cols):
        raise InputRejected(
            "missing_column",
            f"{path.name}: no amount column (nor debit/credit columns) in the header "
            f"{[h for h in cmap.headers if h]}; map it in a rules file",
        )
    if "date" not in cols and "reference" not in cols and "text" not in cols:
        raise InputRejected(
            "missing_column",
            f"{path.name}: neither a date nor a reference column in the header "
            f"{[h for h in cmap.headers if h]}; map them in a rules file",
        )
    return cols


# A debit/credit indicator beside an unsigned amount (German Soll/Haben "S"/"H", Estonian
# Deebet/Kreedit "D"/"K", Polish Wn/Ma, ISO 20022 CRDT/DBIT).
_DEBIT_MARKS = frozenset({"s", "d", "dr", "db", "dbit", "debit", "debet", "deebet", "soll",
                          "w", "wn", "winien", "out", "o", "ut", "lastschrift"})
_CREDIT_MARKS = frozenset({"h", "k", "c", "cr", "crdt", "credit", "kredit", "kreedit",
                           "haben", "ma", "in", "i", "gutschrift"})
_SIGN_HEADERS = frozenset({"s h", "d c", "c d", "dr cr", "cr dr", "d k", "k d", "db cr",
                           "debit credit", "credit debit", "soll haben", "deebet kreedit",
                           "wn ma", "cdtdbtind", "credit debit indicator", "d c indicator",
                           "debit credit indicator", "sign", "kennzeichen"})


def _sign_column(
    cmap: ColumnMap, sample: list[list[Any]], cols: dict[str, list[int]]
) -> int | None:
    """The column of debit/credit marks that signs an unsigned amount column, if any."""
    if "amount" not in cols:
        return None
    used = {c for cs in cols.values() for c in cs}
    named = [c for c, h in enumerate(cmap.headers) if fold_words(h) in _SIGN_HEADERS]
    for col in cmap.candidates.get("debit", []) + cmap.candidates.get("credit", []) + named:
        if col in used:
            continue
        values = {fold_words(r[col]) for r in sample if col < len(r) and r[col] not in (None, "")}
        if values and values <= _DEBIT_MARKS | _CREDIT_MARKS:
            return col
    return None


def _parses(sample: list[list[Any]], col: int, check: Callable[[Any], Any]) -> bool:
    values = [r[col] for r in sample if col < len(r) and r[col] not in (None, "")]
    if not values:
        return True  # an empty sample proves nothing against the header's word
    return sum(check(v) is not None for v in values) * 2 >= len(values)


def _cell(cells: list[Any], col: int) -> Any:
    return cells[col] if col < len(cells) else None


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # reference 1234 read as 1234.0
    return str(value).strip()


def _row_parser(
    cols: dict[str, list[int]], side_rules: SideRules, sample: list[list[Any]], rules: Rules
) -> Callable[[list[Any], Side, int, int], Record | None]:
    date_col = cols.get("date", [None])[0]
    amount_col = cols.get("amount", [None])[0]
    debit_col = cols.get("debit", [None])[0]
    credit_col = cols.get("credit", [None])[0]
    sign_col = cols.get("sign", [None])[0]
    name_col = cols.get("name", [None])[0]
    iban_col = cols.get("iban", [None])[0]
    ref_cols = cols.get("reference", [])
    text_cols = cols.get("text", [])
    money_cols = [c for c in (amount_col, debit_col, credit_col) if c is not None]
    decimal = side_rules.decimal or infer_decimal(
        _cell(r, c) for r in sample for c in money_cols
    )
    dayfirst = side_rules.dayfirst
    if dayfirst is None and date_col is not None:
        dayfirst = infer_dayfirst(_cell(r, date_col) for r in sample)
    min_len = rules.min_reference_length
    # Everything below runs once per row (200,000 times for a 100,000 x 100,000 pair): the
    # columns are padded to, the per-column caches and the fast paths for the cell types
    # calamine gives (float, str, date) are settled here, once per sheet.
    width = 1 + max(
        [c for c in (date_col, amount_col, debit_col, credit_col, sign_col, name_col, iban_col)
         if c is not None] + ref_cols + text_cols
    )
    padding = [None] * width
    days: dict[str, int | None] = {}  # date text -> ordinal; a column repeats its dates
    # A payer pays many times: its name key and account are worked out once.
    name_keys: dict[str, str] = {}
    accounts: dict[Any, str] = {}

    def parse(cells: list[Any], side: Side, file: int, row: int) -> Record | None:
        if not any(cells) and all(c in (None, "") for c in cells):
            return None  # any() settles a row with a truthy cell at C speed
        if len(cells) < width:
            cells = cells + padding[len(cells):]
        problem = None
        raw_date = cells[date_col] if date_col is not None else None
        if type(raw_date) is str:
            day = days.get(raw_date, _MISSING)
            if day is _MISSING:
                day = days[raw_date] = date_ordinal(raw_date, dayfirst)
        else:
            day = date_ordinal(raw_date, dayfirst)
        refs = [_text(cells[c]) for c in ref_cols]
        texts = [_text(cells[c]) for c in text_cols]
        strong = unique(reference_keys(refs, min_len))
        keys = strong
        for t in texts:
            if t:
                found = text_keys(t, min_len)
                if found:
                    keys = unique(keys + tuple(found))
        if amount_col is not None:
            raw_amount = cells[amount_col]
            if type(raw_amount) is float:
                cents = round(raw_amount * 100) if raw_amount == raw_amount else None
            else:
                cents = amount_cents(raw_amount, decimal)
            if cents is not None and sign_col is not None:
                mark = fold_words(_text(cells[sign_col]))
                if mark in _DEBIT_MARKS:
                    cents = -abs(cents)
                elif mark in _CREDIT_MARKS:
                    cents = abs(cents)
        else:
            cr = None if credit_col is None else cells[credit_col]
            dr = None if debit_col is None else cells[debit_col]
            credit, debit = amount_cents(cr, decimal), amount_cents(dr, decimal)
            # Money in minus money out, whatever sign each column writes its figures with.
            both_empty = credit is None and debit is None
            cents = None if both_empty else abs(credit or 0) - abs(debit or 0)
            raw_amount = cr if cr not in (None, "") else dr
        if day is None and not keys and _is_footer(cells):
            return None
        if cents is None:
            if raw_amount in (None, "") and day is None and not keys:
                return None  # a note line without money, not a transaction
            problem = f"amount {_text(raw_amount)[:40]!r} is not a number"
        elif day is None and raw_date not in (None, ""):
            problem = f"date {_text(raw_date)[:40]!r} is not a date"
        name = _text(cells[name_col]) if name_col is not None else ""
        key = name_keys.get(name) if name else ""
        if key is None:
            key = name_keys[name] = name_key(name)
        raw_account = cells[iban_col] if iban_col is not None else None
        account = accounts.get(raw_account) if raw_account is not None else ""
        if account is None:
            account = accounts[raw_account] = _account(raw_account)
        return Record(
            side=side,
            file=file,
            row=row,
            day=day,
            cents=cents,
            keys=keys,
            strong=len(strong),
            ref=" ".join([r for r in refs if r]),
            text=" ".join([t for t in texts if t]),
            name=name,
            name_key=key,
            account=account,
            problem=problem,
        )

    return parse


def _account(value: Any) -> str:
    """An IBAN or account number without spaces, upper case; "" when it holds no digits."""
    text = _ACCOUNT_JUNK.sub("", _text(value).upper())
    return text if len(text) >= 5 and _HAS_DIGIT(text) else ""


_ACCOUNT_JUNK = re.compile(r"[^0-9A-Z]+")
_HAS_DIGIT = re.compile(r"[0-9]").search


def _is_footer(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and _FOOTER.search(c) for c in cells)
