"""Read and write FlowChronicle models as JSON, in a layout compatible with Fos-R.

The empty pattern comes last, ``partial_flows`` list only Fixed and Reuse cells, each
network lists its nodes in topological order with tables indexed into the node's domain
list, and ``time_model`` is our extension (Fos-R ignores it). Readers accept every
spelling of the Reuse tags seen in Fos-R; writers use ours unless ``fosr=True``.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from itertools import product
from pathlib import Path

import numpy as np

from workbench.errors import ModelFileError
from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    Node,
    ReuseCell,
    TimeModel,
    model_problems,
)
from workbench.flowchronicle.prepare import FEATURES, Feature

__all__ = [
    "FORMAT_VERSION",
    "save_model",
    "load_model",
    "model_to_dict",
    "model_from_dict",
]

FORMAT_VERSION = 1
_SIDE = {"SrcIP": "Src", "DstIP": "Dst"}
_IP = {"Src": "SrcIP", "Dst": "DstIP", "Drc": "DstIP"}
#: Fos-R's reader spells the Dst-source tags with "Drc".
_FOSR_SIDE = {"SrcIP": "Src", "DstIP": "Drc"}


def save_model(model: FlowModel, path: str | Path, *, fosr: bool = False) -> Path:
    """Write ``model`` as JSON to ``path``; return the path.

    Parameters
    ----------
    model : FlowModel
    path : str or Path
    fosr : bool, default False
        Spell Reuse tags as Fos-R's reader expects (``ReuseDrcAsSrc``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model_to_dict(model, fosr=fosr), allow_nan=False))
    return path


