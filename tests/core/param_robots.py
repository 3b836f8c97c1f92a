"""Two robots that declare their parameters, each writing what it was given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from backoffice.models import ItemContext, ItemResult, Robot, WorkItem


class GreetParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    greeting: str = "hello"
    out: str


class CountParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    times: int = 1
    out: str


class _Recording(Robot):
    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        path = Path(ctx.params["out"]) / f"{self.name}.json"
        path.write_text(json.dumps(dict(ctx.params), sort_keys=True))
        return ItemResult(output={})


class Greeter(_Recording):
    name: ClassVar[str] = "greeter"
    params_model: ClassVar[type[BaseModel] | None] = GreetParams


class Counter(_Recording):
    name: ClassVar[str] = "counter"
    params_model: ClassVar[type[BaseModel] | None] = CountParams
