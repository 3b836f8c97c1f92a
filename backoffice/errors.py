"""The one exception tree of Backoffice Bots.

    BotError
    ├── ItemError(code, message)        raised by a robot about one work item
    │   ├── BusinessError               bad or missing data: never retried, goes to REVIEW
    │   │   └── InputRejected           not processable at all (corrupt, not an invoice):
    │   │                               FAILED as a business failure, no review, no retry
    │   └── ApplicationError            timeout, ERP down, browser crash: retried with backoff
    ├── ConfigError(BotError, ValueError)   bad settings, workflow or form map; names the key
    ├── NotFound(BotError, LookupError)     an id that names nothing
    ├── StateError(BotError, RuntimeError)  an action that the current state does not allow
    │   └── LeaseLost                   a worker's lease on an item was taken over: its
    │                                   outcome is fenced off, never recorded twice
    └── DispatchFailed(BotError, ConnectionError)  the broker could not be reached or
                                        refused the run's tasks: the run is not started

The CLI maps every ``BotError`` to a one-line ``Error: ...`` message and an exit code.
"""

from __future__ import annotations

from typing import Any


class BotError(Exception):
    """Base of every error Backoffice Bots raises on purpose."""

    exit_code: int = 1


class ItemError(BotError):
    """A robot could not finish one work item.

    ``code`` is a short machine-readable reason (``total_mismatch``, ``erp_http_500``);
    ``details`` is kept with the item (e.g. the fields extracted so far, for the reviewer).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        reasons: list[str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.reasons = list(reasons) if reasons else [message]
        self.details = dict(details or {})


class BusinessError(ItemError):
    """The input is wrong or incomplete; a person has to look. Never retried.

    Raised out of a command that works on files directly (``bots reconcile``), it is bad
    input: exit code 2."""

    exit_code = 2


class InputRejected(BusinessError):
    """The input cannot be worked on at all (a corrupt file, a letter that is not an invoice):
    the item is FAILED with kind BUSINESS and a reason, never retried; its file is kept."""


class ApplicationError(ItemError):
    """Something outside the input failed (timeout, HTTP 5xx, crash); worth retrying."""


class ConfigError(BotError, ValueError):
    """Settings, a workflow definition or a form map is invalid."""

    exit_code = 2


class NotFound(BotError, LookupError):
    """A run, item, workflow, robot or user id that does not exist."""

    exit_code = 3

    def __init__(self, kind: str, ident: object, *, hint: str | None = None) -> None:
        suffix = f" ({hint})" if hint else ""
        super().__init__(f"{kind} {ident!s} not found{suffix}")
        self.kind = kind
        self.ident = ident


class StateError(BotError, RuntimeError):
    """The action is not allowed in the current state (e.g. approving a DONE item)."""

    exit_code = 4


class LeaseLost(StateError):
    """A worker tried to record an attempt on an item whose lease it no longer holds (it was
    silent past its lease and another worker took the item over). Fencing: the late worker's
    outcome is discarded, so an item never gets two outcomes."""

    def __init__(self, item_id: str, owner: str | None) -> None:
        super().__init__(f"item {item_id}: the lease of {owner} was taken over by another "
                         "worker; this worker's outcome is not recorded")
        self.item_id = item_id
        self.owner = owner


class DispatchFailed(BotError, ConnectionError):
    """The broker was unreachable or refused the run's tasks (nothing waits for a worker)."""

    exit_code = 69  # EX_UNAVAILABLE: a service is down; fix it and run again or --resume
