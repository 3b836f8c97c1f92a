"""What robots learn from people, kept in the ledger: versioned, forgettable, audited.

An entry is named by ``(robot, kind, key)`` - the robot that uses it, what sort of thing it is
("layout", "payer") and whose it is (a vendor's tax id, a payer's IBAN). Teaching adds a new
version and never overwrites one; forgetting flags every version of the entry, so the history
stays and the next teaching starts a new version after the forgotten ones. Each teach and
forget appends an audit event in the same transaction: who taught what, and when. The core
never reads ``value``: it belongs to the robot that taught it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select, update

from backoffice.errors import ConfigError, NotFound
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.database import lock_for_write
from backoffice.ledger.events import append_event
from backoffice.ledger.schema import knowledge
from backoffice.models import utcnow


@dataclass(frozen=True, kw_only=True)
class Knowledge:
    """One version of one learned entry."""

    robot: str
    kind: str
    key: str
    version: int
    value: Mapping[str, Any]
    created_by: str
    created_at: datetime
    item_id: str | None = None
    forgotten: bool = False


def _record(row: Any) -> Knowledge:
    return Knowledge(
        robot=row.robot,
        kind=row.kind,
        key=row.key,
        version=row.version,
        value=row.value or {},
        created_by=row.created_by,
        created_at=row.created_at,
        item_id=row.item_id,
        forgotten=bool(row.forgotten),
    )


def _entry(robot: str, kind: str, key: str) -> Any:
    return (knowledge.c.robot == robot) & (knowledge.c.kind == kind) & (knowledge.c.key == key)


class KnowledgeBook(LedgerBase):
    def teach(
        self,
        robot: str,
        kind: str,
        key: str,
        value: Mapping[str, Any],
        *,
        actor: str,
        item_id: str | None = None,
        run_id: str | None = None,
    ) -> Knowledge:
        """Record a new version of the entry (the newest version is the current one)."""
        if not (robot and kind and key):
            raise ConfigError("knowledge needs a robot, a kind and a key")
        now = utcnow()
        with self.transaction() as conn:
            # Taken before reading the last version, so two teachers never pick the same one.
            lock_for_write(conn)
            last = conn.execute(
                select(func.max(knowledge.c.version)).where(_entry(robot, kind, key))
            ).scalar()
            version = (last or 0) + 1
            conn.execute(
                insert(knowledge).values(
                    robot=robot,
                    kind=kind,
                    key=key,
                    version=version,
                    value=dict(value),
                    created_by=actor,
                    created_at=now,
                    item_id=item_id,
                    forgotten=False,
                )
            )
            append_event(
                conn,
                "knowledge.taught",
                actor=actor,
                run_id=run_id,
                item_id=item_id,
                payload={"robot": robot, "kind": kind, "key": key, "version": version,
                         "value": dict(value)},
                ts=now,
            )
        return self.knowledge_history(robot, kind, key)[-1]

    def current_knowledge(self, robot: str, kind: str, key: str) -> Knowledge | None:
        """The newest version not forgotten, or None."""
        query = (
            select(knowledge)
            .where(_entry(robot, kind, key) & knowledge.c.forgotten.is_(False))
            .order_by(knowledge.c.version.desc())
            .limit(1)
        )
        with self.reading() as conn:
            row = conn.execute(query).first()
        return _record(row) if row is not None else None

    def knowledge_history(self, robot: str, kind: str, key: str) -> list[Knowledge]:
        """Every version of the entry, oldest first, forgotten ones included."""
        query = select(knowledge).where(_entry(robot, kind, key)).order_by(knowledge.c.version)
        with self.reading() as conn:
            return [_record(r) for r in conn.execute(query)]

    def knowledge_entries(self, robot: str, kind: str | None = None) -> list[Knowledge]:
        """The current version of every entry of ``robot`` (of ``kind``), by kind and key."""
        query = select(knowledge).where(
            (knowledge.c.robot == robot) & knowledge.c.forgotten.is_(False))
        if kind is not None:
            query = query.where(knowledge.c.kind == kind)
        newest: dict[tuple[str, str], Knowledge] = {}
        with self.reading() as conn:
            for row in conn.execute(query.order_by(knowledge.c.version)):
                newest[(row.kind, row.key)] = _record(row)
        return [newest[k] for k in sorted(newest)]

    def knowledge_stamp(self, robot: str, kind: str) -> tuple[int, int, int]:
        """(entries, newest id, forgotten): changes with every teach and forget of ``kind``."""
        query = select(func.count(), func.max(knowledge.c.id),
                       func.sum(case((knowledge.c.forgotten.is_(True), 1), else_=0))).where(
            (knowledge.c.robot == robot) & (knowledge.c.kind == kind))
        with self.reading() as conn:
            count, newest, forgotten = conn.execute(query).one()
        return int(count or 0), int(newest or 0), int(forgotten or 0)

    def forget_knowledge(
        self, robot: str, kind: str, key: str, *, actor: str, reason: str | None = None
    ) -> int:
        """Flag every version of the entry forgotten; returns how many versions were live.
        Raises ``NotFound`` when the entry has no live version."""
        now = utcnow()
        with self.transaction() as conn:
            live = _entry(robot, kind, key) & knowledge.c.forgotten.is_(False)
            versions = [r.version for r in conn.execute(select(knowledge.c.version).where(live))]
            if not versions:
                raise NotFound("knowledge", f"{robot}/{kind}/{key}")
            conn.execute(update(knowledge).where(live).values(forgotten=True))
            append_event(
                conn,
                "knowledge.forgotten",
                actor=actor,
                payload={"robot": robot, "kind": kind, "key": key,
                         "versions": sorted(versions), "reason": reason},
                ts=now,
            )
        return len(versions)
