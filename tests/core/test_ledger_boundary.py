"""One way in and out of the ledger: only ``backoffice/ledger`` touches its tables (or
SQLAlchemy), and the audit trail's rules import no ledger, so there is no import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import REPO


def _imports(path: str) -> list[tuple[int, str]]:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_only_the_ledger_reads_or_writes_its_tables() -> None:
    outside = [p for p in sorted((REPO / "backoffice").rglob("*.py"))
               if "ledger" not in p.relative_to(REPO / "backoffice").parts[:1]]
    found = [f"{p.relative_to(REPO)}:{line}: import {name}"
             for p in outside for line, name in _imports(str(p.relative_to(REPO)))
             # sqlalchemy itself builds queries; sqlalchemy.engine only parses URLs (config)
             if name == "sqlalchemy" or name.startswith("backoffice.ledger.schema")]
    assert found == []


def test_the_audit_rules_import_no_ledger() -> None:
    found = [name for _, name in _imports("backoffice/audit.py")
             if name.startswith(("backoffice.ledger", "sqlalchemy"))]
    assert found == []


def test_audit_and_ledger_import_in_either_order() -> None:
    # (ledger first is what every command does; the other two orders used to fail)
    for first, second in (("audit", "ledger"), ("ledger.events", "audit")):
        code = f"import backoffice.{first}, backoffice.{second}"
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, (code, done.stderr[-500:])
