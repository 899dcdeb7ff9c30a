"""Load: parse the curated sources into quads, one named graph per data file.

RDF 1.1 Turtle and N-Triples are read with pyoxigraph, whose parser reports the line and
column of a syntax error; a bad file raises :class:`cnamkg.errors.SourceSyntaxError`
naming ``file:line:column``. Nothing here knows HTTP or the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from cnamkg import __version__
from cnamkg.errors import SourceMissingError, SourceSyntaxError
from cnamkg.iris import graph_iri

#: File extensions read as sources, with their format (RDF 1.1 Turtle §7, N-Triples §5).
SOURCE_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}

#: The named graph that holds every ontology file.
ONTOLOGY_GRAPH_NAME = "ontology"


@dataclass(frozen=True)
class SourceFile:
    """One parsed source file.

    :param path: the file.
    :param graph: IRI of the named graph its triples go to (``{base}graph/{stem}`` for data).
    :param quads: its triples, placed in ``graph``; blank nodes renamed apart per file.
    """

    path: Path
    graph: str
    quads: tuple[ox.Quad, ...]


@dataclass(frozen=True)
class Sources:
    """Every parsed source: data files, ontology files and shape files.

    :param data: one :class:`SourceFile` per data file (each its own named graph).
    :param ontology: the ontology files (all in the graph ``{base}graph/ontology``).
    :param shapes: the SHACL shape files (validated against, not published).
    """

    data: tuple[SourceFile, ...]
    ontology: tuple[SourceFile, ...]
    shapes: tuple[SourceFile, ...]

    def published(self) -> Iterator[ox.Quad]:
        """Every quad that goes into the store: data graphs, then the ontology graph."""
        for source in (*self.data, *self.ontology):
            yield from source.quads


def rdf_files(directory: Path) -> list[Path]:
    """The source files of ``directory`` (``*.ttl``, ``*.nt``), sorted by name.

    :raises SourceMissingError: the directory does not exist.
    """
    if not directory.is_dir():
        raise SourceMissingError(f"{directory}: no such directory")
    return sorted(
        p for p in directory.iterdir() if p.suffix.lower() in SOURCE_FORMATS and p.is_file()
    )


def parse_file(path: Path, graph: str) -> tuple[ox.Quad, ...]:
    """Parse one source file into quads of the named graph ``graph``.

    :param path: a ``.ttl`` or ``.nt`` file.
    :param graph: the IRI of the named graph the triples are placed in.
    :raises SourceSyntaxError: the file is not valid RDF (with its line and column),
        or not UTF-8, or unreadable, or holds RDF 1.2 triple terms, or its name cannot
        form a graph IRI.
    """
    fmt = SOURCE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceSyntaxError(path, 1, None, f"unsupported file extension {path.suffix!r}")
    try:
        name = ox.NamedNode(graph)
    except ValueError as exc:
        raise SourceSyntaxError(path, 1, None, f"the file name cannot name a graph: {exc}") from exc
    label = _blank_node_labeller(graph, path.name)
    try:
        quads = tuple(
            ox.Quad(label(t.subject), t.predicate, label(t.object), name)
            for t in ox.parse(path=str(path), format=fmt)
        )
    except SyntaxError as exc:
        message = exc.msg if isinstance(exc.msg, str) else str(exc)
        raise SourceSyntaxError(path, exc.lineno or 1, exc.offset, message) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceSyntaxError(path, 1, None, f"cannot read file: {exc}") from exc
    if any(isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple) for q in quads):
        line = _first_line_with(path, "<<")
        raise SourceSyntaxError(path, line, None, "RDF 1.2 triple terms are not supported")
    return quads


def _blank_node_labeller(graph: str, file_name: str) -> Callable[[Any], Any]:
    """A relabelling of one file's blank nodes, the same in every process and every run:
    ``g{digest}b{n}`` for the n-th blank node met, the digest naming the graph and file
    (RDF 1.1 Concepts §3.4: labels are local to a document, so each file's stay apart
    from the others'). Every process that loads the sources (the ``memory`` store's
    workers and evaluators) thus names them alike, and so do its dumps."""
    digest = hashlib.sha256(f"{graph}\0{file_name}".encode()).hexdigest()[:16]
    prefix = f"g{digest}b"
    seen: dict[str, ox.BlankNode] = {}

    def label(term: Any) -> Any:
        if not isinstance(term, ox.BlankNode):
            return term
        if term.value not in seen:
            seen[term.value] = ox.BlankNode(f"{prefix}{len(seen)}")
        return seen[term.value]

    return label


def _first_line_with(path: Path, needle: str) -> int:
    for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if needle in text:
            return number
    return 1


def parse_files(paths: Iterable[Path], graph_for: dict[Path, str]) -> tuple[SourceFile, ...]:
    """Parse several files; ``graph_for`` gives each file's named-graph IRI."""
    return tuple(SourceFile(p, graph_for[p], parse_file(p, graph_for[p])) for p in paths)


