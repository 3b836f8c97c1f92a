"""Deterministic matching of two sides, surest rule first.

    1. exact_reference     a reference key on both sides, amount within tolerance
    2. reference_group     keys in one payment name 2..k open items that add up to it
    3. fuzzy_reference     amount within tolerance, references alike (typos, a reference
                           inside a message), scored by rapidfuzz
    4. amount_date         amount within tolerance, date within the window around the
                           typical delay learnt from rules 1-3
       amount_name         a late payment: same amount, same payer, up to name_window_days,
                           when one open item and one payment fit each other only
    5. amount_group        one payment = 2..k open items of one payer (subset sum)

Once the reference matches show how the two sides sign a payment (same or opposite), rules
2-5 only pair rows signed that way, so money paid out never settles a customer invoice.

then flags, never forced into a match: partial payments, over/double payments, duplicate
rows, and ambiguous picks. Every lookup goes through a hash of keys or a sorted array of
amounts or dates, so the work stays near O(n log n). Ties are broken by date distance and
then row number, so the same input always gives the same answer.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from operator import attrgetter

from rapidfuzz import fuzz

from robots.reconcile.groups import subsets_summing
from robots.reconcile.keys import normalise
from robots.reconcile.model import Issue, Match, Record, Result, SideData
from robots.reconcile.names import names_from_text, payer_name
from robots.reconcile.rules import Rules

Stage = Callable[[str], None]
STOP_KEY_HITS = 50  # a key on more open items than this (a customer number) identifies none
MAX_FUZZY_CANDIDATES = 200
FUZZY_SUPPORTED_SLACK = 10  # fuzzy threshold minus this when name and date agree
SAME_NAME = 90  # rapidfuzz token_set_ratio of two name keys that name the same payer
MIN_LEARNED = 20  # reference matches needed before the usual delay or signs are trusted


class Matcher:
    def __init__(self, left: SideData, right: SideData, rules: Rules) -> None:
        self.rules = rules
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

    # ---- driver -----------------------------------------------------------------------
    def run(self, stage: Stage | None = None) -> Result:
        steps = (
            ("exact references", self._exact_reference),
            ("reference groups", self._reference_groups),
            ("fuzzy references", self._fuzzy_reference),
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
            step()
        self.matches.sort(key=lambda m: (m.left[0].file, m.left[0].row))
        return Result(
            left=self.left,
            right=self.right,
            matches=self.matches,
            issues=self.left.issues + self.right.issues + self.issues,
            date_offset=self.offset,
            date_window=self.window,
        )

    # ---- helpers ----------------------------------------------------------------------
    def _free(self, records: Iterable[Record]) -> list[Record]:
        taken = self.taken
        return [r for r in records if id(r) not in taken]

    def _take(self, left: Record, rights: Iterable[Record], rule: str, score: float) -> None:
        rights = tuple(rights)
        if len(rights) > 1:
            rights = tuple(sorted(rights, key=lambda r: (r.file, r.row)))
        taken = self.taken
        taken.add(id(left))
        for r in rights:
            taken.add(id(r))
        self.matches.append(Match(left=(left,), right=rights, rule=rule, score=round(score, 3)))

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
                Issue(kind="ambiguous", record=left, other=best,
                      note=f"{rule}: {len(scored)} candidates scored {best_score:.2f}; "
                      f"also right row {scored[1][1].row}")
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
        for left in self._free(self.L):
            if not (left.keys or left.text or left.ref):
                continue
            cands = [
                r for r in self._free(self._same_size(left.size))
                if r.keys and self._in_ref_window(left, r) and self._sign_fits(left, r)
            ]
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
                    and self._name_similarity(left, r) >= SAME_NAME
                    and (self._days_apart(left, r) or 0) <= self.window
                ):
                    scored.append((best / 100.0, r))
            if scored:
                self._pick(left, scored, "fuzzy_reference")

    # ---- learning the signs and the usual delay ------------------------------------------
    def _learn_sign(self) -> None:
        same = opposite = 0
        for m in self.matches:
            left, right = m.left[0].cents, m.right[0].cents
            if left and right:
                if (left > 0) == (right > 0):
                    same += 1
                else:
                    opposite += 1
        total = same + opposite
        if total >= MIN_LEARNED and max(same, opposite) >= 0.9 * total:
            self.sign = 1 if same > opposite else -1


    def _learn_offset(self) -> None:
        if not self.rules.learn_date_offset:
            return
        deltas = [
            m.left[0].day - m.right[0].day
            for m in self.matches
            if len(m.right) == 1 and m.left[0].day is not None and m.right[0].day is not None
        ]
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
            for r in self._free(self._same_size(left.size)):
                apart = self._days_apart(left, r)
                if apart is None or apart > self.window or not self._sign_fits(left, r):
                    continue
                score = 0.6 + 0.3 * (1 - apart / (self.window + 1))
                score += self._name_bonus(left, r)
                scored.append((score, r))
            if scored:
                self._pick(left, scored, "amount_date")

    def _name_bonus(self, left: Record, right: Record) -> float:
        if not (left.name_key and right.name_key):
            return 0.0
        sim = fuzz.token_set_ratio(left.name_key, right.name_key)
        return 0.1 if sim >= 85 else (-0.2 if sim < 40 else 0.0)

    @staticmethod
    def _name_similarity(left: Record, right: Record) -> float:
        if not (left.name_key and right.name_key):
            return 0.0
        return fuzz.token_set_ratio(left.name_key, right.name_key)

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
                and self._sign_fits(left, r) and self._name_similarity(left, r) >= SAME_NAME
            ]
            if len(fits) == 1:
                proposals[id(fits[0])].append((left, fits[0]))
            elif len(fits) > 1:
                self.issues.append(Issue(
                    kind="ambiguous", record=left, other=fits[0],
                    note=f"amount_name: {len(fits)} open items of this payer have this amount; "
                    "none was taken"))
        for pairs in proposals.values():
            if len(pairs) == 1:
                left, right = pairs[0]
                apart = abs(left.day - right.day - self.offset)  # type: ignore[operator]
                self._take(left, [right], "amount_name", 0.6 + 0.2 * (1 - apart / (window + 1)))

    # ---- 5. amount group ---------------------------------------------------------------
    def _amount_groups(self) -> None:
        free = sorted((r for r in self._free(self.R) if r.day is not None),
                      key=lambda r: (r.day, r.file, r.row))
        days = [r.day for r in free if r.day is not None]
        by_name: dict[str, list[Record]] = defaultdict(list)
        for r in free:
            if r.name_key:
                by_name[r.name_key].append(r)
        names = sorted(by_name)
        for left in self._amount_only():
            if id(left) in self.taken:
                continue
            centre = left.day - self.offset  # type: ignore[operator]
            payer = payer_name(left.name_key, by_name, names)
            if payer:
                # The same payer: their open items over a wider window are candidates.
                pool = by_name[payer]
                window = max(self.window, self.rules.max_learned_window_days)
                k, max_items = self.rules.group_candidates, self.rules.max_group
                cands = [
                    r for r in pool
                    if id(r) not in self.taken and r.size < left.size + self.tol
                    and abs(r.day - centre) <= window  # type: ignore[operator]
                    and self._sign_fits(left, r)
                ]
                cands.sort(key=lambda r: (abs(r.day - centre), r.file, r.row))  # type: ignore[operator]
                cands = cands[:k]
            elif left.name_key and by_name:
                continue  # a named payer with no open items of that name: not a customer
            else:
                # Anyone's open items near the date: fewer and smaller groups, as chance
                # sums grow with every candidate.
                window = self.window
                k, max_items = min(12, self.rules.group_candidates), min(3, self.rules.max_group)
                cands = self._nearest(left, free, days, centre, window, k)
            if len(cands) < 2:
                continue
            groups = subsets_summing(
                [r.size for r in cands], left.size,
                tolerance=self.tol, max_items=max_items, limit=2,
            )
            if by_name and not left.name_key:
                # Items of different customers never settle one payment together.
                groups = [g for g in groups if len({cands[i].name_key for i in g}) == 1]
            if len(groups) == 1:
                group = [cands[i] for i in groups[0]]
                spread = max(abs(r.day - centre) for r in group)  # type: ignore[operator]
                self._take(left, group, "amount_group", 0.7 + 0.2 * (1 - spread / (window + 1)))
            elif len(groups) > 1:
                self.issues.append(
                    Issue(kind="ambiguous", record=left,
                          note=f"amount_group: several sets of {len(cands)} open items add up "
                          "to this amount; none was taken")
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

    # ---- flags -------------------------------------------------------------------------
    def _flag(self) -> None:
        matched_by = {id(r): m for m in self.matches for r in m.right}
        for left in self._free(self.L):
            for r in sorted(self._key_hits(left), key=lambda r: (r.file, r.row))[:1]:
                if abs(r.size - left.size) <= self.tol and id(r) in matched_by:
                    kind, note = "duplicate", "paid again: the open item is already matched"
                elif left.size < r.size:
                    if left.size < r.size * self.rules.partial_min_ratio:
                        continue
                    kind = "partial_payment"
                    note = f"pays {left.size / 100:.2f} of {r.size / 100:.2f}"
                else:
                    kind = "amount_mismatch"
                    note = f"pays {left.size / 100:.2f} for {r.size / 100:.2f}"
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


def match(left: SideData, right: SideData, rules: Rules, stage: Stage | None = None) -> Result:
    return Matcher(left, right, rules).run(stage)
