"""Deterministic matching of two sides, surest rule first.

    1. exact_reference     a reference key on both sides, amount within tolerance
    2. reference_group     keys in one payment name 2..k open items that add up to it
    3. fuzzy_reference     amount within tolerance, references alike (typos, a reference
                           inside a message), scored by rapidfuzz
    4. partial             a reference names one open item and pays part of it (or several
                           payments naming it pay it in instalments): the balance stays open
    5. amount_date         amount within tolerance, date within the window around the
                           typical delay learnt from rules 1-3, from a payer known as the
                           customer of the open item
       amount_name         a late payment: same amount, same payer, up to name_window_days,
                           when one open item and one payment fit each other only
    6. amount_group        one payment = 2..k open items of the payer (subset sum)

Amount-only rules (5, 6) never pair a payment with an open item of a customer the payer is
not known to be (by normalised name, or by a link: the payer's IBAN or name paid that
customer by reference before, in this statement or an earlier one). Crediting the wrong
customer is the costliest mistake; such a fit is a ``suggestion`` for a person instead.

Once the reference matches show how the two sides sign a payment (same or opposite), rules
2-5 only pair rows signed that way, so money paid out never settles a customer invoice.

then flags, never forced into a match: overpayments, double payments, duplicate rows,
suggestions and conflicts. Every lookup goes through a hash of keys or a sorted array of
amounts or dates, so the work stays near O(n log n). Ties are broken by date distance and
then row number, so the same input always gives the same answer.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter

from rapidfuzz import fuzz

from robots.reconcile.groups import subsets_summing
from robots.reconcile.keys import normalise
from robots.reconcile.links import learn, payer_keys
from robots.reconcile.model import Issue, Match, MatchKind, Record, Result, SideData
from robots.reconcile.names import names_from_text, payer_name
from robots.reconcile.rules import Rules

Stage = Callable[[str], None]
STOP_KEY_HITS = 50  # a key on more open items than this (a customer number) identifies none
MAX_FUZZY_CANDIDATES = 200
FUZZY_SUPPORTED_SLACK = 10  # fuzzy threshold minus this when name and date agree
SAME_NAME = 90  # rapidfuzz token_set_ratio of two name keys that name the same payer
MIN_LEARNED = 20  # reference matches needed before the usual delay or signs are trusted


class Matcher:
    def __init__(
        self, left: SideData, right: SideData, rules: Rules,
        links: Mapping[str, str] | None = None,
    ) -> None:
        self.rules = rules
        self.known_links = dict(links or {})  # payer key -> customer name key, earlier runs
        self.links = dict(self.known_links)
        self.taught: dict[str, str] = {}  # links shown by this statement's reference matches
        self.left = left
        self.right = right
        self.tol = rules.tolerance_cents
        self.L = [r for r in left.records if r.cents is not None]
        self.R = [r for r in right.records if r.cents is not None]
        self.taken: set[int] = set()  # id() of matched records, both sides
        self.matches: list[Match] = []
        self.issues: list[Issue] = []
        self.offset = 0
        self.window = rules.date_window_days
        # +1: both sides write a payment with the same sign, -1: opposite signs, 0: unknown.
        self.sign = 0
        # Signatures of the matched left rows, and how many matches they cover so far: the
        # match list only grows while the rules run, so the set is extended, not rebuilt.
        self._matched_signatures: set[tuple] = set()
        self._signed_matches = 0
        self._signs = {True: 0, False: 0}  # matches signed alike (True) or oppositely
        self._deltas: list[int] = []  # left day - right day of the one-to-one matches
        self.by_key: dict[str, list[Record]] = defaultdict(list)
        for r in self.R:
            for k in r.keys:
                self.by_key[k].append(r)
        for k in [k for k, v in self.by_key.items() if len(v) > STOP_KEY_HITS]:
            del self.by_key[k]
        self.by_size = sorted(self.R, key=attrgetter("size", "row", "file"))
        names_from_text(self.L, self.R)
        names_from_text(self.R, self.L)
        self.sizes = [r.size for r in self.by_size]
        self.customers = sorted({r.name_key for r in self.R if r.name_key})
        self._customer_set = dict.fromkeys(self.customers)
        self._payers: dict[int, frozenset[str]] = {}

    # ---- driver -----------------------------------------------------------------------
    def run(self, stage: Stage | None = None) -> Result:
        steps = (
            ("exact references", self._exact_reference),
            ("reference groups", self._reference_groups),
            ("fuzzy references", self._fuzzy_reference),
            ("partial payments", self._partials),
            ("amount and date", self._amount_date),
            ("amount and name", self._amount_name),
            ("amount groups", self._amount_groups),
            ("exceptions", self._flag),
        )
        for name, step in steps:
            if stage is not None:
                stage(name)
            if name == "reference groups":
                self._learn_sign()
            if name in ("fuzzy references", "amount and date"):
                self._learn_offset()
            if name == "amount and date":
                # Payers seen paying a customer by reference in this statement are known
                # as that customer; links from earlier runs stay unless contradicted.
                # Only the reference rules before this step teach, so this is learnt once.
                self.taught = learn(self.matches)
                self.links = {**self.known_links, **self.taught}
                self._payers.clear()
            step()
        self.matches.sort(key=lambda m: (m.left[0].file, m.left[0].row))
        return Result(
            left=self.left,
            right=self.right,
            matches=self.matches,
            issues=self.left.issues + self.right.issues + self.issues,
            date_offset=self.offset,
            date_window=self.window,
            links=self.taught,
        )

    # ---- helpers ----------------------------------------------------------------------
    def _free(self, records: Iterable[Record]) -> list[Record]:
        taken = self.taken
        return [r for r in records if id(r) not in taken]

    def _take(
        self, left: Record | Iterable[Record], rights: Iterable[Record], rule: str,
        score: float, kind: MatchKind | None = None,
    ) -> None:
        lefts = (left,) if isinstance(left, Record) else tuple(left)
        rights = tuple(rights)
        if len(rights) > 1:
            rights = tuple(sorted(rights, key=lambda r: (r.file, r.row)))
        taken = self.taken
        for r in lefts:
            taken.add(id(r))
        for r in rights:
            taken.add(id(r))
        if kind is None:
            if len(rights) > 1:
                kind = MatchKind.ONE_TO_MANY
            elif sum(r.size for r in lefts) != rights[0].size:
                kind = MatchKind.ROUNDING
            elif rule == "fuzzy_reference":
                kind = MatchKind.REFERENCE
            else:
                kind = MatchKind.EXACT
        self.matches.append(
            Match(left=lefts, right=rights, rule=rule, score=round(score, 3), kind=kind)
        )
        # What the sign and the usual delay are learnt from, kept as matches are made (a
        # pass over 100,000 matches each time they are learnt costs more than this).
        first, right = lefts[0], rights[0]
        if first.cents and right.cents:
            self._signs[(first.cents > 0) == (right.cents > 0)] += 1
        if len(rights) == 1 and first.day is not None and right.day is not None:
            self._deltas.append(first.day - right.day)

    # ---- who the payer is ----------------------------------------------------------------
    def _payer_customers(self, left: Record) -> frozenset[str]:
        """The ledger customers (name keys) this payment's payer is known to be."""
        known = self._payers.get(id(left))
        if known is not None:
            return known
        found: set[str] = set()
        if left.name_key:
            name = payer_name(left.name_key, self._customer_set, self.customers)
            if name:
                found.add(name)
        for key in payer_keys(left):
            customer = self.links.get(key)
            if customer:
                found.add(customer)
        known = self._payers[id(left)] = frozenset(found)
        return known

    def _agrees(self, left: Record, right: Record) -> bool:
        """Whether the payer is the customer of ``right``: the same name (case, accents,
        company form and truncation aside), a name one typo away, or a learnt link."""
        if not right.name_key:
            return False
        if right.name_key in self._payer_customers(left):
            return True
        return bool(left.name_key) and fuzz.ratio(left.name_key, right.name_key) >= SAME_NAME

    def _suggest(self, left: Record, others: list[Record], rule: str) -> None:
        best = others[0]
        who = left.name or left.account or "an unnamed payer"
        self.issues.append(Issue(
            kind="suggestion", record=left, other=best,
            note=f"{rule}: amount fits {_rows(others)} of {best.name_key or 'no named customer'}"
            f", but {who!r} is not known as that customer"))

    def _days_apart(self, left: Record, right: Record) -> int | None:
        if left.day is None or right.day is None:
            return None
        return abs(left.day - right.day - self.offset)

    def _in_ref_window(self, left: Record, right: Record) -> bool:
        if left.day is None or right.day is None:
            return True  # a reference alone is strong enough without a date
        return abs(left.day - right.day) <= self.rules.reference_window_days

    def _sign_fits(self, left: Record, right: Record) -> bool:
        """Whether the signs agree with the learnt relation: money paid out to a supplier
        never settles a customer's invoice, though the figures are the same."""
        if not self.sign or not left.cents or not right.cents:
            return True
        return ((left.cents > 0) == (right.cents > 0)) == (self.sign > 0)

    def _key_hits(self, left: Record) -> list[Record]:
        hits: dict[int, Record] = {}
        for k in left.keys:
            for r in self.by_key.get(k, ()):
                hits.setdefault(id(r), r)
        return list(hits.values())

    def _same_size(self, size: int) -> list[Record]:
        lo = bisect_left(self.sizes, size - self.tol)
        hi = bisect_right(self.sizes, size + self.tol)
        return self.by_size[lo:hi]

    def _pick(self, left: Record, scored: list[tuple[float, Record]], rule: str) -> None:
        """Take the best candidate; when the next is as good, flag the pick as ambiguous."""
        if len(scored) > 1:
            scored.sort(key=lambda sr: (-sr[0], self._days_apart(left, sr[1]) or 0, sr[1].row))
        best_score, best = scored[0]
        self._take(left, [best], rule, best_score)
        if len(scored) > 1 and scored[1][0] >= best_score - 1e-9:
            self.issues.append(
                Issue(kind="conflict", record=left, other=best,
                      note=f"{rule}: {len(scored)} candidates scored {best_score:.2f}; row "
                      f"{best.row} was taken, right row {scored[1][1].row} fits as well")
            )

    # ---- 1. exact reference ------------------------------------------------------------
    def _exact_reference(self) -> None:
        # The hottest loop at 100,000 rows: lookups inlined rather than via the helpers.
        taken, by_key, tol = self.taken, self.by_key, self.tol
        window = self.rules.reference_window_days
        for left in self.L:
            keys = left.keys
            if not keys:
                continue
            size, day = left.size, left.day
            mine: set[str] | None = None  # left's strong keys, built at the first candidate
            scored: list[tuple[float, Record]] = []
            seen: set[int] = set()
            for k in keys:
                for r in by_key.get(k, ()):
                    rid = id(r)
                    if rid in taken or rid in seen or abs(r.size - size) > tol:
                        continue
                    seen.add(rid)
                    if day is not None and r.day is not None and abs(day - r.day) > window:
                        continue
                    if mine is None:
                        mine = set(keys[: left.strong])
                    strong = not mine.isdisjoint(r.keys[: r.strong])
                    scored.append((1.0 if strong else 0.98, r))
            if scored:
                self._pick(left, scored, "exact_reference")

    # ---- 2. reference group ------------------------------------------------------------
    def _reference_groups(self) -> None:
        for left in self._free(self.L):
            if not left.keys:
                continue
            hits = [
                r for r in self._free(self._key_hits(left))
                if r.size < left.size + self.tol and self._in_ref_window(left, r)
                and self._sign_fits(left, r)
            ]
            if len(hits) < 2:
                continue
            hits.sort(key=lambda r: (r.file, r.row))
            if len(hits) <= self.rules.max_group * 3:
                groups = subsets_summing(
                    [r.size for r in hits], left.size,
                    tolerance=self.tol, max_items=self.rules.max_group, limit=2,
                )
                if len(groups) == 1:
                    self._take(left, [hits[i] for i in groups[0]], "reference_group", 1.0)

    # ---- 3. fuzzy reference ------------------------------------------------------------
    def _fuzzy_reference(self) -> None:
        threshold = self.rules.fuzzy_threshold
        min_len = self.rules.min_reference_length + 1
        taken = self.taken
        for left in self._free(self.L):
            if not (left.keys or left.text or left.ref):
                continue
            # A round amount can have thousands of open items: stop counting at the cap.
            cands = []
            for r in self._same_size(left.size):
                if (id(r) not in taken and r.keys and self._in_ref_window(left, r)
                        and self._sign_fits(left, r)):
                    cands.append(r)
                    if len(cands) > MAX_FUZZY_CANDIDATES:
                        break
            if not cands or len(cands) > MAX_FUZZY_CANDIDATES:
                continue
            blob = normalise(f"{left.ref} {left.text}")
            lkeys = [k for k in left.keys[:8] if len(k) >= min_len]
            scored = []
            for r in cands:
                best = 0.0
                for rk in r.keys[: max(r.strong, 1)][:4]:
                    if len(rk) < min_len:
                        continue
                    for lk in lkeys:
                        best = max(best, fuzz.ratio(lk, rk))
                    if len(blob) >= len(rk):
                        best = max(best, fuzz.partial_ratio(rk, blob) - 2)
                # One wrong digit in a short number ("70198" for "70698") scores 80: enough
                # when the payer's name and the usual date agree as well.
                if best >= threshold or (
                    best >= threshold - FUZZY_SUPPORTED_SLACK
                    and self._agrees(left, r)
                    and (self._days_apart(left, r) or 0) <= self.window
                ):
                    scored.append((best / 100.0, r))
            if scored:
                self._pick(left, scored, "fuzzy_reference")

    # ---- learning the signs and the usual delay ------------------------------------------
    def _learn_sign(self) -> None:
        same, opposite = self._signs[True], self._signs[False]
        total = same + opposite
        if total >= MIN_LEARNED and max(same, opposite) >= 0.9 * total:
            self.sign = 1 if same > opposite else -1


    def _learn_offset(self) -> None:
        if not self.rules.learn_date_offset:
            return
        deltas = self._deltas
        if len(deltas) < MIN_LEARNED:
            return
        self.offset = round(statistics.median(deltas))
        spread = sorted(abs(d - self.offset) for d in deltas)
        p95 = spread[min(len(spread) - 1, int(len(spread) * 0.95))]
        self.window = min(max(self.rules.date_window_days, p95),
                          max(self.rules.max_learned_window_days, self.rules.date_window_days))

    # ---- 4. amount and date ------------------------------------------------------------
    def _amount_only(self) -> list[Record]:
        """Unmatched left rows fit for amount-only rules: not a repeat of a matched row, and
        with no reference pointing at an open item (that is a partial or an overpayment)."""
        seen = self._matched_signatures
        seen.update(self._signature(m.left[0]) for m in self.matches[self._signed_matches:])
        self._signed_matches = len(self.matches)
        return [
            r for r in self._free(self.L)
            if r.day is not None and self._signature(r) not in seen and not self._key_hits(r)
        ]

    @staticmethod
    def _signature(r: Record) -> tuple:
        return (r.day, r.cents, r.ref, r.text, r.name)

    def _amount_date(self) -> None:
        for left in self._amount_only():
            scored = []
            strangers: list[Record] = []
            for r in self._free(self._same_size(left.size)):
                apart = self._days_apart(left, r)
                if apart is None or apart > self.window or not self._sign_fits(left, r):
                    continue
                if not self._agrees(left, r):
                    strangers.append(r)
                    continue
                score = 0.7 + 0.3 * (1 - apart / (self.window + 1))
                scored.append((score, r))
            if scored:
                self._pick(left, scored, "amount_date")
            elif strangers:
                strangers.sort(key=lambda r: (self._days_apart(left, r) or 0, r.file, r.row))
                self._suggest(left, strangers, "amount_date")

    # ---- 4b. amount and name, late ---------------------------------------------------
    def _amount_name(self) -> None:
        """A late payment without a reference: the same amount from the same payer, when
        exactly one open item and exactly one payment fit each other."""
        window = self.rules.name_window_days
        proposals: dict[int, list[tuple[Record, Record]]] = defaultdict(list)
        for left in self._amount_only():
            fits = [
                r for r in self._free(self._same_size(left.size))
                if r.day is not None and abs(left.day - r.day - self.offset) <= window  # type: ignore[operator]
                and self._sign_fits(left, r) and self._agrees(left, r)
            ]
            if len(fits) == 1:
                proposals[id(fits[0])].append((left, fits[0]))
            elif len(fits) > 1:
                self.issues.append(Issue(
                    kind="conflict", record=left, other=fits[0],
                    note=f"amount_name: {len(fits)} open items of this payer have this amount "
                    f"({_rows(fits)}); none was taken"))
        for pairs in proposals.values():
            if len(pairs) == 1:
                left, right = pairs[0]
                apart = abs(left.day - right.day - self.offset)  # type: ignore[operator]
                self._take(left, [right], "amount_name", 0.6 + 0.2 * (1 - apart / (window + 1)))

    # ---- 6. amount group ---------------------------------------------------------------
    def _amount_groups(self) -> None:
        free = sorted((r for r in self._free(self.R) if r.day is not None),
                      key=lambda r: (r.day, r.file, r.row))
        days = [r.day for r in free if r.day is not None]
        by_name: dict[str, list[Record]] = defaultdict(list)
        for r in free:
            if r.name_key:
                by_name[r.name_key].append(r)
        for left in self._amount_only():
            if id(left) in self.taken:
                continue
            centre = left.day - self.offset  # type: ignore[operator]
            payers = sorted(c for c in self._payer_customers(left) if c in by_name)
            if payers:
                # The payer's own open items, over a wider window, are the candidates.
                window = max(self.window, self.rules.max_learned_window_days)
                k, max_items = self.rules.group_candidates, self.rules.max_group
                cands = [
                    r for c in payers for r in by_name[c]
                    if id(r) not in self.taken and r.size < left.size + self.tol
                    and abs(r.day - centre) <= window  # type: ignore[operator]
                    and self._sign_fits(left, r)
                ]
                cands.sort(key=lambda r: (abs(r.day - centre), r.file, r.row))  # type: ignore[operator]
                cands = cands[:k]
            elif left.name_key and by_name:
                continue  # a named payer with no open items of that name: not a customer
            else:
                # An unknown payer: anyone's open items near the date can only be a
                # suggestion; fewer and smaller groups, as chance sums grow with each item.
                window = self.window
                k, max_items = min(12, self.rules.group_candidates), min(3, self.rules.max_group)
                cands = self._nearest(left, free, days, centre, window, k)
            if len(cands) < 2:
                continue
            groups = subsets_summing(
                [r.size for r in cands], left.size,
                tolerance=self.tol, max_items=max_items, limit=2,
            )
            # Items of different customers never settle one payment together.
            groups = [g for g in groups if len({cands[i].name_key for i in g}) == 1]
            if len(groups) == 1:
                group = [cands[i] for i in groups[0]]
                if not payers:
                    self._suggest(left, group, "amount_group")
                    continue
                spread = max(abs(r.day - centre) for r in group)  # type: ignore[operator]
                self._take(left, group, "amount_group", 0.7 + 0.2 * (1 - spread / (window + 1)))
            elif len(groups) > 1 and payers:
                self.issues.append(
                    Issue(kind="conflict", record=left,
                          note=f"amount_group: several sets of {len(cands)} open items of "
                          "this payer add up to this amount; none was taken")
                )

    def _nearest(
        self, left: Record, free: list[Record], days: list[int], centre: int, window: int,
        k: int,
    ) -> list[Record]:
        """Up to ``k`` free records smaller than the payment and of a fitting sign, nearest
        to ``centre`` first (walking out from it both ways, so a busy window costs O(k), not
        O(window))."""
        hi = bisect_left(days, centre)
        lo = hi - 1
        out: list[Record] = []
        while len(out) < k:
            d_lo = centre - days[lo] if lo >= 0 else window + 1
            d_hi = days[hi] - centre if hi < len(days) else window + 1
            if min(d_lo, d_hi) > window:
                break
            if d_lo <= d_hi:
                r, lo = free[lo], lo - 1
            else:
                r, hi = free[hi], hi + 1
            if r.size < left.size + self.tol and id(r) not in self.taken and (
                self._sign_fits(left, r)
            ):
                out.append(r)
        return out

    # ---- 4. partial payments and instalments -----------------------------------------
    def _named_item(self, left: Record) -> tuple[Record | None, list[Record]]:
        """The one open item a payment's references name and could pay (part of), and all
        the items they name."""
        hits = sorted(
            (r for r in self._key_hits(left)
             if self._in_ref_window(left, r) and self._sign_fits(left, r)),
            key=lambda r: (r.file, r.row),
        )
        fitting = [r for r in hits if left.size <= r.size + self.tol]
        return (fitting[0] if len(fitting) == 1 else None), hits

    def _partials(self) -> None:
        """A payment naming one open item and paying less than it is a partial payment;
        several naming the same item are its instalments. What stays open is shown. A row
        repeated exactly (same day, amount, texts) is a duplicate, not an instalment."""
        seen: set[tuple] = set()
        payments: dict[int, list[Record]] = defaultdict(list)
        items: dict[int, Record] = {}
        for left in self._free(self.L):
            if not left.keys or not left.size:
                continue
            sig = self._signature(left)
            if sig in seen:
                continue  # the bank repeated the row: flagged as a duplicate later
            seen.add(sig)
            item, _ = self._named_item(left)
            if item is None or id(item) in self.taken:
                continue
            if left.size < item.size * self.rules.partial_min_ratio:
                continue
            payments[id(item)].append(left)
            items[id(item)] = item
        for key, paid in payments.items():
            item = items[key]
            paid.sort(key=lambda r: (r.day or 0, r.file, r.row))
            kept: list[Record] = []
            total = 0
            for p in paid:  # in date order, as long as the item is not yet paid in full
                if total + p.size <= item.size + self.tol:
                    kept.append(p)
                    total += p.size
            if len(kept) == 1 and abs(total - item.size) <= self.tol:
                continue  # a full payment a reference rule left alone: not partial
            kind = MatchKind.PARTIAL if len(kept) == 1 else MatchKind.INSTALMENTS
            self._take(kept, [item], "partial", total / item.size, kind=kind)

    # ---- flags -------------------------------------------------------------------------
    def _flag(self) -> None:
        """What is left for a person: payments naming an item already paid (double
        payments), paying more than the item (overpayments), and repeated rows."""
        matched_by = {id(r): m for m in self.matches for r in m.right}
        for left in self._free(self.L):
            item, hits = self._named_item(left)
            if not hits:
                continue
            r = item or hits[0]
            if id(r) in matched_by:
                kind, note = "duplicate", "paid again: the open item is already matched"
            elif left.size > r.size + self.tol:
                kind = "overpayment"
                note = f"pays {left.size / 100:.2f} for {r.size / 100:.2f}"
            elif item is None and len(hits) > 1:
                kind = "conflict"
                note = f"names several open items ({_rows(hits)})"
            else:
                continue  # too small a part to be a partial payment: left unmatched
            self.issues.append(Issue(kind=kind, record=left, other=r, note=note))
        flagged = {id(i.record) for i in self.issues if i.kind == "duplicate"}
        for records in (self.left.records, self.right.records):
            seen: dict[tuple, Record] = {}
            for r in records:
                sig = self._signature(r)
                first = seen.setdefault(sig, r)
                if first is not r and id(r) not in self.taken and id(r) not in flagged:
                    self.issues.append(
                        Issue(kind="duplicate", record=r, other=first,
                              note=f"same as row {first.row}")
                    )


def _rows(records: Iterable[Record]) -> str:
    rows = [str(r.row) for r in records]
    return ("rows " if len(rows) > 1 else "row ") + ", ".join(rows[:6]) + (
        ", ..." if len(rows) > 6 else "")


def match(
    left: SideData, right: SideData, rules: Rules, stage: Stage | None = None,
    links: Mapping[str, str] | None = None,
) -> Result:
    return Matcher(left, right, rules, links).run(stage)
