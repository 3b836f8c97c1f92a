"""Workflow definitions: TOML files validated with pydantic.

A workflow names its input source, the robots it chains (its steps), its retry policy and
its concurrency. Example (``workflows/invoice-to-erp.toml``)::

    name = "invoice-to-erp"
    description = "Read supplier invoices and post the valid ones to the ERP"

    [input]
    glob = "invoices/*.pdf"          # relative to the inputs folder

    [[steps]]
    robot = "invoice_reader"

    [[steps]]
    robot = "erp_poster"
    params = { form_map = "demo_erp" }

    [retry]
    max_attempts = 3
    backoff_seconds = 2.0

    [concurrency]
    workers = 2

    [archive]                         # where originals go; nothing is ever deleted
    done = "processed"
    review = "review"
    failed = "failed"
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backoffice.config import describe_validation_error
from backoffice.errors import ConfigError, NotFound
from backoffice.paths import inside


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputSource(_Model):
    """Where a run's work items come from: files matching globs under the inputs folder."""

    glob: tuple[str, ...] = ()
    # One item per file by default; ``batch = true`` makes one item of all matched files
    # (e.g. a bank statement and the ledger export it is reconciled against).
    batch: bool = False

    @property
    def glob_names(self) -> tuple[str, ...]:
        """The file-name part of each glob, to filter a folder given on the command line."""
        return tuple(pattern.rsplit("/", 1)[-1] for pattern in self.glob)

    @field_validator("glob", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class Step(_Model):
    robot: str
    params: Mapping[str, Any] = Field(default_factory=dict)


class RetryPolicy(_Model):
    """System errors are retried with exponential backoff and jitter; business ones never."""

    max_attempts: int = Field(default=3, ge=1, le=100)
    backoff_seconds: float = Field(default=1.0, ge=0)
    backoff_max_seconds: float = Field(default=60.0, ge=0)
    jitter: float = Field(default=0.25, ge=0, le=1)  # +/- this fraction of the delay

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before the attempt after ``attempt`` (1-based) failed."""
        base = min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (attempt - 1))
        spread = base * self.jitter
        return max(0.0, base + (rng or random).uniform(-spread, spread))


class Concurrency(_Model):
    workers: int = Field(default=1, ge=1, le=64)
    lease_seconds: float = Field(default=300.0, gt=0)  # a worker silent this long is dead
    breaker_threshold: int = Field(default=5, ge=1)  # system errors in a row that pause a run


class Archive(_Model):
    """Folders (relative to each file's own folder) where originals go once settled."""

    done: str | None = None
    review: str | None = None
    failed: str | None = None


class Workflow(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    input: InputSource = InputSource()
    steps: tuple[Step, ...] = Field(min_length=1)
    retry: RetryPolicy = RetryPolicy()
    concurrency: Concurrency = Concurrency()
    archive: Archive = Archive()
    params: Mapping[str, Any] = Field(default_factory=dict)
    # "module:function" called as f(settings, ledger, run_id) -> Path | None at the end of
    # every execution, e.g. to write the run's summary workbook.
    report: str | None = None
    source_file: Path | None = None

    def input_files(self, inputs_dir: Path) -> list[Path]:
        """The files the input globs match now, in glob order, without duplicates.

        A match that leads outside ``inputs_dir`` (a link, or ``..`` in a glob) raises
        ``OutsideFolder``: nothing outside the inputs folder is read or moved."""
        found: dict[Path, None] = {}
        for pattern in self.input.glob:
            for path in sorted(inputs_dir.glob(pattern)):
                if path.is_file():
                    found[inside(path, inputs_dir)] = None
        return list(found)


def parse_workflow(text: str, *, source: Path | str = "<string>") -> Workflow:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    if isinstance(source, Path):
        data["source_file"] = str(source)
        data.setdefault("name", source.stem)
    try:
        return Workflow.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe_validation_error(exc)}") from None


def load_workflows(dirs: Iterable[Path]) -> dict[str, Workflow]:
    """Every ``*.toml`` workflow in ``dirs``; a later folder overrides an earlier one."""
    found: dict[str, Workflow] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            wf = parse_workflow(path.read_text(encoding="utf-8"), source=path)
            found[wf.name] = wf
    return found


def get_workflow(workflows: Mapping[str, Workflow], name: str) -> Workflow:
    try:
        return workflows[name]
    except KeyError:
        known = ", ".join(sorted(workflows)) or "none"
        raise NotFound("workflow", repr(name), hint=f"known: {known}") from None
