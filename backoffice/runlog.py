"""A JSON-lines log per run (``outputs/runs/RUN_ID/log.jsonl``) that never shows a secret.

Every configured secret's clear text is replaced by ``***`` in messages and extra fields
before anything is written, whatever the robot logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REDACTED = "***"
_STD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Redactor:
    """Replaces known secret values in text. Values shorter than 4 characters are ignored
    (redacting "a" everywhere would destroy the log and reveal the secret's length anyway)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._values = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(v) for v in value]
        return value


class JsonLinesHandler(logging.Handler):
    def __init__(self, path: Path, redact: Redactor) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._redact = redact
        self._lock_io = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            entry: dict[str, Any] = {
                "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "thread": record.threadName,
                "msg": self._redact(record.getMessage()),
            }
            for key, value in vars(record).items():
                if key not in _STD_ATTRS and not key.startswith("_"):
                    entry[key] = self._redact.scrub(value)
            if record.exc_info:
                entry["exc"] = self._redact(logging.Formatter().formatException(record.exc_info))
            line = json.dumps(entry, default=str, ensure_ascii=False)
            with self._lock_io:
                self._file.write(line + "\n")
                self._file.flush()
        except Exception:  # a log line must never break a run
            self.handleError(record)

    def close(self) -> None:
        with self._lock_io:
            self._file.close()
        super().close()


def open_run_logger(run_dir: Path, run_id: str, secrets: Iterable[str]) -> logging.Logger:
    """A logger writing to ``run_dir/log.jsonl``; close it with ``close_run_logger``."""
    logger = logging.getLogger(f"backoffice.run.{run_id}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(JsonLinesHandler(run_dir / "log.jsonl", Redactor(secrets)))
    return logger


def close_run_logger(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
