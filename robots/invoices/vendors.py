"""The invoice reader's learned vendor layouts in the ledger: taught by a reviewer's approval,
read back for the vendor's next invoices (by the robot and by ``bots extract``).

Entries live under robot ``invoice_reader``, kind ``layout``, keyed by the vendor's tax id,
else its IBAN, else its name (``tax_id:FI12345671``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backoffice.knowledge import RobotKnowledge
from backoffice.ledger import Ledger
from backoffice.models import Correction
from robots.invoices.learned import KIND, LearnedLayout, learn_layout, vendor_key
from robots.invoices.reader import ReaderOptions, load_document

ROBOT = "invoice_reader"


def knowledge_of(ledger: Ledger) -> RobotKnowledge:
    return RobotKnowledge(ledger, ROBOT)


def learned_layouts(knowledge: RobotKnowledge) -> list[LearnedLayout]:
    return [LearnedLayout(key=k.key, version=k.version, value=k.value)
            for k in knowledge.entries(KIND)]


class LayoutCache:
    """The learned layouts, read again only when one was taught or forgotten since."""

    def __init__(self) -> None:
        self._stamp: tuple[int, int, int] | None = None
        self._layouts: list[LearnedLayout] = []

    def get(self, knowledge: RobotKnowledge | None) -> list[LearnedLayout]:
        if knowledge is None:
            return []
        stamp = knowledge.stamp(KIND)
        if stamp != self._stamp:
            self._layouts, self._stamp = learned_layouts(knowledge), stamp
        return self._layouts


def learn_from_correction(correction: Correction, knowledge: RobotKnowledge) -> list[str]:
    """Teach the vendor's layout from an approved invoice (``ReviewSchema.learn``)."""
    path = correction.item.path
    if path is None or not path.is_file():
        return ["nothing learned: the invoice file is no longer there"]
    doc, _ = load_document(path, ReaderOptions())
    value = learn_layout(doc, correction.fields)
    key = vendor_key(value["identifiers"])
    if key is None:
        return ["nothing learned: the invoice names no vendor (tax id, IBAN or name)"]
    current = knowledge.current(KIND, key)
    if current is not None:
        value = merge_layouts(current.value, value)
        if value == current.value:
            return [f"layout of vendor {key}: unchanged (version {current.version})"]
    taught = knowledge.teach(KIND, key, value, actor=correction.reviewer,
                             item_id=correction.item.id, run_id=correction.item.run_id)
    table = " and the line table" if value.get("table") else ""
    return [f"layout of vendor {key}: version {taught.version} "
            f"({len(value['fields'])} field(s) placed{table})"]


def merge_layouts(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The newer lesson wins field by field; what it could not place (a field this invoice
    did not print, a table it did not have) is kept from the older one."""
    merged = {**old, **new}
    for part in ("fields", "constants", "shapes", "identifiers"):
        merged[part] = {**dict(old.get(part) or {}), **dict(new.get(part) or {})}
    merged["table"] = new.get("table") or old.get("table")
    return merged
