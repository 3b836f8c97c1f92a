"""Work the control room starts in the background: "Run now", and carrying an approved item
on through its workflow. Threads in the server process, stopped with it.

Executions of one run are serialised: a second approval that arrives while the run is still
draining waits, then drains again, so an approved item is never left PENDING because the
engine was busy with the same run a moment earlier.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.models import Run, Trigger, WorkItem
from backoffice.registry import Registry
from backoffice.review import continue_after_review
from backoffice.states import RunState, TriggerKind

log = logging.getLogger(__name__)


class Jobs:
    def __init__(self, settings: Settings, ledger: Ledger, registry: Registry) -> None:
        self.settings = settings
        self.ledger = ledger
        self.registry = registry
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._run_locks: dict[str, threading.Lock] = {}
        self._threads: list[threading.Thread] = []

    def engine(self) -> Engine:
        return Engine(self.settings, self.ledger, self.registry, stop=self.stop)

    def start_run(self, workflow: str, *, actor: str) -> Run:
        """Create the run now (so the page can show it at once) and execute it in the
        background."""
        engine = self.engine()
        run = engine.prepare(workflow, trigger=Trigger(kind=TriggerKind.MANUAL, actor=actor))
        self._spawn(run.id, lambda: engine.execute(run.id, actor=actor))
        return run

    def continue_item(self, item: WorkItem, *, actor: str) -> None:
        """Resume an approved item's run so it goes on through the workflow."""
        engine = self.engine()
        self._spawn(item.run_id, lambda: continue_after_review(engine, item, actor=actor))

    def _spawn(self, run_id: str, work: Callable[[], object]) -> None:
        with self._lock:
            run_lock = self._run_locks.setdefault(run_id, threading.Lock())
            self._threads = [t for t in self._threads if t.is_alive()]

        def target() -> None:
            with run_lock:
                try:
                    work()
                    # Items approved while that execution was finishing: drain them too. A
                    # run that paused or failed stays so until a person looks.
                    for _ in range(3):
                        run = self.ledger.run(run_id)
                        if self.stop.is_set() or run.state is not RunState.COMPLETED:
                            break
                        if not self.ledger.pending_summary(run_id)[0]:
                            break
                        self.engine().resume(run_id, actor="control-room")
                except Exception:
                    log.exception("background work on run %s failed", run_id)

        thread = threading.Thread(target=target, name=f"control-room-{run_id}", daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def busy(self) -> bool:
        with self._lock:
            return any(t.is_alive() for t in self._threads)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Ask running executions to stop after the items in hand, and wait for them."""
        self.stop.set()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
