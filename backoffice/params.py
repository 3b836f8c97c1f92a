"""Which parameters each step of a run gets, checked against what its robot declares.

A robot declares its parameters as a pydantic model (``Robot.params_model``). A step's own
``params`` must all be declared by its robot; a run parameter (``--set``, the workflow's
``params``, a schedule's) goes only to the steps whose robot declares it, and one no step
declares is refused. A misspelt key is therefore an error naming the step and the key,
never silently ignored. A robot that declares no model takes whatever it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from backoffice.config import describe_validation_error
from backoffice.errors import ConfigError
from backoffice.registry import Registry
from backoffice.workflow import Workflow


def declared_keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a params model accepts: its field names and their aliases."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        if info.alias:
            keys.add(info.alias)
    return frozenset(keys)


def step_params(
    registry: Registry, workflow: Workflow, run_params: Mapping[str, Any]
) -> tuple[dict[str, Any], ...]:
    """The parameters of each step (its own over the run's), validated; ``ConfigError``
    naming the step and the key for anything a robot does not declare or cannot take."""
    out: list[dict[str, Any]] = []
    claimed: set[str] = set()
    open_steps = False  # a robot without a model takes any run parameter
    for index, step in enumerate(workflow.steps):
        model = registry.robot_class(step.robot).params_model
        where = f"workflow {workflow.name} step {index + 1} ({step.robot})"
        if model is None:
            open_steps = True
            out.append({**dict(run_params), **dict(step.params)})
            continue
        keys = declared_keys(model)
        unknown = sorted(k for k in step.params if k not in keys)
        if unknown:
            raise ConfigError(f"{where}: unknown parameter {unknown[0]!r}; "
                              f"{step.robot} takes {_listing(keys)}")
        params = {**{k: v for k, v in run_params.items() if k in keys}, **dict(step.params)}
        claimed |= keys & set(run_params)
        try:
            model.model_validate(params)
        except ValidationError as exc:
            raise ConfigError(f"{where}: {describe_validation_error(exc)}") from None
        out.append(params)
    stray = sorted(set(run_params) - claimed)
    if stray and not open_steps:
        raise ConfigError(f"run parameter {stray[0]!r}: no step of workflow {workflow.name} "
                          f"takes it ({_takers(registry, workflow)})")
    return tuple(out)


def _listing(keys: frozenset[str]) -> str:
    return ", ".join(sorted(keys)) if keys else "no parameters"


def _takers(registry: Registry, workflow: Workflow) -> str:
    parts = []
    for step in workflow.steps:
        model = registry.robot_class(step.robot).params_model
        parts.append(f"{step.robot}: {_listing(declared_keys(model)) if model else 'any'}")
    return "; ".join(parts)
