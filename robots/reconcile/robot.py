"""The ``reconciler`` robot: one work item = one statement/ledger pair (a batch item of the
``bank-reconciliation`` workflow), one report workbook per item.

Files are split into sides by their folder (``left_dir``/``right_dir`` params, by default
``bank`` and ``ledger``); with no such folders, the first file is the statement and the
rest the ledger. Several files on one side are reconciled as one.

With ``review_exceptions = true`` a reconciliation that flagged exceptions goes to review
with its report (``robots.reconcile.review``): a person settles them and approves, and may
confirm suggestions, which links their payers to the customers.

Payer -> customer links (``robots.reconcile.links``) are read from the ledger's knowledge
before matching, and the ones this statement's reference matches show are taught back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backoffice.config import Settings, describe_validation_error
from backoffice.errors import BusinessError, ConfigError, InputRejected
from backoffice.models import ItemContext, ItemResult, ReviewSchema, Robot, WorkItem
from robots.reconcile.links import recall, remember, suggestions
from robots.reconcile.report import summary_figures
from robots.reconcile.review import REVIEW_SCHEMA, SUGGESTIONS
from robots.reconcile.rules import Rules, load_rules
from robots.reconcile.service import reconcile

# Suggestions listed for a reviewer to confirm; the report holds them all.
MAX_REVIEW_SUGGESTIONS = 100


class ReconcileParams(BaseModel):
    """The step's parameters (workflow ``params``, step ``params`` or ``--set``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules_file: str | None = None  # a TOML of matching rules, relative to the base folder
    rules: dict[str, Any] = Field(default_factory=dict)  # overrides of single rules
    left_dir: str = "bank"  # the folder holding the bank side's files
    right_dir: str = "ledger"  # the folder holding the ledger side's files
    review_exceptions: bool = False  # send unmatched rows to a person as one review item


class Reconciler(Robot):
    """Matches a bank statement against ledger open items and writes the report."""

    name: ClassVar[str] = "reconciler"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 90.0  # per reconciliation; add per_unit_minutes per row
    approval_completes_step: ClassVar[bool] = True
    review_schema: ClassVar[ReviewSchema | None] = REVIEW_SCHEMA
    params_model: ClassVar[type[BaseModel] | None] = ReconcileParams

    def open(self, params: Mapping[str, Any], settings: Settings) -> None:
        try:
            p = ReconcileParams.model_validate(dict(params))
        except ValidationError as exc:
            raise ConfigError(f"reconciler params: {describe_validation_error(exc)}") from None
        path = None
        if p.rules_file:
            path = Path(p.rules_file)
            path = path if path.is_absolute() else settings.base_dir / path
        self._rules: Rules = load_rules(path, overrides=dict(p.rules))
        self._left_dir = p.left_dir
        self._right_dir = p.right_dir
        self._review_exceptions = p.review_exceptions

    def _sides(self, item: WorkItem) -> tuple[list[Path], list[Path]]:
        files = [Path(f) for f in item.files]
        left = [f for f in files if f.parent.name == self._left_dir]
        right = [f for f in files if f.parent.name == self._right_dir]
        if not left and not right and len(files) >= 2:
            left, right = files[:1], files[1:]
        if not left or not right:
            missing = self._left_dir if not left else self._right_dir
            raise InputRejected(
                "missing_side",
                f"nothing to reconcile against: no {missing!r} file among "
                f"{[f.name for f in files]}",
            )
        return left, right

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        left, right = self._sides(item)
        out_dir = ctx.settings.outputs / "reconciliation" / ctx.run_id
        report = out_dir / f"reconciliation-{item.id}.xlsx"
        knowledge = ctx.knowledge
        known = recall(knowledge) if knowledge is not None else {}
        result = reconcile(
            left, right, self._rules, out=report, json_out=report.with_suffix(".json"),
            links=known,
        )
        taught = [] if knowledge is None else remember(
            knowledge, result.links, known, actor=f"robot:{self.name}", taught_by="reference",
            item_id=item.id, run_id=ctx.run_id)
        f = summary_figures(result)
        ctx.logger.info(
            "reconciled %s rows against %s: %s matched", f["rows_left"], f["rows_right"],
            f["matched"],
        )
        output = {
            "report": str(report),
            "match_rate": f["match_rate"],
            "matched": f["matched"],
            "unmatched_left": f["unmatched_left"],
            "unmatched_right": f["unmatched_right"],
            "exceptions": f["exceptions"],
            "payer_links_known": len(known),
            "payer_links_taught": len(taught),
        }
        summary = (
            f"{f['matched']} matches, {f['unmatched_left']} statement and "
            f"{f['unmatched_right']} ledger rows unmatched, {f['exceptions']} exceptions"
        )
        if self._review_exceptions and f["exceptions"]:
            kinds = Counter(i.kind for i in result.issues)
            raise BusinessError(
                "reconciliation_exceptions", summary,
                reasons=[f"{kind}: {n} row(s) flagged" for kind, n in sorted(kinds.items())],
                details={**output, "exception_kinds": dict(kinds),
                         SUGGESTIONS: suggestions(result.issues, MAX_REVIEW_SUGGESTIONS)})
        return ItemResult(output=output, summary=summary,
                          units=float(f["rows_left"] + f["rows_right"]))
