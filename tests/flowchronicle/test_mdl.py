"""Tests for the MDL code lengths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.flowchronicle.bn import Structure
from workbench.flowchronicle.cover import greedy_cover
from workbench.flowchronicle.mdl import (
    code_length,
    log_binomial,
    row_bits,
    structure_bits,
    universal_bits,
)
from workbench.flowchronicle.patterns import make_pattern
from workbench.flowchronicle.windows import find_windows


def test_universal_bits_reference_values():
    """L_N follows log c0 + log x + log log x + ... with c0 = 2.865064."""
    c0 = math.log2(2.865064)

    values = [universal_bits(x) for x in (1, 2, 16, 65536)]

    assert values[0] == pytest.approx(c0)
    assert values[1] == pytest.approx(c0 + 1)
    assert values[2] == pytest.approx(c0 + 4 + 2 + 1)
    assert values[3] == pytest.approx(c0 + 16 + 4 + 2 + 1)
    assert np.allclose(universal_bits(np.array([1, 2, 16])), values[:3])


def test_log_binomial_matches_math_comb():
    """lc(a, b) is log2 of the binomial coefficient."""
    pairs = [(10, 3), (50, 25), (7, 0)]

    got = [log_binomial(a, b) for a, b in pairs]

    assert got == pytest.approx([math.log2(math.comb(a, b)) for a, b in pairs])


def test_row_bits_second_row_with_use():
    """A row reusing a placeholder pays for the Use position and its id."""
    p = make_pattern([[(0, "S", 0), (2, "F", 1)], [(1, "U", 0), (3, "F", 0)]])
    sizes = [5, 5, 4, 8]
    m = 4

    bits = row_bits(p, 1, sizes)

    f, u, s = 1, 1, 0
    expected = math.log2(m) + log_binomial(m, f) + math.log2(8)
    expected += math.log2(m - f - s) + log_binomial(m - f, u) + u * math.log2(1)
    expected += math.log2(m - f - u) + log_binomial(m - f - u, s)
    assert bits == pytest.approx(expected)


def test_structure_bits_counts_parent_sets():
    """Each learned node pays log(delta) plus the choice of its parent set."""
    structure = Structure(parents=((), (0,), (0, 1)), nodes=(0, 1, 2))

    bits = structure_bits(structure)

    assert bits == pytest.approx(3 * math.log2(3) + math.log2(2) + math.log2(1))


def test_code_length_a_real_pattern_compresses():
    """Covering a frequent pair with a pattern shortens the data code."""
    rng = np.random.default_rng(4)
    codes = rng.integers(0, 6, size=(400, 3))
    codes[:200, 0], codes[:200, 1] = 5, 5
    times = np.arange(400) * 100
    sizes = [6, 6, 6]
    base = Structure(parents=((), (), ()), nodes=(0, 1, 2))
    pattern = make_pattern([[(0, "F", 5), (1, "F", 5)]])
    empty = greedy_cover([], [], 400)
    cover = greedy_cover([pattern], [find_windows(pattern, codes)], 400)

    without = code_length([], [], base, empty, codes, times, sizes)
    with_pattern = code_length(
        [pattern], [Structure(((),), (0,))], base, cover, codes, times, sizes
    )

    assert with_pattern.model > without.model
    assert with_pattern.total < without.total
