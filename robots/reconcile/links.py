"""Who pays for whom: payer -> customer links, from this statement and from earlier runs.

A payment with no reference is matched on amount only when the payer is known as the
customer of the open item. A payer is known by name (the ledger's customer name, normalised)
or by a link: the payer's IBAN (or name) paid that customer's invoices by reference before.
Links are learnt from the matches the robot stands behind on a reference, never from
amount-only matches, so a wrong guess cannot teach itself.

Keys are ``iban:<account>`` and ``name:<name key>``; values are the ledger's customer name
keys. The robot keeps them in the ledger's robot memory between runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from robots.reconcile.model import Match, Record

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
