"""One robot's view of what it has learned from people (kept by the ledger's knowledge book).

The engine hands each robot its ``RobotKnowledge`` in ``ItemContext.knowledge``, and the
review flow hands it to the robot's ``ReviewSchema.learn`` after an approval. The robot alone
knows what its values mean; the core only stores, versions, audits and forgets them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backoffice.ledger import Knowledge, Ledger


@dataclass(frozen=True)
class RobotKnowledge:
    ledger: Ledger
    robot: str

    def current(self, kind: str, key: str) -> Knowledge | None:
        return self.ledger.current_knowledge(self.robot, kind, key)

    def entries(self, kind: str) -> list[Knowledge]:
        return self.ledger.knowledge_entries(self.robot, kind)

    def history(self, kind: str, key: str) -> list[Knowledge]:
        return self.ledger.knowledge_history(self.robot, kind, key)

    def stamp(self, kind: str) -> tuple[int, int, int]:
        """Changes whenever an entry of ``kind`` is taught or forgotten: a cache key."""
        return self.ledger.knowledge_stamp(self.robot, kind)

    def teach(self, kind: str, key: str, value: Mapping[str, Any], *, actor: str,
              item_id: str | None = None, run_id: str | None = None) -> Knowledge:
        return self.ledger.teach(self.robot, kind, key, value, actor=actor, item_id=item_id,
                                 run_id=run_id)

    def forget(self, kind: str, key: str, *, actor: str, reason: str | None = None) -> int:
        return self.ledger.forget_knowledge(self.robot, kind, key, actor=actor, reason=reason)
