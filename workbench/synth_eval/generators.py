"""One fit/sample interface for every flow generator, and the names they go by.

A generator is fitted on a canonical flow table and samples canonical session tables;
:class:`FlowChronicleGenerator` is a thin adapter over ``workbench.flowchronicle``, the
Bayesian-network and deep baselines live in their own modules. This module neither
scores nor writes anything.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pandas as pd

from workbench.errors import NotFittedError, WorkbenchError

__all__ = [
    "Generator",
    "FlowChronicleGenerator",
    "GENERATOR_NAMES",
    "make_generator",
]


@runtime_checkable
class Generator(Protocol):
    """What the evaluation needs from a generator.

    ``fit`` takes a canonical flow table (raw NetFlow records are joined into
    sessions first) and returns the generator; ``sample`` returns ``n_flows`` session
    records on the training calendar (default: about as many as in training).
    """

    name: str

    def fit(self, flows: pd.DataFrame) -> Generator:
        """Learn from a canonical flow table."""

    def sample(self, n_flows: int | None = None, *, seed: int = 0) -> pd.DataFrame:
        """Draw synthetic session records."""


class FlowChronicleGenerator:
    """FlowChronicle behind the common interface (mine, build, sample).

    Parameters
    ----------
    max_iterations : int, optional
        Cap on search rounds (None: the full search).
    n_chunks : int, default 1
        Contiguous time slices mined apart and merged.
    keep_single_flows : bool, default True
        Passed to the session builder.
    bandwidth : float, default 1.0
        Time-model jitter in ticks (1/100 s).
    progress : bool, default False
        Show the search's progress bar.

    Attributes
    ----------
    model_ : workbench.flowchronicle.FlowModel
        The generative model.
    result_ : workbench.flowchronicle.MiningResult
        Patterns, cover and code lengths.

    Examples
    --------
    >>> import numpy as np
    >>> table = pd.DataFrame({"ts": np.arange(40.0), "id.orig_h": ["a", "b"] * 20,
    ...     "id.resp_h": ["c"] * 40, "id.resp_p": [53, 80] * 20,
    ...     "proto": ["udp", "tcp"] * 20})
    >>> flows = FlowChronicleGenerator().fit(table).sample(8, seed=0)
    >>> len(flows), sorted(flows["id.resp_p"].unique().tolist())
    (8, [53, 80])
    """

    name = "FlowChronicle"

    def __init__(
        self,
        *,
        max_iterations: int | None = None,
        n_chunks: int = 1,
        keep_single_flows: bool = True,
        bandwidth: float = 1.0,
        progress: bool = False,
    ) -> None:
        self.max_iterations = max_iterations
        self.n_chunks = n_chunks
        self.keep_single_flows = keep_single_flows
        self.bandwidth = bandwidth
        self.progress = progress

    def fit(self, flows: pd.DataFrame) -> FlowChronicleGenerator:
        """Prepare, mine and build the generative model."""
        from workbench.flowchronicle import SearchSettings
        from workbench.flowchronicle.train import train_model

        settings = SearchSettings(
            max_iterations=self.max_iterations, progress=self.progress
        )
        self.model_, self.result_ = train_model(
            flows,
            settings=settings,
            keep_single_flows=self.keep_single_flows,
            n_chunks=self.n_chunks,
            bandwidth=self.bandwidth,
        )
        self.n_train_ = self.result_.prepared.n
        return self

    def sample(self, n_flows: int | None = None, *, seed: int = 0) -> pd.DataFrame:
        """Draw flows from the model; default about as many as in training."""
        from workbench.flowchronicle import sample_flows

        if not hasattr(self, "model_"):
            raise NotFittedError(f"call {self.name}.fit(flows) before sample().")
        n_flows = self.n_train_ if n_flows is None else int(n_flows)
        return sample_flows(self.model_, n_flows, seed=seed)


def _bn(window: int):
    from workbench.synth_eval.bn_baselines import IndependentBN, SequenceBN

    return IndependentBN if window == 1 else SequenceBN


def _deep(kind: str):
    from workbench.synth_eval.deep_baselines import CTGANGenerator, TVAEGenerator

    return CTGANGenerator if kind == "ctgan" else TVAEGenerator


#: Command-line names of the generators, in table order.
GENERATOR_NAMES = ("flowchronicle", "independent-bn", "sequence-bn", "ctgan", "tvae")


def make_generator(name: str, **options) -> Generator:
    """A new generator from its command-line name and keyword options.

    Examples
    --------
    >>> make_generator("sequence-bn", window=3).window
    3
    """
    factories = {
        "flowchronicle": lambda: FlowChronicleGenerator,
        "independent-bn": lambda: _bn(1),
        "sequence-bn": lambda: _bn(5),
        "ctgan": lambda: _deep("ctgan"),
        "tvae": lambda: _deep("tvae"),
    }
    if name not in factories:
        message = (
            f"unknown generator {name!r}; use one of {', '.join(GENERATOR_NAMES)}."
        )
        raise WorkbenchError(message)
    return factories[name]()(**options)
