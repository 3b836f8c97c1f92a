"""Checking the recorded state against the audit trail (``bots audit verify``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backoffice.ledger.base import LedgerBase
from backoffice.ledger.database import lock_for_write
from backoffice.ledger.events import iter_events
from backoffice.ledger.replay import Mismatch, compare, replay
from backoffice.ledger.schema import attempts, items, reviews, runs


@dataclass(frozen=True, kw_only=True)
class StateReport:
    runs: int
    items: int
    mismatches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def describe(self) -> str:
        if self.ok:
            return (f"recorded state matches the audit trail: {self.runs} run(s), "
                    f"{self.items} item(s)")
        return f"recorded state differs from the audit trail in {len(self.mismatches)} place(s)"


class StateVerifier(LedgerBase):
    def verify_state(self, run_id: str | None = None) -> StateReport:
        """Replay the audit events into run, item, attempt and review states and compare
        them with the tables; with ``run_id`` only that run's.

        Read under the write lock, so a run in progress is seen between two of its
        transactions, never halfway through one.
        """
        with self.transaction() as conn:
            lock_for_write(conn)
            told = replay(iter_events(conn, run_id=run_id))
            run_q = select(runs.c.id, runs.c.state, runs.c.actor, runs.c.workflow)
            item_q = select(items.c.id, items.c.run_id, items.c.state, items.c.key)
            attempt_q = select(attempts.c.id, attempts.c.item_id, attempts.c.step,
                               attempts.c.number, attempts.c.outcome,
                               attempts.c.manual_minutes).order_by(attempts.c.id)
            review_q = select(reviews.c.id, reviews.c.item_id, reviews.c.decision,
                              reviews.c.reviewer, reviews.c.changes,
                              reviews.c.minutes_spent).order_by(reviews.c.id)
            if run_id is not None:
                run_q = run_q.where(runs.c.id == run_id)
                item_q = item_q.where(items.c.run_id == run_id)
                attempt_q = attempt_q.where(attempts.c.run_id == run_id)
                review_q = review_q.where(reviews.c.run_id == run_id)
            run_rows = [dict(r._mapping) for r in conn.execute(run_q)]
            item_rows = [dict(r._mapping) for r in conn.execute(item_q)]
            mismatches = compare(
                told,
                runs=run_rows,
                items=item_rows,
                attempts=(dict(r._mapping) for r in conn.execute(attempt_q)),
                reviews=(dict(r._mapping) for r in conn.execute(review_q)),
            )
        return StateReport(runs=len(run_rows), items=len(item_rows),
                           mismatches=tuple(mismatches))
