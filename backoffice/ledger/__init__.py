"""The run ledger: SQLAlchemy models, Alembic migrations and the queries over them."""

from backoffice.ledger.store import Ledger, NewItem, Outcome, Stranded, new_run_id

__all__ = ["Ledger", "NewItem", "Outcome", "Stranded", "new_run_id"]
