"""What each SHACL shape requires, in a form a page can show.

Reads the shapes graph (SHACL §2.1 node shapes with their targets, §2.2 property shapes
with their paths) and lists, per shape, its targets, and per constraint its path, its
constraint parameters (SHACL §4, e.g. ``sh:minCount 1``, ``sh:class org:Organization``;
an ``sh:or`` list as its alternatives) and its ``sh:message``. Used by ``/ontology`` to say
which shapes constrain each class and property.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

#: Parameters that are not constraints: they say where a constraint applies, or name it.
_NOT_CONSTRAINTS = {
    SH.path,
    SH.message,
    SH.name,
    SH.description,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.severity,
    SH.order,
    SH.group,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

Shorten = Callable[[str], str]


@dataclass
class Constraint:
    """One property shape, or the node-level constraints of a node shape.

    :param path: the property IRI (``None`` for node-level constraints; a complex SHACL
        path is given as its Turtle-like text in :attr:`path_text`).
    :param path_text: the path as shown.
    :param parameters: ``(parameter, value)`` pairs as shown (``("minCount", "1")``).
    :param message: the shape's ``sh:message`` (English in our shapes), or ``None``.
    """

    path: str | None
    path_text: str
    parameters: list[tuple[str, str]]
    message: str | None


@dataclass
class ShapeDoc:
    """A node shape: its targets and its constraints.

    :param iri: the shape's IRI.
    :param label: its ``rdfs:label`` (or the local name).
    :param targets: ``(target kind, IRI)``, e.g. ``("targetClass", "…#Call")``.
    :param constraints: node-level constraints first, then one per property shape.
    """

    iri: str
    label: str
    targets: list[tuple[str, str]]
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def target_classes(self) -> set[str]:
        """The IRIs of the classes the shape targets."""
        return {iri for kind, iri in self.targets if kind == "targetClass"}


def _local(iri: rdflib.URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _visible(text: str) -> str:
    """Control characters (in a ``sh:pattern``) as ``\\uXXXX`` escapes, so they show."""
    return "".join(
        f"\\u{ord(c):04X}" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text
    )


def _value(g: rdflib.Graph, node: rdflib.term.Node, shorten: Shorten) -> str:
    if isinstance(node, rdflib.URIRef):
        sh = str(SH)
        return "sh:" + node[len(sh) :] if node.startswith(sh) else shorten(str(node))
    if isinstance(node, rdflib.Literal):
        return _visible(str(node))
    if (node, RDF.first, None) in g:  # an RDF list, e.g. sh:or's alternatives
        return " | ".join(_value(g, item, shorten) for item in Collection(g, node))
    parts = [  # a blank-node shape inside sh:or, sh:not …
        f"{_local(p)} {_value(g, o, shorten)}"
        for p, o in sorted(g.predicate_objects(node))
        if p not in _NOT_CONSTRAINTS
    ]
    return ", ".join(parts)


def _constraint(
    g: rdflib.Graph, shape: rdflib.term.Node, shorten: Shorten, *, node_level: bool
) -> Constraint | None:
    params = sorted(
        (_local(p), _value(g, o, shorten))
        for p, o in g.predicate_objects(shape)
        if p not in _NOT_CONSTRAINTS and isinstance(p, rdflib.URIRef) and p.startswith(SH)
    )
    message = g.value(shape, SH.message)
    if node_level:
        if not params:
            return None
        return Constraint(None, "", params, str(message) if message else None)
    path = g.value(shape, SH.path)
    simple = isinstance(path, rdflib.URIRef)
    text = shorten(str(path)) if simple else _value(g, path, shorten)
    return Constraint(
        str(path) if simple else None, text, params, str(message) if message else None
    )


def document_shapes(shapes: rdflib.Graph, shorten: Shorten) -> list[ShapeDoc]:
    """Every node shape of ``shapes`` that has a target, sorted by label.

    :param shapes: the shapes graph.
    :param shorten: IRI → the text shown for it (a prefixed name, when one fits).
    """
    nodes: set[rdflib.term.Node] = set()
    for target in _TARGETS:
        nodes.update(shapes.subjects(target, None))
    docs = []
    for node in nodes:
        if not isinstance(node, rdflib.URIRef):
            continue
        # every (targets, constraints) triple of one shape IRI, whichever file states it
        targets = sorted((_local(t), str(o)) for t in _TARGETS for o in shapes.objects(node, t))
        label = shapes.value(node, RDFS.label)
        doc = ShapeDoc(str(node), str(label) if label else _local(node), targets)
        own = _constraint(shapes, node, shorten, node_level=True)
        if own is not None:
            doc.constraints.append(own)
        props = [
            _constraint(shapes, p, shorten, node_level=False)
            for p in shapes.objects(node, SH.property)
        ]
        doc.constraints.extend(
            sorted((c for c in props if c is not None), key=lambda c: (c.path_text, c.parameters))
        )
        docs.append(doc)
    return sorted(docs, key=lambda d: (d.label.casefold(), d.iri))
