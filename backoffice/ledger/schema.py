"""The ledger's tables (SQLAlchemy Core). Changes go through an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands back timezone-aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the ledger; use UTC-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workflow", String(200), nullable=False, index=True),
    Column("trigger_kind", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("schedule_id", String(200), index=True),
    Column("state", String(20), nullable=False, index=True),
    Column("reason", Text),
    Column("params", JSON, nullable=False, default=dict),
    Column("owner", String(200)),  # host:pid:token of the process running it
    Column("settings_hash", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("heartbeat_at", UTCDateTime),
)

items = Table(
    "items",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False),
    Column("seq", Integer, nullable=False),  # order of arrival within the run
    Column("workflow", String(200), nullable=False),
    Column("key", String(200), nullable=False),  # idempotency key
    Column("source", Text),
    Column("payload", JSON, nullable=False, default=dict),
    Column("files", JSON, nullable=False, default=list),
    Column("state", String(20), nullable=False),
    Column("step", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),  # at the current step
    Column("last_error", Text),
    Column("error_code", String(100)),
    Column("failure_kind", String(20)),
    Column("reasons", JSON, nullable=False, default=list),
    Column("priority", Integer, nullable=False, default=0),
    Column("deadline", UTCDateTime),
    Column("not_before", UTCDateTime),
    Column("lease_owner", String(200)),
    Column("lease_expires", UTCDateTime),
    Column("skipped_from", String(60)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Index("ix_items_run_state", "run_id", "state"),
    Index("ix_items_key", "workflow", "key"),
    Index("ix_items_state_finished", "state", "finished_at"),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(60), ForeignKey("items.id"), nullable=False, index=True),
    Column("run_id", String(40), nullable=False, index=True),
    Column("step", Integer, nullable=False),
    Column("robot", String(200), nullable=False),
    Column("robot_version", String(50)),
    Column("number", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("outcome", String(20)),  # done | review | retry | failed | existing | lost
    Column("failure_kind", String(20)),
    Column("error_code", String(100)),
    Column("error", Text),
    Column("duration_ms", Float),
    Column("manual_minutes", Float),  # the baseline earned when the outcome is done
    Column("worker", String(200)),
)

# Append-only, hash-chained: see backoffice.audit.
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("kind", String(60), nullable=False, index=True),
    Column("run_id", String(40), index=True),
    Column("item_id", String(60), index=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The newest event's id and hash, so a deleted tail is noticed too.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(60), ForeignKey("items.id"), nullable=False, index=True),
    Column("run_id", String(40), nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("decision", String(20), nullable=False),  # a ReviewDecision
    # The step the item was handed over at (None: recorded before migration 0004 kept it).
    Column("step", Integer),
    Column("changes", JSON, nullable=False, default=dict),
    Column("reason", Text),
    Column("minutes_spent", Float),  # measured by the review flow; None = use the estimate
    Column("opened_at", UTCDateTime),
    Column("decided_at", UTCDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# What robots learn from people (a vendor's layout, a payer's customer): every version kept,
# the newest one not forgotten is the current one. Generic: the core never reads ``value``.
knowledge = Table(
    "knowledge",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("robot", String(200), nullable=False),
    Column("kind", String(60), nullable=False),
    Column("key", String(400), nullable=False),
    Column("version", Integer, nullable=False),
    Column("value", JSON, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("item_id", String(60)),  # the item whose review taught it, when there is one
    Column("forgotten", Boolean, nullable=False, default=False),
    Index("ix_knowledge_entry", "robot", "kind", "key", "version", unique=True),
)

# The signed-in sessions that are still open. The cookie carries a random token; only its
# SHA-256 is kept here, so reading the table does not let anyone sign in. Ending a session
# (logout, the user disabled, the password changed) deletes its row, and a cookie whose row
# is gone is worth nothing, even though its signature is still good.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)
