"""The demo ERP's own SQLite database: users, sessions, vendors and purchase invoices.

One connection guarded by a lock: the demo serves a handful of browsers, and SQLite's own
locking keeps a second process (a test reading the file) consistent.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
    logins INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, user TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS vendors (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, tax_id TEXT NOT NULL UNIQUE,
    country TEXT, iban TEXT, currency TEXT);
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY, document_number TEXT UNIQUE, vendor_id INTEGER NOT NULL,
    invoice_number TEXT NOT NULL, issue_date TEXT, due_date TEXT, currency TEXT,
    net_amount TEXT, tax_amount TEXT, total_amount TEXT, payment_reference TEXT, iban TEXT,
    created_by TEXT, created_at TEXT NOT NULL,
    UNIQUE (vendor_id, invoice_number));
CREATE TABLE IF NOT EXISTS invoice_lines (
    invoice_id INTEGER NOT NULL, line_no INTEGER NOT NULL, description TEXT, quantity TEXT,
    unit_price TEXT, tax_rate TEXT, amount TEXT, PRIMARY KEY (invoice_id, line_no));
"""

LOCK_AFTER_FAILURES = 5


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


@dataclass(frozen=True)
class Vendor:
    id: int
    name: str
    tax_id: str
    country: str
    iban: str
    currency: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class DuplicateInvoice(Exception):
    def __init__(self, document_number: str) -> None:
        super().__init__(document_number)
        self.document_number = document_number


class ErpStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, args))

    # ---- users and sessions ----------------------------------------------------------------
    def set_users(self, users: Mapping[str, str]) -> None:
        with self._lock:
            for name, password in users.items():
                self._db.execute(
                    "INSERT INTO users(name, password_hash) VALUES (?, ?) ON CONFLICT(name) "
                    "DO UPDATE SET password_hash = excluded.password_hash, failures = 0",
                    (name, _hash(password)),
                )

    def login(self, name: str, password: str, session_seconds: float) -> str | None | bool:
        """A new session token; None for wrong credentials; False when the account is locked
        (too many failures in a row: what a robot that retries its login would cause)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
            if row is not None and row["failures"] >= LOCK_AFTER_FAILURES:
                return False
            if row is None or not secrets.compare_digest(row["password_hash"], _hash(password)):
                if row is not None:
                    self._db.execute("UPDATE users SET failures = failures + 1 WHERE name = ?",
                                     (name,))
                return None
            token = secrets.token_urlsafe(24)
            self._db.execute("UPDATE users SET failures = 0, logins = logins + 1 WHERE name = ?",
                             (name,))
            self._db.execute("INSERT INTO sessions VALUES (?, ?, ?)",
                             (token, name, time.time() + session_seconds))
            return token

    def session_user(self, token: str | None) -> str | None:
        if not token:
            return None
        rows = self._all("SELECT user, expires FROM sessions WHERE token = ?", (token,))
        if not rows or rows[0]["expires"] < time.time():
            return None
        return str(rows[0]["user"])

    def expire_sessions(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions")

    def user_stats(self, name: str) -> dict[str, int]:
        rows = self._all("SELECT failures, logins FROM users WHERE name = ?", (name,))
        return dict(rows[0]) if rows else {"failures": 0, "logins": 0}

    # ---- vendors ----------------------------------------------------------------------------
    def upsert_vendors(self, vendors: Iterable[Mapping[str, str]]) -> None:
        with self._lock:
            for v in vendors:
                self._db.execute(
                    "INSERT INTO vendors(name, tax_id, country, iban, currency) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(tax_id) DO UPDATE SET "
                    "name = excluded.name, country = excluded.country, iban = excluded.iban, "
                    "currency = excluded.currency",
                    (v["name"], v["tax_id"], v.get("country", ""), v.get("iban", ""),
                     v.get("currency", "")),
                )

    def vendors(self) -> list[Vendor]:
        return [Vendor(**dict(r)) for r in self._all("SELECT * FROM vendors ORDER BY name")]

    def vendor(self, vendor_id: int) -> Vendor | None:
        rows = self._all("SELECT * FROM vendors WHERE id = ?", (vendor_id,))
        return Vendor(**dict(rows[0])) if rows else None

    # ---- invoices ---------------------------------------------------------------------------
    def add_invoice(self, header: Mapping[str, Any], lines: Sequence[Mapping[str, Any]],
                    user: str) -> str:
        """Store the invoice in one transaction; returns its document number. Raises
        ``DuplicateInvoice`` for a vendor's invoice number that is already there."""
        with self._lock:
            found = self._db.execute(
                "SELECT document_number FROM invoices WHERE vendor_id = ? AND invoice_number = ?",
                (header["vendor_id"], header["invoice_number"]),
            ).fetchone()
            if found is not None:
                raise DuplicateInvoice(found["document_number"])
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute(
                    "INSERT INTO invoices(vendor_id, invoice_number, issue_date, due_date, "
                    "currency, net_amount, tax_amount, total_amount, payment_reference, iban, "
                    "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (header["vendor_id"], header["invoice_number"], header["issue_date"],
                     header["due_date"], header["currency"], header["net_amount"],
                     header["tax_amount"], header["total_amount"],
                     header["payment_reference"], header["iban"], user,
                     time.strftime("%Y-%m-%dT%H:%M:%S")),
                )
                invoice_id = cur.lastrowid
                document = f"PI-{invoice_id:06d}"
                self._db.execute("UPDATE invoices SET document_number = ? WHERE id = ?",
                                 (document, invoice_id))
                for n, line in enumerate(lines, start=1):
                    self._db.execute(
                        "INSERT INTO invoice_lines VALUES (?,?,?,?,?,?,?)",
                        (invoice_id, n, line["description"], line["quantity"],
                         line["unit_price"], line["tax_rate"], line["amount"]),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return document

    def invoices(self, query: str = "") -> list[dict[str, Any]]:
        """Every stored invoice with its vendor and lines; ``query`` filters by a substring
        of the invoice number, document number, vendor name or tax id."""
        sql = ("SELECT i.*, v.name AS vendor_name, v.tax_id AS vendor_tax_id FROM invoices i "
               "JOIN vendors v ON v.id = i.vendor_id")
        args: list[Any] = []
        if query:
            like = f"%{query.lower()}%"
            sql += (" WHERE lower(i.invoice_number) LIKE ? OR lower(i.document_number) LIKE ?"
                    " OR lower(v.name) LIKE ? OR lower(v.tax_id) LIKE ?")
            args = [like] * 4
        rows = self._all(sql + " ORDER BY i.id", args)
        lines: dict[int, list[dict[str, Any]]] = {}
        for line in self._all("SELECT * FROM invoice_lines ORDER BY invoice_id, line_no"):
            data = dict(line)
            lines.setdefault(data.pop("invoice_id"), []).append(data)
        out = []
        for row in rows:
            data = dict(row)
            data["lines"] = lines.get(data["id"], [])
            out.append(data)
        return out

    def invoice(self, document_number: str) -> dict[str, Any] | None:
        for inv in self.invoices(document_number):
            if inv["document_number"] == document_number:
                return inv
        return None