def parse_folder(directory: Path, graph: str) -> tuple[SourceFile, ...]:
    """Every RDF file of ``directory`` (:func:`rdf_files`), parsed into the named graph
    ``graph``.

    :raises SourceMissingError: the folder is missing.
    :raises SourceSyntaxError: a file does not parse (file:line).
    """
    paths = rdf_files(directory)
    return parse_files(paths, {p: graph for p in paths})


def data_graph_iri(base: str, path: Path) -> str:
    """The named graph of a data file: ``{base}graph/{file stem}`` (DESIGN.md, Provenance)."""
    return graph_iri(base, path.stem)


def load_sources(
    *,
    base_iri: str,
    data_paths: Iterable[Path],
    ontology_dir: Path,
    shapes_dir: Path | None,
) -> Sources:
    """Parse data files, the ontology folder and (optionally) the shapes folder.

    :param base_iri: namespace base, for graph names.
    :param data_paths: data files; each becomes the graph ``{base}graph/{stem}``.
    :param ontology_dir: folder of ontology files, all placed in ``{base}graph/ontology``.
    :param shapes_dir: folder of SHACL shapes, or ``None`` to skip them.
    :raises SourceSyntaxError: a file does not parse.
    :raises SourceMissingError: a folder is missing, there is no data file, or two data
        files share a stem.
    """
    data_list = list(data_paths)
    if not data_list:
        raise SourceMissingError("no data file (*.ttl, *.nt) to load: check the data folder")
    by_stem: dict[str, list[Path]] = {}
    for p in data_list:
        by_stem.setdefault(p.stem, []).append(p)
    for stem, paths in sorted(by_stem.items()):
        if len(paths) > 1:
            names = " and ".join(str(p) for p in paths)
            raise SourceMissingError(f"{names} would share the graph name {stem!r}")
    onto_graph = graph_iri(base_iri, ONTOLOGY_GRAPH_NAME)
    onto_files = rdf_files(ontology_dir)
    shape_files = rdf_files(shapes_dir) if shapes_dir is not None else []
    return Sources(
        data=parse_files(data_list, {p: data_graph_iri(base_iri, p) for p in data_list}),
        ontology=parse_files(onto_files, {p: onto_graph for p in onto_files}),
        shapes=parse_files(shape_files, {p: graph_iri(base_iri, "shapes") for p in shape_files}),
    )


def sources_digest(paths: Iterable[Path], *, base_iri: str) -> str:
    """A SHA-256 hex digest of the sources' names and bytes, the base IRI and our version.

    The store is rebuilt only when this changes (DESIGN.md, Stores).
    """
    h = hashlib.sha256()
    h.update(f"cnamkg {__version__}\n{base_iri}\n".encode())
    for p in sorted(paths, key=lambda q: (q.parent.name, q.name)):
        h.update(f"{p.parent.name}/{p.name}\n".encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()
