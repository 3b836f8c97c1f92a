"""The audit trail in the ledger: appending events inside the caller's transaction, and the
ledger's one way to read and check them (``EventLog`` methods on ``Ledger``).

The chain's rules (hashing, what makes it intact) are ``backoffice.audit``'s; this module only
stores and fetches, so the two never import each other in a circle.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update

from backoffice.audit import (
    CONFIG_EVENT_KINDS,
    GENESIS,
    AuditEvent,
    ChainReport,
    canonical_json,
    config_event,
    event_from_row,
    event_hash,
    walk_chain,
)
from backoffice.ledger.base import LedgerBase
from backoffice.ledger.database import lock_for_write
from backoffice.ledger.schema import attempts, audit_head, events, runs
from backoffice.untrusted import ACTOR_LIMIT, bounded, bounded_payload

if TYPE_CHECKING:
    from backoffice.config import Settings


def append_event(
    conn: Connection,
    kind: str,
    *,
    actor: str,
    run_id: str | None = None,
    item_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    ts: datetime | None = None,
) -> int:
    """Append one event inside the caller's transaction; returns its id.

    The actor may be text a stranger typed (a failed sign-in's user name): it is stored as
    one bounded, escaped line; every string in the payload is bounded too (``untrusted``).
    """
    actor = bounded(actor, ACTOR_LIMIT)
    lock_for_write(conn)
    head = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
    last_id, prev = (head[0], head[1]) if head else (0, GENESIS)
    new_id = last_id + 1
    stamp = (ts or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    body = canonical_json(bounded_payload(payload or {}))
    digest = event_hash(
        id=new_id,
        ts=stamp,
        actor=actor,
        kind=kind,
        run_id=run_id,
        item_id=item_id,
        payload_json=body,
        prev_hash=prev,
    )
    conn.execute(
        insert(events).values(
            id=new_id,
            ts=stamp,
            actor=actor,
            kind=kind,
            run_id=run_id,
            item_id=item_id,
            payload=body,
            prev_hash=prev,
            hash=digest,
        )
    )
    if head:
        conn.execute(update(audit_head).values(last_id=new_id, last_hash=digest))
    else:
        conn.execute(insert(audit_head).values(id=1, last_id=new_id, last_hash=digest))
    return new_id


def iter_events(
    conn: Connection,
    *,
    run_id: str | None = None,
    item_id: str | None = None,
    kind: str | None = None,
    actor: str | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    before_id: int | None = None,
) -> Iterator[AuditEvent]:
    """Events in id order (``newest_first`` for a screenful of the latest), filtered.
    ``kind`` ending in ``.`` matches a family (``review.``)."""
    order = events.c.id.desc() if newest_first else events.c.id
    query = select(events).order_by(order)
    if run_id is not None:
        query = query.where(events.c.run_id == run_id)
    if item_id is not None:
        query = query.where(events.c.item_id == item_id)
    if kind:
        query = query.where(
            events.c.kind.startswith(kind) if kind.endswith(".") else events.c.kind == kind
        )
    if actor:
        query = query.where(events.c.actor == actor)
    if before_id is not None:
        query = query.where(events.c.id < before_id)
    if limit is not None:
        query = query.limit(limit)
    for row in conn.execute(query):
        yield event_from_row(row)


def _head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
    return (int(row[0]), str(row[1])) if row is not None else None


def verify_chain(conn: Connection, *, run_id: str | None = None) -> ChainReport:
    """``backoffice.audit.walk_chain`` over the stored events (see there)."""
    last_of_run: int | None = None
    if run_id is not None:
        last_of_run = conn.execute(
            select(events.c.id).where(events.c.run_id == run_id).order_by(events.c.id.desc())
        ).scalar()
    rows = conn.execute(select(events).order_by(events.c.id))
    return walk_chain(rows, lambda: _head(conn), run_id=run_id, last_of_run=last_of_run)


def head_hash(conn: Connection) -> tuple[int, str]:
    """(id, hash) of the newest event: write it down elsewhere (a ticket, an email) and a
    later rewrite of the whole chain is caught by ``bots audit verify --anchor``."""
    return _head(conn) or (0, GENESIS)


def event_at(conn: Connection, event_id: int) -> AuditEvent | None:
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    return event_from_row(row) if row is not None else None


class EventLog(LedgerBase):
    """The ledger's methods over the audit trail."""

    def record_event(
        self,
        kind: str,
        *,
        actor: str,
        run_id: str | None = None,
        item_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """An audit event with no state change of its own (a user action, a config change)."""
        with self.transaction() as conn:
            return append_event(
                conn, kind, actor=actor, run_id=run_id, item_id=item_id, payload=payload
            )

    def events(
        self,
        *,
        run_id: str | None = None,
        item_id: str | None = None,
        kind: str | None = None,
        actor: str | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        before_id: int | None = None,
    ) -> list[AuditEvent]:
        with self.reading() as conn:
            return list(iter_events(conn, run_id=run_id, item_id=item_id, kind=kind,
                                    actor=actor, newest_first=newest_first, limit=limit,
                                    before_id=before_id))

    def event(self, event_id: int) -> AuditEvent | None:
        with self.reading() as conn:
            return event_at(conn, event_id)

    def verify_chain(self, run_id: str | None = None) -> ChainReport:
        with self.reading() as conn:
            return verify_chain(conn, run_id=run_id)

    def audit_head(self) -> tuple[int, str]:
        with self.reading() as conn:
            return head_hash(conn)

    def config_event_before(self, event_id: int) -> AuditEvent | None:
        """The settings in force at ``event_id``: the last config event before it."""
        with self.reading() as conn:
            found = conn.execute(
                select(events.c.id)
                .where(events.c.kind.in_(CONFIG_EVENT_KINDS), events.c.id < event_id)
                .order_by(events.c.id.desc())
                .limit(1)
            ).scalar()
            return event_at(conn, found) if found else None

    def record_config_if_changed(self, settings: Settings, actor: str) -> int | None:
        """Append ``config.loaded`` (first time) or ``config.changed`` when the settings'
        fingerprint differs from the last one recorded; returns the new event's id or None.

        The last recorded fingerprint is read under the write lock, so two processes
        starting with the same new settings record the change once.
        """
        with self.transaction() as conn:
            lock_for_write(conn)
            row = conn.execute(
                select(events.c.payload)
                .where(events.c.kind.in_(CONFIG_EVENT_KINDS))
                .order_by(events.c.id.desc())
                .limit(1)
            ).first()
            previous: dict[str, Any] | None = None
            if row is not None:
                try:
                    previous = dict(json.loads(row.payload))
                except ValueError:
                    previous = {}
            found = config_event(settings, previous)
            if found is None:
                return None
            kind, payload = found
            return append_event(conn, kind, actor=actor, payload=payload)

    def run_provenance(self, run_id: str) -> tuple[str | None, list[tuple[str, str]]]:
        """What ran: the run's settings hash and each (robot, version) that made attempts."""
        with self.reading() as conn:
            settings_hash = conn.execute(
                select(runs.c.settings_hash).where(runs.c.id == run_id)).scalar()
            versions = sorted({
                (r.robot, r.robot_version or "")
                for r in conn.execute(select(attempts.c.robot, attempts.c.robot_version)
                                      .where(attempts.c.run_id == run_id).distinct())
            })
        return settings_hash, versions
