"""The audit trail: an append-only stream of events, each carrying the SHA-256 of the one
before it (a hash chain).

An event is written in the same transaction as the state change it records, so the trail and
the ledger can never disagree. ``verify_chain`` recomputes every hash and names the first
event that was edited, deleted, inserted or moved; the ``audit_head`` row catches a deleted
tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from backoffice.ledger.database import lock_for_write
from backoffice.ledger.schema import audit_head, events

GENESIS = "0" * 64


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    id: int
    ts: str
    actor: str
    kind: str
    run_id: str | None
    item_id: str | None
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


def canonical_json(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(
    *,
    id: int,
    ts: str,
    actor: str,
    kind: str,
    run_id: str | None,
    item_id: str | None,
    payload_json: str,
    prev_hash: str,
) -> str:
    # The id is hashed too, so renumbering rows (to hide an insertion) breaks the chain.
    fields = [str(id), ts, actor, kind, run_id or "", item_id or "", payload_json, prev_hash]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


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
    """Append one event inside the caller's transaction; returns its id."""
    lock_for_write(conn)
    head = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
    last_id, prev = (head[0], head[1]) if head else (0, GENESIS)
    new_id = last_id + 1
    stamp = (ts or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    body = canonical_json(payload or {})
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


def _row_event(row: Any) -> AuditEvent:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {"_unparseable": row.payload}
    return AuditEvent(
        id=row.id,
        ts=row.ts,
        actor=row.actor,
        kind=row.kind,
        run_id=row.run_id,
        item_id=row.item_id,
        payload=payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def iter_events(
    conn: Connection, *, run_id: str | None = None, item_id: str | None = None
) -> Iterator[AuditEvent]:
    query = select(events).order_by(events.c.id)
    if run_id is not None:
        query = query.where(events.c.run_id == run_id)
    if item_id is not None:
        query = query.where(events.c.item_id == item_id)
    for row in conn.execute(query):
        yield _row_event(row)


@dataclass(frozen=True, kw_only=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} events verified"
        return f"audit chain BROKEN at event {self.first_bad_id}: {self.problem}"


def verify_chain(conn: Connection, *, run_id: str | None = None) -> ChainReport:
    """Walk the whole chain in id order and recompute every hash.

    With ``run_id`` the whole chain is still walked (an event of another run deleted in
    between would break this run's proof), but only problems up to that run's last event
    count and ``checked`` counts that run's events.
    """
    prev = GENESIS
    expected_id = 1
    checked = 0
    last_of_run: int | None = None
    if run_id is not None:
        last_of_run = conn.execute(
            select(events.c.id).where(events.c.run_id == run_id).order_by(events.c.id.desc())
        ).scalar()
    for row in conn.execute(select(events).order_by(events.c.id)):
        if last_of_run is not None and row.id > last_of_run:
            break

        def bad(problem: str, row: Any = row) -> ChainReport:
            return ChainReport(ok=False, checked=checked, first_bad_id=row.id, problem=problem)

        if row.id != expected_id:
            return bad(f"expected event {expected_id} next, found {row.id} (deleted or inserted)")
        if row.prev_hash != prev:
            return bad("its previous-hash does not match the event before it")
        digest = event_hash(
            id=row.id,
            ts=row.ts,
            actor=row.actor,
            kind=row.kind,
            run_id=row.run_id,
            item_id=row.item_id,
            payload_json=row.payload,
            prev_hash=row.prev_hash,
        )
        if digest != row.hash:
            return bad("its content does not match its hash (edited)")
        prev = row.hash
        expected_id += 1
        if run_id is None or row.run_id == run_id:
            checked += 1
    if run_id is None:
        head = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
        last_id = expected_id - 1
        if head is not None and (head[0] != last_id or head[1] != prev):
            return ChainReport(
                ok=False,
                checked=checked,
                first_bad_id=last_id + 1,
                problem=f"the chain ends at event {last_id} but event {head[0]} was written "
                "(events deleted from the end)",
            )
    return ChainReport(ok=True, checked=checked)
