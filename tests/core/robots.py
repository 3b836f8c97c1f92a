"""Robots used by the core tests, named by import path in test workflows.

Their side effects go to files the tests can count, so "exactly once" is checked outside the
ledger too.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import ClassVar

from backoffice.errors import ApplicationError, BusinessError
from backoffice.models import ItemContext, ItemResult, Robot, WorkItem


def _effects(ctx: ItemContext) -> Path:
    return Path(ctx.params["effects"])


def _done_keys(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.split("\t")[0] for line in path.read_text().splitlines() if line}


class CountingRobot(Robot):
    """Appends "key<TAB>pid" to the effects file once per item; checks it before redoing.

    ``sleep`` slows it down so a test can kill the process mid-run.
    """

    name: ClassVar[str] = "counting"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 2.0

    def find_existing(self, item: WorkItem, ctx: ItemContext) -> ItemResult | None:
        if item.key in _done_keys(_effects(ctx)):
            return ItemResult(output={"found_existing": True})
        return None

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        time.sleep(float(ctx.params.get("sleep", 0)))
        # O_APPEND writes of one short line are atomic: a kill leaves either the line or not.
        fd = os.open(_effects(ctx), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{item.key}\t{os.getpid()}\n".encode())
        finally:
            os.close(fd)
        return ItemResult(output={"counted": True})


class FlakyRobot(Robot):
    """Fails with a system error the first ``fail_times`` attempts of each item, and on
    every attempt while the file named by ``down_flag`` exists (the ERP is down)."""

    name: ClassVar[str] = "flaky"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 1.0

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        flag = ctx.params.get("down_flag")
        if flag and Path(flag).exists():
            raise ApplicationError("erp_down", "ERP refused the connection")
        if ctx.attempt <= int(ctx.params.get("fail_times", 1)):
            raise ApplicationError("erp_http_503", f"ERP answered 503 on attempt {ctx.attempt}")
        return ItemResult(output={"posted_on_attempt": ctx.attempt})


class PickyRobot(Robot):
    """A business error for items whose payload has no ``amount``; otherwise done.

    Its approval completes the step (like a reader whose output the reviewer corrected)."""

    name: ClassVar[str] = "picky"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 3.0
    approval_completes_step: ClassVar[bool] = True

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        if "amount" not in item.payload.get("doc", {}):
            raise BusinessError(
                "missing_amount",
                "the document has no amount",
                details={"doc": dict(item.payload.get("doc", {}))},
            )
        return ItemResult(output={"checked": True})


class SecretLoggingRobot(Robot):
    """Logs the ERP password (a careless robot): the run log must still not show it."""

    name: ClassVar[str] = "leaky"

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        password = ctx.secrets["erp_password"].get_secret_value()
        ctx.logger.info(f"logging in with {password}", extra={"pw": password})
        return ItemResult()
