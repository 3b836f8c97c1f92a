"""A two-step workflow (reader -> poster) with robots whose outcome each item chooses."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.models import Run, Trigger
from backoffice.registry import Registry
from tests.conftest import make_settings

WORKFLOW = "roi-flow"
WORKFLOW_TOML = """
name = "roi-flow"
[[steps]]
robot = "tests.roi.robots:Reader"
[[steps]]
robot = "tests.roi.robots:Poster"
"""
READER = "tests.roi.robots:Reader"
POSTER = "tests.roi.robots:Poster"


def write_workflow(base: Path) -> None:
    folder = base / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{WORKFLOW}.toml").write_text(WORKFLOW_TOML)


def roi_settings(base: Path, **roi: Any) -> Settings:
    write_workflow(base)
    defaults: dict[str, Any] = {"hourly_cost": 60.0, "robot_hour_cost": 0.0}
    return make_settings(base, roi={**defaults, **roi})


@pytest.fixture
def flow_settings(tmp_path: Path) -> Settings:
    return roi_settings(tmp_path)


@pytest.fixture
def flow_ledger(flow_settings: Settings) -> Iterator[Ledger]:
    led = Ledger.open(flow_settings.db_url)
    yield led
    led.close()


RunItems = Callable[..., Run]


@pytest.fixture
def run_items(flow_ledger: Ledger) -> RunItems:
    """Run the two-step workflow over items given as (key, payload) pairs."""

    def run(
        settings: Settings, specs: Sequence[tuple[str, dict[str, Any]]], *, actor: str = "tester"
    ) -> Run:
        engine = Engine(settings, flow_ledger, Registry(settings), idle_poll_seconds=0.01)
        items = [NewItem(key=key, payload=payload) for key, payload in specs]
        return engine.run(WORKFLOW, items=items, trigger=Trigger(actor=actor))

    return run
