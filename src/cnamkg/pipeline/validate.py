"""Validate: the SHACL gate between the curated sources and the store.

Runs pySHACL (W3C SHACL §3 validation, no inference) over the union of every data file,
with the ontology as the ontology graph, and returns a typed :class:`ValidationReport`
whose violations name the focus node, path, constraint component, message and the data
file that holds the focus node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError
from rdflib.namespace import RDF, SH

from cnamkg.errors import ShapesError
from cnamkg.pipeline.load import SourceFile, Sources, load_sources
from cnamkg.settings import Settings
from cnamkg.terms import rdflib_graph_of, term_key


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result (SHACL §3.6.2).

    :param focus_node: IRI of the focus node, or ``_:id`` for a blank node.
    :param path: IRI of ``sh:resultPath`` (``None`` for node constraints or complex paths
        written as ``<path>`` text).
    :param constraint: IRI of ``sh:sourceConstraintComponent``.
    :param message: ``sh:resultMessage`` (the shape's ``sh:message`` or pySHACL's text).
    :param severity: IRI of ``sh:resultSeverity``.
    :param source_shape: IRI (or ``_:id``) of ``sh:sourceShape``.
    :param value: the offending ``sh:value``, as N-Triples-like text, or ``None``.
    :param data_files: the data files in which the focus node is a subject.
    """

    focus_node: str
    path: str | None
    constraint: str
    message: str
    severity: str
    source_shape: str
    value: str | None
    data_files: tuple[Path, ...]

    @property
    def data_file(self) -> Path | None:
        """The first data file holding the focus node, or ``None``."""
        return self.data_files[0] if self.data_files else None

    def describe(self) -> str:
        """A human-readable block: focus node, path, constraint, message, file."""
        files = ", ".join(str(f) for f in self.data_files) or "(no data file)"
        lines = [
            f"focus node: {self.focus_node}",
            f"  path:       {self.path or '(none)'}",
            f"  constraint: {_short(self.constraint)}",
            f"  message:    {self.message}",
        ]
        if self.value is not None:
            lines.append(f"  value:      {self.value}")
        lines.append(f"  data file:  {files}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validation.

    :param conforms: True when there is no result of severity ``sh:Violation``.
    :param violations: every result (violations, and warnings/infos if any), sorted by
        data file, focus node and path.
    """

    conforms: bool
    violations: tuple[Violation, ...]

    def describe(self) -> str:
        """The full report as text, one block per result."""
        if self.conforms and not self.violations:
            return "Conforms: the data satisfies every shape."
        head = (
            "Conforms (with warnings)."
            if self.conforms
            else (f"Does not conform: {len(self.violations)} result(s).")
        )
        return "\n".join([head, *(v.describe() for v in self.violations)])


def _short(iri: str) -> str:
    return "sh:" + iri[len(str(SH)) :] if iri.startswith(str(SH)) else iri


def rdflib_graph(files: Iterable[SourceFile]) -> rdflib.Graph:
    """The union of parsed files' triples as one rdflib graph (for pyshacl)."""
    return rdflib_graph_of(q for f in files for q in f.quads)


def _node_text(node: rdflib.term.Node) -> str:
    return f"_:{node}" if isinstance(node, rdflib.BNode) else str(node)


def shacl_report(
    data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph
) -> tuple[bool, rdflib.Graph]:
    """Validate a data graph against a shapes graph (W3C SHACL §3), the ontology mixed in
    as pySHACL's ontology graph, without inference; warnings and infos do not break
    conformance.

    :return: ``sh:conforms`` and the validation report graph (SHACL §3.6).
    :raises ShapesError: the shapes cannot be used (pySHACL's message).
    """
    try:
        conforms, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        raise ShapesError(exc.message) from exc
    assert isinstance(results, rdflib.Graph)
    return bool(conforms), results


def results_of(
    report: rdflib.Graph, files_of: dict[str, set[Path]] | None = None
) -> Iterator[Violation]:
    """The results of a SHACL validation report graph (SHACL §3.6.2), unsorted.

    :param files_of: focus node (``term_key``) → data files holding it, if known.
    """
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        focus_text = _node_text(focus) if focus is not None else ""
        yield Violation(
            focus_node=focus_text,
            path=str(path) if isinstance(path, rdflib.URIRef) else None,
            constraint=str(report.value(r, SH.sourceConstraintComponent)),
            message=str(report.value(r, SH.resultMessage) or ""),
            severity=str(report.value(r, SH.resultSeverity)),
            source_shape=_node_text(report.value(r, SH.sourceShape) or rdflib.BNode()),
            value=value.n3() if value is not None else None,
            data_files=tuple(sorted((files_of or {}).get(focus_text, ()))),
        )


def validate_sources(sources: Sources) -> ValidationReport:
    """Validate parsed sources: the union of the data graphs against the shapes.

    :param sources: from :func:`cnamkg.pipeline.load.load_sources`, with shapes.
    :return: the report; never raises for non-conforming data.
    :raises ShapesError: the shapes are ill-formed.
    """
    files_of: dict[str, set[Path]] = defaultdict(set)
    for f in sources.data:
        for q in f.quads:
            files_of[term_key(q.subject)].add(f.path)
    try:
        conforms, results = shacl_report(
            rdflib_graph(sources.data), rdflib_graph(sources.shapes), rdflib_graph(sources.ontology)
        )
    except ShapesError as exc:
        files = ", ".join(str(f.path) for f in sources.shapes)
        raise ShapesError(f"the shapes cannot be used ({files}): {exc}") from exc
    violations = list(results_of(results, files_of))
    violations.sort(key=lambda v: (str(v.data_file), v.focus_node, v.path or "", v.constraint))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def validate(
    data_paths: Iterable[Path],
    *,
    shapes_dir: Path,
    ontology_dir: Path,
    base_iri: str | None = None,
) -> ValidationReport:
    """Parse and validate data files against the shapes folder.

    :param data_paths: data files (``.ttl``/``.nt``).
    :param shapes_dir: folder of SHACL shapes.
    :param ontology_dir: folder of ontology files (the ontology graph).
    :param base_iri: namespace base (default: :class:`Settings` default).
    :raises cnamkg.errors.SourceSyntaxError: a file does not parse (``file:line:column``).
    :raises cnamkg.errors.SourceMissingError: a folder is missing.
    """
    sources = load_sources(
        base_iri=base_iri or Settings().base_iri,
        data_paths=data_paths,
        ontology_dir=ontology_dir,
        shapes_dir=shapes_dir,
    )
    return validate_sources(sources)


def without_focus(report: rdflib.Graph, focus_nodes: set[rdflib.term.Node]) -> bool:
    """Drop from a SHACL validation report (SHACL §3.6) the results about ``focus_nodes``,
    and set its ``sh:conforms`` anew: true when no remaining result is a violation.

    :param report: the report graph, changed in place.
    :return: the new ``sh:conforms``.
    """
    for r in list(report.subjects(RDF.type, SH.ValidationResult)):
        if report.value(r, SH.focusNode) in focus_nodes:
            report.remove((None, SH.result, r))
            report.remove((r, None, None))
    conforms = not any(
        report.value(r, SH.resultSeverity) == SH.Violation
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    tops = list(report.subjects(RDF.type, SH.ValidationReport))
    for top in tops:
        report.set((top, SH.conforms, rdflib.Literal(conforms)))
    # what the dropped results alone referred to (the blank-node property shapes pySHACL
    # copies into the report) goes with them
    reachable, frontier = set(tops), list(tops)
    while frontier:
        for o in report.objects(frontier.pop(), None):
            if isinstance(o, rdflib.BNode) and o not in reachable:
                reachable.add(o)
                frontier.append(o)
    for s in {s for s in report.subjects() if isinstance(s, rdflib.BNode)} - reachable:
        report.remove((s, None, None))
    return conforms
