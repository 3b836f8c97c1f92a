"""Tiny robots for the ROI and audit tests: a reader, a poster and a rejecter whose
behaviour each item's payload decides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from backoffice.errors import BusinessError, InputRejected
from backoffice.models import ItemContext, ItemResult, Robot, WorkItem


class Reader(Robot):
    """Reads; an item flagged ``review`` goes to a person until approved."""

    name: ClassVar[str] = "reader"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 6.0
    approval_completes_step: ClassVar[bool] = True
    counterparty_label: ClassVar[str] = "vendor"

    @classmethod
    def counterparty(cls, payload: Mapping[str, Any]) -> str | None:
        return payload.get("vendor")

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        if item.payload.get("reject"):
            raise InputRejected("not_a_document", "this is not a document")
        if item.payload.get("review") and not item.payload.get("approved"):
            raise BusinessError("unclear", "the total is unreadable", details={"read": "?"})
        return ItemResult(output={"read": True})


class Poster(Robot):
    """Posts; an item flagged ``post_review`` is turned away once, until approved."""

    name: ClassVar[str] = "poster"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 4.0

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        if item.payload.get("post_review") and not item.payload.get("post_ok"):
            raise BusinessError("erp_refused", "the ERP refused the posting")
        return ItemResult(output={"posted": True})
