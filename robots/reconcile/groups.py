"""Bounded subset sums: which 2..k open items add up to one payment.

Sizes 2 and 3 look the remainder up in a hash of amounts, size 4 meets two pair-sums in
the middle, so a search over ``n`` candidates costs O(n^2), never O(n^k).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

MAX_TOLERANCE_STEPS = 100  # a wider tolerance is searched at its ends only


def subsets_summing(
    sizes: Sequence[int], target: int, *, tolerance: int, max_items: int, limit: int = 8
) -> list[tuple[int, ...]]:
    """Index tuples (ascending) of 2..``max_items`` sizes whose sum is within ``tolerance``
    of ``target``; at most ``limit`` of them, smallest groups first."""
    if tolerance <= MAX_TOLERANCE_STEPS:
        offsets = list(range(-tolerance, tolerance + 1))
    else:
        offsets = [-tolerance, 0, tolerance]
    by_size: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sizes):
        by_size[s].append(i)
    found: dict[tuple[int, ...], None] = {}

    def want(rest: int, after: int, exclude: tuple[int, ...]) -> list[int]:
        hits = []
        for off in offsets:
            for j in by_size.get(rest + off, ()):
                if j > after and j not in exclude:
                    hits.append(j)
        return hits

    n = len(sizes)
    for i in range(n):
        for j in want(target - sizes[i], i, (i,)):
            found[(i, j)] = None
    if max_items >= 3 and len(found) < limit:
        for i, j in combinations(range(n), 2):
            for k in want(target - sizes[i] - sizes[j], j, (i, j)):
                found[(i, j, k)] = None
            if len(found) >= limit:
                break
    if max_items >= 4 and len(found) < limit:
        pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i, j in combinations(range(n), 2):
            pairs[sizes[i] + sizes[j]].append((i, j))
        for (i, j) in combinations(range(n), 2):
            for off in offsets:
                for k, m in pairs.get(target - sizes[i] - sizes[j] + off, ()):
                    if k > j:  # each group once: its two lowest indices are (i, j)
                        found[(i, j, k, m)] = None
            if len(found) >= limit:
                break
    return list(found)[:limit]
