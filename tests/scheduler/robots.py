"""Robots for the scheduler's tests and benchmark, importable as
``tests.scheduler.robots:ClassName`` (a step may name a robot by import path)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import ClassVar

from backoffice.models import ItemContext, ItemResult, Robot, WorkItem


class AppendLineRobot(Robot):
    """Its outside side effect is one line per item appended to ``params.ledger_file``
    (O_APPEND, like a posting in an ERP). ``find_existing`` looks for the line, so a
    redelivered item is provably never posted twice.

    An item whose payload has ``hold_seconds`` writes ``<ledger_file>.holding`` with its
    pid after posting, then waits: the window in which a test kills the worker."""

    name: ClassVar[str] = "append_line"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 1.0

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        path = Path(ctx.params["ledger_file"])
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{item.key} {os.getpid()}\n".encode())
        finally:
            os.close(fd)
        hold = float(item.payload.get("hold_seconds", 0))
        if hold:
            Path(f"{path}.holding").write_text(f"{os.getpid()}\n", encoding="utf-8")
            time.sleep(hold)
        else:
            time.sleep(float(ctx.params.get("work_seconds", 0.05)))
        return ItemResult(output={"posted_by": os.getpid()}, summary=f"posted {item.key}")

    def find_existing(self, item: WorkItem, ctx: ItemContext) -> ItemResult | None:
        path = Path(ctx.params["ledger_file"])
        if not path.exists():
            return None
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, pid = line.partition(" ")
            if key == item.key:
                return ItemResult(output={"posted_by": int(pid)}, summary="already posted")
        return None


class CpuRobot(Robot):
    """Burns CPU for a fixed amount of work (iterated SHA-256): the scale-out benchmark."""

    name: ClassVar[str] = "cpu"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 0.5

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        digest = item.key.encode()
        for _ in range(int(ctx.params.get("rounds", 100_000))):
            digest = hashlib.sha256(digest).digest()
        return ItemResult(output={"digest": digest.hex()[:16]})


class CpuPostingRobot(AppendLineRobot):
    """CPU work (``rounds`` of SHA-256), then one posting line per item, checked by
    ``find_existing`` before any re-attempt: the fault benchmark counts each item's postings
    to tell items done once, twice or lost."""

    name: ClassVar[str] = "cpu_posting"

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        digest = item.key.encode()
        for _ in range(int(ctx.params.get("rounds", 100_000))):
            digest = hashlib.sha256(digest).digest()
        fd = os.open(Path(ctx.params["ledger_file"]), os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                     0o644)
        try:
            os.write(fd, f"{item.key} {os.getpid()}\n".encode())
        finally:
            os.close(fd)
        return ItemResult(output={"posted_by": os.getpid(), "digest": digest.hex()[:16]})
