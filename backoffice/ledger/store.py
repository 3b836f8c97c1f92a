"""The run ledger: every run, item, attempt and decision, and the audit event for each.

All writes go through ``Ledger`` methods, each one transaction that changes state *and*
appends the audit event recording it. Summaries (counts, minutes saved) are derived from the
recorded items and attempts, never kept as hand-updated counters. The methods live in these
parts: runs (``runs.py``), the item queue (``queue.py``), reviews (``reviews.py``), what
robots learn from people (``knowledge.py``), the control room's users and sessions
(``accounts.py``) and what a watchman of remote workers asks (``watch.py``); ``events.py``
appends, reads and checks the audit trail, ``verify.py`` checks the tables against it, and
``history.py`` reads it all back for ROI.
"""

from __future__ import annotations

from backoffice.clock import Clock
from backoffice.ledger.accounts import AccountBook
from backoffice.ledger.database import make_engine, migrate
from backoffice.ledger.events import EventLog
from backoffice.ledger.history import HistoryBook
from backoffice.ledger.knowledge import KnowledgeBook
from backoffice.ledger.records import NewItem, Outcome, new_run_id
from backoffice.ledger.reviews import ReviewBook
from backoffice.ledger.runs import RunBook
from backoffice.ledger.verify import StateVerifier
from backoffice.ledger.watch import RunWatch, Stranded

__all__ = ["Ledger", "NewItem", "Outcome", "Stranded", "new_run_id"]


class Ledger(RunBook, ReviewBook, KnowledgeBook, AccountBook, StateVerifier, RunWatch,
             EventLog, HistoryBook):
    """The ledger over one database. Thread-safe; open one per process."""

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True, clock: Clock | None = None) -> Ledger:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine, clock=clock)

    def close(self) -> None:
        self.engine.dispose()
