"""The run ledger: SQLAlchemy models, Alembic migrations and the queries over them."""

from backoffice.ledger.knowledge import Knowledge
from backoffice.ledger.store import Ledger, NewItem, Outcome, Stranded, new_run_id

__all__ = ["Knowledge", "Ledger", "NewItem", "Outcome", "Stranded", "new_run_id"]
