"""Visual styling of nodes and relationships, derived from the domain model (one source of truth)."""

from __future__ import annotations

from typing import Any

from netwerk.model import MODEL, Model

__all__ = ["edge_style", "node_style"]


def node_style(label: str, model: Model = MODEL) -> dict[str, Any]:
    """pyvis/vis-network options for a node label: colour, shape and a Dutch caption."""
    nt = model.node(label)
    return {"color": nt.colour, "shape": nt.shape, "group": label, "caption": nt.title or label}


def edge_style(rel_type: str, model: Model = MODEL) -> dict[str, Any]:
    """pyvis/vis-network options for a relationship type."""
    rt = model.rel(rel_type)
    return {"color": rt.colour, "title": rt.title or rel_type, "arrows": "to"}