def load_model(path: str | Path) -> FlowModel:
    """Read a model written by :func:`save_model` (or by Fos-R's exporter).

    Raises
    ------
    ModelFileError
        If the file is not JSON or does not describe a usable model.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        message = f"{path}: not a JSON file ({exc}); pass a model written by 'mine'."
        raise ModelFileError(message) from exc
    return model_from_dict(data, source=str(path))


def model_to_dict(model: FlowModel, *, fosr: bool = False) -> dict:
    """The JSON object of ``model``.

    Examples
    --------
    >>> from workbench.flowchronicle.model import FlowModel, GenerativePattern
    >>> from workbench.flowchronicle.model import Node, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.75, 0.25]]))
    >>> empty = GenerativePattern(((),), (node,), TimeModel(np.array([0.0]), ()))
    >>> model = FlowModel((Feature("Proto", "proto", "categorical"),), (empty,),
    ...                   (1,), (0, 10), 0.0)
    >>> model_to_dict(model)["patterns"][0]["bayesian_network"][0]["cpt"]
    {'parents_values': [[]], 'probas': [[0.75, 0.25]]}
    """
    kinds = {f.name: f.kind for f in model.features}
    metadata = dict(model.metadata)
    metadata.setdefault("input_file", "")
    metadata.setdefault("creation_time", "")
    metadata.update(
        format_version=FORMAT_VERSION,
        time_unit="cs",
        t_range=list(model.t_range),
        time_origin_epoch=model.time_origin,
        feature_order=[f.name for f in model.features],
        feature_columns={f.name: f.column for f in model.features},
    )
    patterns = [_pattern_to_dict(p, kinds, fosr) for p in model.patterns]
    return {
        "metadata": _plain(metadata),
        "pattern_weights": [int(w) for w in model.weights],
        "patterns": patterns,
    }


def _pattern_to_dict(pattern: GenerativePattern, kinds: dict, fosr: bool) -> dict:
    sides = _FOSR_SIDE if fosr else _SIDE
    rows = [[_cell_to_dict(c, kinds, sides) for c in row] for row in pattern.rows]
    nodes = [_node_to_dict(n, pattern, kinds) for n in pattern.nodes]
    tm = pattern.time_model
    return {
        "partial_flows": rows,
        "bayesian_network": nodes,
        "time_model": {
            "kernel": "gaussian",
            "bandwidth": float(tm.bandwidth),
            "start_times": tm.start_times.tolist(),
            "gaps": [g.tolist() for g in tm.gaps],
        },
    }


def _cell_to_dict(cell: FixedCell | ReuseCell, kinds: dict, sides: dict) -> dict:
    if isinstance(cell, FixedCell):
        domain = [_value(cell.value, kinds[cell.feature])]
        return {"type": "Fixed", "feature": {"type": cell.feature, "domain": domain}}
    tag = f"Reuse{sides[cell.source_feature]}As{_SIDE[cell.feature]}"
    return {"type": tag, "row": cell.source_row}


def _node_to_dict(node: Node, pattern: GenerativePattern, kinds: dict) -> dict:
    sizes = [len(pattern.nodes[p].domain) for p in node.parents]
    return {
        "feature": {
            "type": node.feature,
            "domain": [_value(v, kinds[node.feature]) for v in node.domain],
        },
        "partial_flow_number": node.row,
        "parents": list(node.parents),
        "cpt": {
            "parents_values": [list(c) for c in product(*map(range, sizes))],
            "probas": node.cpt.tolist(),
        },
    }


def _value(value: object, kind: str) -> object:
    if kind in ("count", "real"):
        return [_plain(v) for v in value]
    return _plain(value)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def model_from_dict(data: object, *, source: str = "the model") -> FlowModel:
    """Model from its JSON object; ``source`` names it in error messages.

    Raises
    ------
    ModelFileError
        If ``data`` is not a JSON object, a key is missing or of the wrong type, or
        the model is inconsistent.
    """
    _check_layout(data, source)
    try:
        model = _parse(data)  # type: ignore[arg-type]
    except KeyError as exc:
        message = (
            f"{source}: not a FlowChronicle model: the key {exc} is missing; pass a "
            "JSON file written by 'workbench mine'."
        )
        raise ModelFileError(message) from exc
    except (TypeError, ValueError, IndexError, AttributeError) as exc:
        message = (
            f"{source}: not a FlowChronicle model ({type(exc).__name__}: {exc}); "
            "pass a JSON file written by 'workbench mine'."
        )
        raise ModelFileError(message) from exc
    problems = model_problems(model)
    if problems:
        raise ModelFileError(f"{source}: inconsistent model: {'; '.join(problems[:5])}")
    return model


#: Top-level keys of a model file and the JSON type each must have.
_LAYOUT = {"patterns": list, "pattern_weights": list, "metadata": dict}
_JSON_NAMES = {dict: "object", list: "list", str: "string", bool: "boolean"}


def _check_layout(data: object, source: str) -> None:
    """Raise unless ``data`` is an object with the top-level keys of a model."""
    what = "pass a JSON file written by 'workbench mine'."
    if not isinstance(data, dict):
        message = f"{source}: holds a JSON {_json_name(data)}, not an object; {what}"
        raise ModelFileError(message)
    missing = [key for key in ("patterns", "pattern_weights") if key not in data]
    if missing:
        message = f"{source}: the key(s) {missing} are missing; {what}"
        raise ModelFileError(message)
    for key, kind in _LAYOUT.items():
        if key in data and not isinstance(data[key], kind):
            message = (
                f"{source}: {key!r} holds a JSON {_json_name(data[key])}, not a "
                f"{_JSON_NAMES[kind]}; {what}"
            )
            raise ModelFileError(message)


def _json_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return _JSON_NAMES.get(type(value), type(value).__name__)


def _parse(data: dict) -> FlowModel:
    meta = dict(data.get("metadata", {}))
    version = meta.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ValueError(f"format_version {version} is not {FORMAT_VERSION}")
    patterns = data["patterns"]
    names = meta.get("feature_order") or _names_in(patterns)
    columns = meta.get("feature_columns", {})
    defaults = {f.name: f for f in FEATURES}
    features = tuple(
        Feature(n, columns.get(n, defaults[n].column), defaults[n].kind) for n in names
    )
    kinds = {f.name: f.kind for f in features}
    parsed = tuple(_parse_pattern(p, kinds) for p in patterns)
    weights = tuple(int(w) for w in data["pattern_weights"])
    t_range = tuple(int(t) for t in meta.get("t_range", (0, 0)))
    origin = meta.get("time_origin_epoch")
    if origin is None and meta.get("time_origin"):
        origin = datetime.fromisoformat(meta["time_origin"]).timestamp()
    origin = float(origin or 0.0)
    return FlowModel(features, parsed, weights, t_range, origin, meta)


def _names_in(patterns: list[dict]) -> list[str]:
    seen = {n["feature"]["type"] for p in patterns for n in p["bayesian_network"]}
    return [f.name for f in FEATURES if f.name in seen]


def _parse_pattern(data: dict, kinds: dict) -> GenerativePattern:
    rows = []
    for row in data["partial_flows"]:
        cells: list[FixedCell | ReuseCell] = []
        for cell in row:
            if cell["type"] == "Fixed":
                name = cell["feature"]["type"]
                value = _from_json(cell["feature"]["domain"][0], kinds[name])
                cells.append(FixedCell(name, value))
            else:
                cells.append(_parse_reuse(cell))
        rows.append(tuple(cells))
    nodes = tuple(
        _parse_node(n, kinds, data["bayesian_network"])
        for n in data["bayesian_network"]
    )
    tm = data.get("time_model", {})
    time_model = TimeModel(
        np.asarray(tm.get("start_times", []), dtype=float),
        tuple(np.asarray(g, dtype=float) for g in tm.get("gaps", [])),
        float(tm.get("bandwidth", 1.0)),
    )
    return GenerativePattern(tuple(rows), nodes, time_model)


def _parse_reuse(cell: dict) -> ReuseCell:
    tag = cell["type"]
    if not (tag.startswith("Reuse") and "As" in tag):
        raise ValueError(f"unknown cell type {tag!r}")
    source, target = tag[len("Reuse") :].split("As")
    return ReuseCell(_IP[target], int(cell["row"]), _IP[source])


def _parse_node(node: dict, kinds: dict, all_nodes: list[dict]) -> Node:
    name = node["feature"]["type"]
    domain = tuple(_from_json(v, kinds[name]) for v in node["feature"]["domain"])
    parents = tuple(int(p) for p in node["parents"])
    sizes = [len(all_nodes[p]["feature"]["domain"]) for p in parents]
    cpt = np.zeros((int(np.prod(sizes)) if sizes else 1, len(domain)))
    for config, probas in zip(
        node["cpt"]["parents_values"], node["cpt"]["probas"], strict=True
    ):
        index = int(np.ravel_multi_index(config, sizes)) if sizes else 0
        cpt[index] = probas
    sums = cpt.sum(axis=1, keepdims=True)
    if np.any(sums <= 0):
        raise ValueError(
            f"node {name} row {node['partial_flow_number']}: a table "
            "row has no positive probability"
        )
    return Node(name, int(node["partial_flow_number"]), domain, parents, cpt / sums)


def _from_json(value: object, kind: str) -> object:
    if kind == "count":
        return (int(value[0]), int(value[1]))
    if kind == "real":
        return (float(value[0]), float(value[1]))
    return value
