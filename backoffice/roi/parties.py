"""Whom each item was about (an invoice's vendor), for the ROI by counterparty.

The core names no robot: each workflow step's robot says, through ``Robot.counterparty``,
whom an item's payload names; the first step whose robot names one decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from backoffice.errors import BotError
from backoffice.ledger import Ledger
from backoffice.models import Robot
from backoffice.registry import Registry


@dataclass(frozen=True, kw_only=True)
class Counterparties:
    label: str  # "vendor", or "counterparty" when the robots disagree or name none
    of_item: Mapping[str, str] = field(default_factory=dict)


def _robots(registry: Registry, workflow: str) -> list[type[Robot]]:
    try:
        steps = registry.workflow(workflow).steps
        return [registry.robot_class(s.robot) for s in steps]
    except BotError:  # a workflow no longer installed: its items name no one
        return []


def item_counterparties(ledger: Ledger, registry: Registry) -> Counterparties:
    robots: dict[str, list[type[Robot]]] = {}
    labels: set[str] = set()
    out: dict[str, str] = {}
    for item_id, workflow, payload in ledger.item_payloads():
        if workflow not in robots:
            robots[workflow] = [r for r in _robots(registry, workflow) if r.counterparty_label]
            labels |= {r.counterparty_label for r in robots[workflow]}
        for robot in robots[workflow]:
            name = robot.counterparty(payload)
            if name:
                out[item_id] = name
                break
    label = labels.pop() if len(labels) == 1 else "counterparty"
    return Counterparties(label=label, of_item=out)
