"""A ledger (SQLite or PostgreSQL) holding two real runs' worth of audit events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from tests.conftest import make_settings

WORKFLOW_TOML = """
name = "audit-flow"
report = "tests.audit.reports:write_report"
[input]
glob = "docs/*.txt"
[[steps]]
robot = "file_digest"
"""


@dataclass
class Audited:
    settings: Settings
    ledger: Ledger
    first: Run
    second: Run


def audit_settings(base: Path, url: str, **overrides: object) -> Settings:
    (base / "workflows").mkdir(parents=True, exist_ok=True)
    (base / "workflows" / "audit-flow.toml").write_text(WORKFLOW_TOML)
    return make_settings(base, database_url=url, **overrides)


def run_docs(settings: Settings, ledger: Ledger, names: list[str], actor: str) -> Run:
    docs = settings.inputs / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name in names:
        (docs / name).write_text("" if name.startswith("empty") else f"content of {name}\n")
    engine = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01)
    return engine.run("audit-flow", inputs=[docs / n for n in names],
                      trigger=Trigger(actor=actor))


@pytest.fixture
def audited(tmp_path: Path, any_ledger_url: str) -> Iterator[Audited]:
    settings = audit_settings(tmp_path, any_ledger_url)
    ledger = Ledger.open(settings.db_url)
    first = run_docs(settings, ledger, ["a.txt", "b.txt"], "alice")
    second = run_docs(settings, ledger, ["c.txt", "empty.txt"], "bob")
    yield Audited(settings=settings, ledger=ledger, first=first, second=second)
    ledger.close()
