"""The FlowChronicle search: grow a pattern set greedily while the MDL code shrinks.

Each round rebuilds the candidate families, ranks them by a static score and tests the
best untested ones until one lowers the total code length (constant cells promoted to
Fixed first) or ``max_failures`` in a row fail; accepted patterns trigger a pruning pass
(Krimp-style: a pattern leaves when the total shrinks without it). Chunked mining and
the generative model are built elsewhere (``chunks``, ``model``).
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import numpy as np
from tqdm.auto import tqdm

from workbench.flowchronicle import candidates as fam
from workbench.flowchronicle.bn import Structure, learn_structure
from workbench.flowchronicle.cover import Cover, disjoint_count, greedy_cover
from workbench.flowchronicle.mdl import CodeLength, code_length, pattern_data
from workbench.flowchronicle.patterns import FIXED, SET, USE, Pattern, make_pattern
from workbench.flowchronicle.prepare import PreparedFlows
from workbench.flowchronicle.windows import FlowIndex, find_windows

__all__ = ["FAMILIES", "SearchSettings", "MiningResult", "mine_patterns"]

logger = logging.getLogger(__name__)

#: Candidate families, in the reference's numbering 1-5.
FAMILIES = ("pairs", "extend", "placeholders", "merge", "concat")


@dataclass(frozen=True)
class SearchSettings:
    """Knobs of the search; the defaults follow the reference where it is sound.

    Attributes
    ----------
    max_iterations : int or None
        Cap on search rounds (each accepts at most one pattern); None runs to the end.
    max_failures : int
        Rejected candidates in a row that end a round (reference: 20).
    families : tuple of str
        Candidate families to use, from :data:`FAMILIES`.
    min_support : int
        Fewest co-occurrences for a proposed Fixed value.
    retest_rejected : bool
        Forget rejected candidates after each acceptance (reference: never re-test).
    progress : bool
        Show a progress bar.
    """

    max_iterations: int | None = None
    max_failures: int = 20
    families: tuple[str, ...] = FAMILIES
    min_support: int = 2
    retest_rejected: bool = False
    progress: bool = True


@dataclass(frozen=True)
class MiningResult:
    """A mined pattern set with its cover and code lengths.

    Attributes
    ----------
    prepared : PreparedFlows
        The coded records that were mined.
    patterns, structures : tuple
        Patterns and the BN structure learned for each.
    base : Structure
        Structure of the empty pattern's network over all columns.
    cover : Cover
        Final cover of the records.
    code_length, initial_code_length : CodeLength
        Code lengths at the end and with no pattern.
    history : tuple of dict
        One entry per accepted pattern: round, pattern rows and total bits.
    settings : dict
        The settings used.
    """

    prepared: PreparedFlows
    patterns: tuple[Pattern, ...]
    structures: tuple[Structure, ...]
    base: Structure
    cover: Cover
    code_length: CodeLength
    initial_code_length: CodeLength
    history: tuple[dict, ...] = ()
    settings: dict = field(default_factory=dict)


def mine_patterns(
    prepared: PreparedFlows, settings: SearchSettings | None = None
) -> MiningResult:
    """Mine a FlowChronicle pattern set from coded records.

    Parameters
    ----------
    prepared : PreparedFlows
        Output of :func:`~workbench.flowchronicle.prepare.prepare_flows`.
    settings : SearchSettings, optional
        Search knobs; the defaults run the full search.

    Returns
    -------
    MiningResult

    Notes
    -----
    The score is the reference's (section 6 of the spec): nothing encodes which records
    a window uses or which pattern a window belongs to beyond its usage count, and the
    count codes keep the reference's ``log m`` and ``log delta`` terms. Acceptance
    compares full totals L(M) + L(D|M); pruning is the Krimp rule (re-cover without the
    pattern, remove it when the total shrinks), not the reference's inverted test, so
    mined sets are not those of the published models. Candidate scores are static (the
    reference's), so late rounds mostly test candidates that overlap accepted patterns;
    ``max_iterations`` and ``families`` trade completeness for time. The whole search
    on the 8,130 sessions of the bundled CIDDS-001 sample takes about 45-65 s on two
    shared cores (74 rounds, 42 patterns, 410,047 -> 343,453 bits).

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.flowchronicle.prepare import prepare_flows
    >>> table = pd.DataFrame({"ts": np.arange(40.0), "id.orig_h": ["a", "b"] * 20,
    ...     "id.resp_h": ["c"] * 40, "id.resp_p": [53, 80] * 20,
    ...     "proto": ["udp", "tcp"] * 20})
    >>> result = mine_patterns(prepare_flows(table), SearchSettings(progress=False))
    >>> len(result.patterns) >= 1
    True
    >>> result.code_length.total < result.initial_code_length.total
    True
    """
    settings = settings or SearchSettings()
    unknown = set(settings.families) - set(FAMILIES)
    if unknown:
        raise ValueError(
            f"unknown candidate families {sorted(unknown)}; use {FAMILIES}"
        )
    return _Search(prepared, settings).run()


class _Search:
    def __init__(self, prepared: PreparedFlows, settings: SearchSettings) -> None:
        self.prepared, self.settings = prepared, settings
        self.codes, self.times = prepared.codes, prepared.times
        self.index = FlowIndex(self.codes)
        self._bits: dict = {}
        self.sizes = prepared.domain_sizes.tolist()
        self.m = self.codes.shape[1]
        self.ips = list(prepared.ip_columns)
        self.others = [c for c in range(self.m) if c not in self.ips]
        self.base = learn_structure(self.codes)
        self.patterns: list[Pattern] = []
        self.structures: list[Structure] = []
        self._windows: dict[Pattern, np.ndarray] = {}
        self._scores: dict[Pattern, int] = {}
        self._derived: dict[Pattern, list[Pattern]] = {}
        self._pairs: dict[Pattern, int] | None = None
        self.cover, self.length = self._evaluate([], [])
        self.initial = self.length
        self.history: list[dict] = []

    # -- windows, covers, lengths -------------------------------------------------

    def windows(self, pattern: Pattern) -> np.ndarray:
        if pattern not in self._windows:
            self._windows[pattern] = find_windows(pattern, self.index)
        return self._windows[pattern]

    def _evaluate(
        self, patterns: list[Pattern], structures: list[Structure]
    ) -> tuple[Cover, CodeLength]:
        cover = greedy_cover(
            patterns, [self.windows(p) for p in patterns], len(self.codes)
        )
        length = code_length(
            patterns,
            structures,
            self.base,
            cover,
            self.codes,
            self.times,
            self.sizes,
            self._bits,
        )
        return cover, length

    def _forget_windows(self) -> None:
        # Keep the windows of the pattern set only: candidates' windows are large.
        keep = set(self.patterns)
        self._windows = {p: w for p, w in self._windows.items() if p in keep}
        self._bits = {k: b for k, b in self._bits.items() if k[0] in keep}

    # -- the loop -----------------------------------------------------------------

    def run(self) -> MiningResult:
        mode, changed, tested = 0, True, set()
        limit = self.settings.max_iterations
        bar = tqdm(
            total=limit, desc="mining", unit="round", disable=not self.settings.progress
        )
        rounds = 0
        while (changed or mode == 0) and (limit is None or rounds < limit):
            if not changed:
                mode = 1
            changed = self._round(mode, tested, rounds)
            if changed and self.settings.retest_rejected:
                tested = set()
            rounds += 1
            bar.update(1)
            bar.set_postfix(
                patterns=len(self.patterns), bits=f"{self.length.total:.0f}"
            )
        bar.close()
        logger.info(
            "mined %d patterns in %d rounds: %.0f -> %.0f bits",
            len(self.patterns),
            rounds,
            self.initial.total,
            self.length.total,
        )
        return MiningResult(
            self.prepared,
            tuple(self.patterns),
            tuple(self.structures),
            self.base,
            self.cover,
            self.length,
            self.initial,
            tuple(self.history),
            asdict(self.settings),
        )

    def _round(self, mode: int, tested: set[Pattern], round_no: int) -> bool:
        current = set(self.patterns)
        fails = 0
        for candidate in self._ranked_candidates(mode):
            if fails >= self.settings.max_failures:
                break
            if candidate in tested or candidate in current:
                continue
            tested.add(candidate)
            if self._test_add(candidate, round_no):
                self._forget_windows()
                return True
            fails += 1
        self._forget_windows()
        return False

    def _ranked_candidates(self, mode: int) -> Iterator[Pattern]:
        """Candidates by static score, best first (ties: canonical order), lazily."""
        scores = dict(self._pair_scores()) if "pairs" in self.settings.families else {}
        for candidate in self._generated(mode):
            if candidate not in self._scores:
                self._scores[candidate] = self._static_score(candidate)
            scores[candidate] = self._scores[candidate]
        heap = [(-s, p.rows, p) for p, s in scores.items() if s > 0]
        heapq.heapify(heap)
        while heap:
            yield heapq.heappop(heap)[2]

    def _static_score(self, candidate: Pattern) -> int:
        if candidate.n_rows == 1:
            # One-row windows never overlap: every matching record is picked.
            fixed = [(c.column, c.value) for c in candidate.rows[0] if c.kind == FIXED]
            picked = self.index.matching(fixed).size
        else:
            windows = find_windows(candidate, self.index)
            picked = disjoint_count(windows, candidate.covered_cells)
        return picked * candidate.covered_cells

    def _pair_scores(self) -> dict[Pattern, int]:
        if self._pairs is None:
            self._pairs = fam.pair_candidates(
                self.codes, self.others, self.settings.min_support
            )
        return self._pairs

    def _generated(self, mode: int) -> list[Pattern]:
        families = self.settings.families
        out: list[Pattern] = []
        for p in self.patterns:
            if p not in self._derived:
                derived = []
                if "extend" in families:
                    derived += fam.extension_candidates(
                        p,
                        self.windows(p),
                        self.codes,
                        self.others,
                        self.settings.min_support,
                    )
                if "placeholders" in families:
                    derived += fam.placeholder_candidates(p, self.ips)
                self._derived[p] = derived
            out += self._derived[p]
        if "merge" in families:
            out += fam.merge_candidates(self.patterns)
        if mode == 1 and "concat" in families:
            out += fam.concat_candidates(self.patterns, self.ips)
        return out

    # -- testing and pruning --------------------------------------------------------

    def _test_add(self, candidate: Pattern, round_no: int) -> bool:
        for _ in range(candidate.n_rows * self.m + 1):
            patterns = [*self.patterns, candidate]
            cover = greedy_cover(
                patterns, [self.windows(p) for p in patterns], len(self.codes)
            )
            windows = cover.windows[-1]
            if windows.shape[0] == 0:
                return False
            x = pattern_data(candidate, windows, self.codes)
            promoted = _promote_constants(candidate, x, self.m)
            if promoted is None:
                break
            if promoted in self.patterns:
                return False
            candidate = promoted
        structures = [*self.structures, learn_structure(x)]
        length = code_length(
            patterns,
            structures,
            self.base,
            cover,
            self.codes,
            self.times,
            self.sizes,
            self._bits,
        )
        if length.total >= self.length.total:
            return False
        before = self.cover.usage
        self.patterns, self.structures = patterns, structures
        self.cover, self.length = cover, length
        self.history.append(
            {"round": round_no, "pattern": candidate.rows, "bits": length.total}
        )
        logger.debug("accepted %s: %.1f bits", candidate.rows, length.total)
        self._prune(before)
        return True

    def _prune(self, before: np.ndarray) -> None:
        drops = before - self.cover.usage[: before.size]
        queue = [
            self.patterns[i] for i in np.argsort(-drops, kind="stable") if drops[i] > 0
        ]
        for victim in queue:
            if victim not in self.patterns:
                continue
            keep = [i for i, p in enumerate(self.patterns) if p != victim]
            patterns = [self.patterns[i] for i in keep]
            structures = [self.structures[i] for i in keep]
            cover, length = self._evaluate(patterns, structures)
            if length.total < self.length.total:
                logger.debug("pruned %s", victim.rows)
                self.patterns, self.structures = patterns, structures
                self.cover, self.length = cover, length


def _promote_constants(pattern: Pattern, x: np.ndarray, m: int) -> Pattern | None:
    """Pattern with every constant BN variable made Fixed, or None when none is."""
    variables = pattern.bn_variables(m)
    constant = [v for v in range(x.shape[1]) if np.all(x[:, v] == x[0, v])]
    if not constant:
        return None
    rows = [
        {c.column: (c.column, c.kind, c.value) for c in row} for row in pattern.rows
    ]
    for v in constant:
        j, col = variables[v]
        value = int(x[0, v])
        cell = rows[j].get(col)
        rows[j][col] = (col, FIXED, value)
        if cell is not None and cell[1] == SET:
            # The reused copies of a constant placeholder are that constant too.
            for row in rows:
                for c, other in list(row.items()):
                    if other[1] == USE and other[2] == cell[2]:
                        row[c] = (c, FIXED, value)
    return make_pattern([list(r.values()) for r in rows])
