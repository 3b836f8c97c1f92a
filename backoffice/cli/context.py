"""What every ``bots`` command gets: settings, ledger and registry, built once on first use.

Commands take it with ``@click.pass_obj``; nothing reads the environment after this point.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from backoffice.config import Settings, load_settings
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.untrusted import bounded


@dataclass
class AppContext:
    config_file: Path | None = None
    debug: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)
    console: Console = field(default_factory=lambda: Console(stderr=True))
    _settings: Settings | None = None
    _ledger: Ledger | None = None
    _registry: Registry | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_file, **self.overrides)
        return self._settings

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = Ledger.open(self.settings.db_url)
        return self._ledger

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = Registry(self.settings)
        return self._registry

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()


def emit_json(data: Any) -> None:
    """Machine-readable output on stdout, for scripts (``--json``)."""
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def is_interactive() -> bool:
    return sys.stderr.isatty()


def shown(text: object, limit: int = 500) -> str:
    """Text that came from outside (a PDF's reasons, a file name, an error) ready for a rich
    console: one bounded, escaped line whose square brackets are not taken as markup."""
    return escape(bounded("" if text is None else text, limit))
