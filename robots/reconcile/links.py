"""Who pays for whom: payer -> customer links, from this statement and from earlier runs.

A payment with no reference is matched on amount only when the payer is known as the
customer of the open item. A payer is known by name (the ledger's customer name, normalised)
or by a link: the payer's IBAN (or name) paid that customer's invoices by reference before.
Links are learnt from the matches the robot stands behind on a reference, never from
amount-only matches, so a wrong guess cannot teach itself.

Keys are ``iban:<account>`` and ``name:<name key>``; values are the ledger's customer name
keys. The robot keeps them between runs in the ledger's knowledge (kind ``payer``: versioned,
each one an audit event naming who taught it). Two things teach a link: a match the robot
stands behind on a reference, and a person confirming a suggestion in review. A link only
lets an amount-only candidate through (amount and date rules still apply); a payment whose
reference names an open item is never matched on amount, so a link never overrides it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from robots.reconcile.model import Issue, Match, Record

if TYPE_CHECKING:
    from backoffice.knowledge import RobotKnowledge

KIND = "payer"  # the knowledge kind: payer key -> {"customer": customer name key}

# Rules whose matches rest on a reference: only these teach who pays for whom.
TEACHING_RULES = frozenset({"exact_reference", "reference_group", "fuzzy_reference"})


def payer_keys(record: Record) -> list[str]:
    keys = []
    if record.account:
        keys.append(f"iban:{record.account}")
    if record.name_key:
        keys.append(f"name:{record.name_key}")
    return keys


def learn(matches: Iterable[Match]) -> dict[str, str]:
    """Links shown by reference matches: a payer key that paid exactly one customer."""
    seen: dict[str, set[str]] = defaultdict(set)
    for m in matches:
        if m.rule not in TEACHING_RULES:
            continue
        customers = {r.name_key for r in m.right}
        if len(customers) != 1 or "" in customers:
            continue
        customer = next(iter(customers))
        for left in m.left:
            for key in payer_keys(left):
                if key != f"name:{customer}":  # the name itself needs no link
                    seen[key].add(customer)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def merge(known: Mapping[str, str], fresh: Mapping[str, str]) -> dict[str, str]:
    """Earlier links updated by this run's: a payer now paying another customer (a company
    sold, an IBAN reused) follows the latest reference evidence."""
    out = dict(known)
    out.update(fresh)
    return out


def recall(knowledge: RobotKnowledge) -> dict[str, str]:
    """The links learnt in earlier runs (forgotten ones left out)."""
    out = {}
    for entry in knowledge.entries(KIND):
        customer = entry.value.get("customer")
        if isinstance(customer, str) and customer:
            out[entry.key] = customer
    return out


def remember(
    knowledge: RobotKnowledge,
    fresh: Mapping[str, str],
    known: Mapping[str, str],
    *,
    actor: str,
    taught_by: str,
    item_id: str | None = None,
    run_id: str | None = None,
) -> list[str]:
    """Teach the links that are new or point to another customer now; one line for each."""
    lines = []
    for key in sorted(fresh):
        customer = fresh[key]
        if known.get(key) == customer:
            continue
        entry = knowledge.teach(KIND, key, {"customer": customer, "taught_by": taught_by},
                                actor=actor, item_id=item_id, run_id=run_id)
        lines.append(f"payer {key} pays for {customer} (version {entry.version})")
    return lines


def suggestions(issues: Sequence[Issue], limit: int) -> list[dict[str, Any]]:
    """The suggestions a person can confirm, numbered from 1: who paid, for which customer,
    and the payer keys a confirmation links to that customer."""
    out: list[dict[str, Any]] = []
    for issue in issues:
        other = issue.other
        if issue.kind != "suggestion" or other is None or not other.name_key:
            continue
        keys = payer_keys(issue.record)
        if not keys:
            continue
        out.append({
            "n": len(out) + 1,
            "row": issue.record.row,
            "amount": (issue.record.cents or 0) / 100,
            "payer": issue.record.name or issue.record.account,
            "customer": other.name_key,
            "customer_name": other.name,
            "open_item_row": other.row,
            "keys": keys,
        })
        if len(out) >= limit:
            break
    return out
