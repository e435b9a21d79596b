"""Confidence intervals for rates and their differences, by hand (no statistics package).

- A proportion: Wilson's score interval (Wilson 1927), which stays inside 0..1 and behaves at
  small counts and at rates near 0 or 1, where the textbook "p ± 1.96·SE" does not.
- A difference of two independent proportions: Newcombe's hybrid score interval (Newcombe 1998,
  "Interval estimation for the difference between independent proportions", Statistics in
  Medicine 17:873-890, method 10), built from the two Wilson intervals.

Checked against the paper's worked examples in tests/unit/test_evaluation_intervals.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The two-sided 95 % normal quantile.
Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float
    low: float
    high: float

    def spans_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def wilson(successes: int, total: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of successes/total; None when there is nothing to estimate."""
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    p = successes / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = (z / (1 + z2 / total)) * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    # Exact bounds at the edges (rounding would otherwise leave -1e-17 or 1.0000000000000002).
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == total else min(1.0, centre + half)
    return Interval(p, low, high)


def newcombe(
    successes_1: int, total_1: int, successes_2: int, total_2: int, z: float = Z95
) -> Interval | None:
    """Newcombe's hybrid score interval of p1 - p2; None when either group is empty."""
    first = wilson(successes_1, total_1, z)
    second = wilson(successes_2, total_2, z)
    if first is None or second is None:
        return None
    p1, l1, u1 = first.estimate, first.low, first.high
    p2, l2, u2 = second.estimate, second.low, second.high
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Interval(difference, max(-1.0, low), min(1.0, high))
