"""Discovery of robots, workflow folders, CLI commands and services through entry points.

The core never imports a robot package or the scheduler: robots register under
``backoffice.robots``, folders of workflow TOML under ``backoffice.workflow_dirs``, extra CLI
commands under ``backoffice.commands``, what lists upcoming schedules under
``backoffice.schedules`` and what sends a run to remote workers under ``backoffice.dispatch``.
A step may also name a robot by import path (``pkg.mod:Class``), which is how tests plug in
their own robots.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, cast

from backoffice.config import Settings
from backoffice.errors import ConfigError, NotFound
from backoffice.models import Robot
from backoffice.workflow import Workflow, load_workflows

ROBOTS_GROUP = "backoffice.robots"
WORKFLOW_DIRS_GROUP = "backoffice.workflow_dirs"
COMMANDS_GROUP = "backoffice.commands"
SCHEDULES_GROUP = "backoffice.schedules"  # "upcoming": (Settings, now) -> [UpcomingSchedule]
DISPATCH_GROUP = "backoffice.dispatch"  # "run" and "resume": the CLI's run on remote workers


def _load_object(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"cannot import {module_name!r}: {exc}") from None
    for part in attr.split(".") if attr else ():
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigError(f"{module_name!r} has no attribute {attr!r}") from None
    return obj


@dataclass(frozen=True)
class RobotInfo:
    name: str
    version: str
    manual_minutes: float
    description: str
    spec: str


class Registry:
    """What is installed: robots and workflows. Built once and passed in."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._robot_specs = {ep.name: ep.value for ep in entry_points(group=ROBOTS_GROUP)}
        self._workflows: dict[str, Workflow] | None = None

    # ---- robots ---------------------------------------------------------------------------
    def robot_class(self, name: str) -> type[Robot]:
        spec = self._robot_specs.get(name) or (name if ":" in name else None)
        if spec is None:
            known = ", ".join(sorted(self._robot_specs)) or "none"
            raise NotFound("robot", repr(name), hint=f"known: {known}")
        cls = _load_object(spec)
        if not (isinstance(cls, type) and issubclass(cls, Robot)):
            raise ConfigError(f"{spec} is not a Robot subclass")
        return cls

    def robots(self) -> list[RobotInfo]:
        """Every installed robot; one that fails to import is listed with the reason, so a
        broken robot is visible instead of hiding the others."""
        infos = []
        for name in sorted(self._robot_specs):
            try:
                cls = self.robot_class(name)
            except ConfigError as exc:
                infos.append(RobotInfo(name=name, version="?", manual_minutes=0.0,
                                       description=f"UNAVAILABLE: {exc}",
                                       spec=self._robot_specs[name]))
                continue
            infos.append(
                RobotInfo(
                    name=name,
                    version=cls.version,
                    manual_minutes=cls.manual_minutes,
                    description=cls.description or (cls.__doc__ or "").strip().split("\n")[0],
                    spec=self._robot_specs[name],
                )
            )
        return infos

    # ---- workflows ------------------------------------------------------------------------
    def workflow_dirs(self) -> list[Path]:
        dirs: list[Path] = []
        for ep in entry_points(group=WORKFLOW_DIRS_GROUP):
            module = importlib.import_module(ep.value)
            for location in getattr(module, "__path__", []):
                dirs.append(Path(location))
        dirs.append(self._settings.base_dir / "workflows")
        dirs.extend(self._settings.workflow_dirs)
        unique: dict[Path, None] = {}
        for d in dirs:
            unique[d.resolve()] = None
        return list(unique)

    def workflows(self) -> dict[str, Workflow]:
        if self._workflows is None:
            self._workflows = load_workflows(self.workflow_dirs())
        return self._workflows

    def workflow(self, name: str) -> Workflow:
        from backoffice.workflow import get_workflow

        return get_workflow(self.workflows(), name)


def command_entry_points() -> list[tuple[str, str]]:
    """(name, "module:attr") of the CLI commands other packages add."""
    return [(ep.name, ep.value) for ep in entry_points(group=COMMANDS_GROUP)]


def load_command(spec: str) -> Any:
    return _load_object(spec)


def plugin(group: str, name: str) -> Any | None:
    """What an installed package registers as ``name`` in ``group``; None when nothing is."""
    for ep in entry_points(group=group, name=name):
        return _load_object(ep.value)
    return None


@dataclass(frozen=True, kw_only=True)
class UpcomingSchedule:
    """A schedule as the control room lists it, from whatever service fires schedules."""

    id: str
    workflow: str
    rule: str
    enabled: bool
    next: str | None  # the next fire time in the schedule's own zone, for people


UpcomingSchedules = Callable[[Settings, datetime], Sequence[UpcomingSchedule]]


def schedule_source() -> UpcomingSchedules | None:
    """The installed service's lister of upcoming schedules, or None without one."""
    return cast("UpcomingSchedules | None", plugin(SCHEDULES_GROUP, "upcoming"))
