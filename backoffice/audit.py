"""The audit trail's rules: events, each carrying the SHA-256 of the one before it (a hash
chain), and how a chain is checked.

This module holds the rules only and knows no database: the ledger writes and reads the
events (``backoffice.ledger.events``: ``Ledger.record_event``, ``Ledger.events``,
``Ledger.verify_chain``), each event in the same transaction as the state change it records,
so the trail and the tables can never disagree. ``walk_chain`` recomputes every hash and
names the first event that was edited, deleted, inserted or moved; the head (the newest id
and hash, kept apart) catches a deleted tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from backoffice.config import Settings

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


class EventRow(Protocol):
    """An event as stored: the payload still the JSON text its hash covers."""

    id: int
    ts: str
    actor: str
    kind: str
    run_id: str | None
    item_id: str | None
    payload: str
    prev_hash: str
    hash: str


def event_from_row(row: EventRow) -> AuditEvent:
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


def walk_chain(
    rows: Iterable[EventRow],
    read_head: Callable[[], tuple[int, str] | None],
    *,
    run_id: str | None = None,
    last_of_run: int | None = None,
) -> ChainReport:
    """Walk the whole chain (``rows`` in id order) and recompute every hash; then compare
    its end with the head ``read_head`` gives (read after the rows, as they were written).

    With ``run_id`` the chain is walked up to that run's last event, plus the link to the
    event after it (or the head): an event of another run deleted in between would break this
    run's proof, and so would this run's own last event going missing. Problems further on
    belong to later runs. ``checked`` counts that run's events; ``last_of_run`` is the id
    of that run's last event.
    """
    prev = GENESIS
    expected_id = 1
    checked = 0
    for row in rows:

        def bad(problem: str, row: EventRow = row, checked: int = checked) -> ChainReport:
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
    head = read_head()
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


def config_event(
    settings: Settings, previous: Mapping[str, Any] | None
) -> tuple[str, dict[str, Any]] | None:
    """The event to record for these settings after ``previous`` (the payload of the last
    config event, None if there was none): ``config.loaded`` the first time,
    ``config.changed`` when the fingerprint differs, None when nothing changed."""
    snapshot = config_snapshot(settings)
    before_payload = dict(previous or {})
    if previous is not None and before_payload.get("fingerprint") == snapshot["fingerprint"]:
        return None
    before = before_payload.get("sections") or {}
    changed = sorted(
        k for k in set(before) | set(snapshot["sections"])
        if before.get(k) != snapshot["sections"].get(k)
    )
    payload = {
        **snapshot,
        "previous_fingerprint": before_payload.get("fingerprint"),
        "changed_sections": changed if previous is not None else [],
    }
    return ("config.changed" if previous is not None else "config.loaded"), payload
