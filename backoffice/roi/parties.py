"""Whom each item was about (an invoice's vendor), for the ROI by counterparty.

The core names no robot: each workflow step's robot says, through ``Robot.counterparty``,
whom an item's payload names; the first step whose robot names one decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from backoffice.errors import BotError
from backoffice.ledger import Ledger
from backoffice.ledger.schema import items
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
    with ledger.reading() as conn:
        for row in conn.execute(select(items.c.id, items.c.workflow, items.c.payload)):
            if row.workflow not in robots:
                robots[row.workflow] = [r for r in _robots(registry, row.workflow)
                                        if r.counterparty_label]
                labels |= {r.counterparty_label for r in robots[row.workflow]}
            payload = row.payload or {}
            for robot in robots[row.workflow]:
                name = robot.counterparty(payload)
                if name:
                    out[row.id] = name
                    break
    label = labels.pop() if len(labels) == 1 else "counterparty"
    return Counterparties(label=label, of_item=out)
