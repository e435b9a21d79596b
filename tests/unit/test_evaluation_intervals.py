"""Wilson and Newcombe intervals against the published worked values.

Newcombe R.G. (1998a) "Two-sided confidence intervals for the single proportion: comparison of
seven methods", Statistics in Medicine 17:857-872, table I, method 3 (Wilson, no continuity
correction); Newcombe R.G. (1998b) "Interval estimation for the difference between independent
proportions: comparison of eleven methods", Statistics in Medicine 17:873-890, table II,
method 10 (hybrid score, no continuity correction).
"""

from __future__ import annotations

import pytest

from perp_track.evaluations.intervals import newcombe, wilson


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998a(successes, total, low, high):
    interval = wilson(successes, total)
    assert interval is not None
    assert interval.estimate == pytest.approx(successes / total)
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(
    ("a", "m", "b", "n", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_newcombe_hybrid_score_matches_newcombe_1998b(a, m, b, n, low, high):
    interval = newcombe(a, m, b, n)
    assert interval is not None
    assert interval.estimate == pytest.approx(a / m - b / n)
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


def test_nothing_to_estimate_without_a_denominator():
    assert wilson(0, 0) is None
    assert newcombe(3, 10, 0, 0) is None
    with pytest.raises(ValueError, match="between"):
        wilson(11, 10)


def test_the_interval_of_a_difference_is_antisymmetric():
    forward = newcombe(56, 70, 48, 80)
    backward = newcombe(48, 80, 56, 70)
    assert forward is not None and backward is not None
    assert backward.low == pytest.approx(-forward.high)
    assert backward.high == pytest.approx(-forward.low)
