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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update

from backoffice.untrusted import ACTOR_LIMIT, bounded, bounded_payload

if TYPE_CHECKING:
    from backoffice.config import Settings
    from backoffice.ledger.store import Ledger

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
    conn: Connection,
    *,
    run_id: str | None = None,
    item_id: str | None = None,
    kind: str | None = None,
    actor: str | None = None,
    newest_first: bool = False,
    limit: int | None = None,
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
    if limit is not None:
        query = query.limit(limit)
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

    With ``run_id`` the chain is walked up to that run's last event, plus the link to the
    event after it (or the head): an event of another run deleted in between would break this
    run's proof, and so would this run's own last event going missing. Problems further on
    belong to later runs. ``checked`` counts that run's events.
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

        def bad(problem: str, row: Any = row, checked: int = checked) -> ChainReport:
            return ChainReport(ok=False, checked=checked, first_bad_id=row.id, problem=problem)

        if last_of_run is not None and row.id > last_of_run:
            # Only the link back to the run's last event matters here.
            if row.id != expected_id or row.prev_hash != prev:
                return ChainReport(
                    ok=False,
                    checked=checked,
                    first_bad_id=expected_id,
                    problem=f"event {expected_id} right after this run's last event is missing "
                    f"or altered (found {row.id} linked to another hash)",
                )
            return ChainReport(ok=True, checked=checked)
        if row.id != expected_id:  # ids are unique and sorted: the missing one is bad
            return ChainReport(
                ok=False, checked=checked, first_bad_id=expected_id,
                problem=f"event {expected_id} is missing (deleted); the next is {row.id}",
            )
        if row.prev_hash != prev:
            return bad("its previous-hash does not match the event before it "
                       "(edited, inserted or moved)")
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
    head = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
    last_id = expected_id - 1
    if head is not None and (head[0] != last_id or head[1] != prev):
        if head[0] < last_id:  # rows past the recorded head: appended behind the ledger's back
            first_bad, how = head[0] + 1, "events inserted after it"
        elif head[0] > last_id:
            first_bad, how = last_id + 1, "events deleted from the end"
        else:
            first_bad, how = last_id, "the last event replaced"
        return ChainReport(
            ok=False,
            checked=checked,
            first_bad_id=first_bad,
            problem=f"the chain ends at event {last_id} but the head records event {head[0]} "
            f"({how}, or the head altered)",
        )
    if head is None and last_id > 0:
        return ChainReport(
            ok=False, checked=checked, first_bad_id=1, problem="the audit head row is missing"
        )
    return ChainReport(ok=True, checked=checked)


def head_hash(conn: Connection) -> tuple[int, str]:
    """(id, hash) of the newest event: write it down elsewhere (a ticket, an email) and a
    later rewrite of the whole chain is caught by ``bots audit verify --anchor``."""
    head = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).first()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


def event_at(conn: Connection, event_id: int) -> AuditEvent | None:
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    return _row_event(row) if row is not None else None


CONFIG_EVENT_KINDS = ("config.loaded", "config.changed")
# Settings sections recorded in clear with a config event: the ROI assumptions are evidence
# in themselves, and hold no secret (unlike database_url, which may carry a password).
_CONFIG_SECTIONS_IN_CLEAR = ("roi",)


def config_snapshot(settings: Settings) -> dict[str, Any]:
    """The settings as an audit payload: the fingerprint, a SHA-256 per top-level section
    (so a change can name what changed without storing values), and the ROI assumptions."""
    data = settings.model_dump(mode="json", exclude={"secrets"})
    data["secrets"] = sorted(settings.secrets)
    sections = {
        key: hashlib.sha256(canonical_json({"v": value}).encode()).hexdigest()
        for key, value in sorted(data.items())
    }
    return {
        "fingerprint": settings.fingerprint(),
        "sections": sections,
        **{key: data[key] for key in _CONFIG_SECTIONS_IN_CLEAR},
    }


def record_config_if_changed(ledger: Ledger, settings: Settings, actor: str) -> int | None:
    """Append ``config.loaded`` (first time) or ``config.changed`` when the settings'
    fingerprint differs from the last one recorded; returns the new event's id or None.

    The last recorded fingerprint is read under the write lock, so two processes starting
    with the same new settings record the change once.
    """
    snapshot = config_snapshot(settings)
    with ledger.transaction() as conn:
        lock_for_write(conn)
        row = conn.execute(
            select(events.c.payload)
            .where(events.c.kind.in_(CONFIG_EVENT_KINDS))
            .order_by(events.c.id.desc())
            .limit(1)
        ).first()
        previous: dict[str, Any] = {}
        if row is not None:
            try:
                previous = json.loads(row.payload)
            except ValueError:
                previous = {}
            if previous.get("fingerprint") == snapshot["fingerprint"]:
                return None
        before = previous.get("sections") or {}
        changed = sorted(
            k for k in set(before) | set(snapshot["sections"])
            if before.get(k) != snapshot["sections"].get(k)
        )
        payload = {
            **snapshot,
            "previous_fingerprint": previous.get("fingerprint"),
            "changed_sections": changed if row is not None else [],
        }
        kind = "config.changed" if row is not None else "config.loaded"
        return append_event(conn, kind, actor=actor, payload=payload)


# Imported last on purpose: importing ``backoffice.ledger`` runs its store module, which
# imports ``append_event`` from here, so this module must be complete by then (otherwise
# ``import backoffice.audit`` before ``backoffice.ledger`` fails with a circular import).
from backoffice.ledger.database import lock_for_write  # noqa: E402
from backoffice.ledger.schema import audit_head, events  # noqa: E402
