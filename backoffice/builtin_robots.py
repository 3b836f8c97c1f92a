"""Two tiny robots that ship with the core: for trying the engine out, the demo before the
real robots land, and the engine benchmark."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from backoffice.errors import BusinessError
from backoffice.models import ItemContext, ItemResult, Robot, WorkItem


class NoParams(BaseModel):
    """A robot that takes no parameters: any key given to it is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoopRobot(Robot):
    """Does nothing and succeeds: measures the engine's own overhead."""

    name: ClassVar[str] = "noop"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 0.0
    params_model: ClassVar[type[BaseModel] | None] = NoParams

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        return ItemResult(output={})


class FileDigestRobot(Robot):
    """Reads a file and records its size and SHA-256; an empty file goes to review."""

    name: ClassVar[str] = "file_digest"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 0.5
    params_model: ClassVar[type[BaseModel] | None] = NoParams

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        path = item.path
        if path is None or not path.is_file():
            raise BusinessError("missing_file", f"item {item.id} has no readable file")
        data = path.read_bytes()
        if not data:
            raise BusinessError("empty_file", f"{path.name} is empty (0 bytes)")
        return ItemResult(
            output={"size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
            summary=f"{path.name}: {len(data)} bytes",
        )
