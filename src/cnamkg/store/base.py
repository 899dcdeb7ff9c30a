"""The one interface every store backend offers (DESIGN.md, Stores).

Results use pyoxigraph's result types as the common currency: ``QuerySolutions`` for
SELECT, ``QueryBoolean`` for ASK, ``QueryTriples`` (an iterator of ``Triple``) or a list
of ``Triple`` for CONSTRUCT/DESCRIBE. A remote backend produces them with
``pyoxigraph.parse_query_results`` and ``pyoxigraph.parse``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from cnamkg.errors import QuerySyntaxError

#: A CONSTRUCT/DESCRIBE result: the engine's iterator, or a list (a remote endpoint's).
GraphResult = ox.QueryTriples | list[ox.Triple]
QueryResult = ox.QuerySolutions | ox.QueryBoolean | GraphResult


#: An empty embedded store: only its SPARQL parser is used (:func:`check_syntax`).
_PARSER = ox.Store()


def check_syntax(text: str, base_iri: str | None = None) -> None:
    """Parse ``text`` with Oxigraph's SPARQL 1.1 parser, evaluating nothing (pyoxigraph
    parses at once and evaluates lazily): stores whose engine is not Oxigraph call it
    first, so a malformed query gets the same message and ``line:column`` on every
    backend, and never reaches a remote.

    :raises cnamkg.errors.QuerySyntaxError: the text does not parse.
    """
    try:
        _PARSER.query(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc


def is_graph(result: QueryResult) -> bool:
    """True for a CONSTRUCT/DESCRIBE result (triples), false for SELECT/ASK."""
    return isinstance(result, ox.QueryTriples | list)


@dataclass(frozen=True)
class DatasetInfo:
    """What a store knows about the dataset it serves.

    :param version: the sources' content digest (SHA-256 hex); changes at every new build.
    :param built_at: build time, ISO 8601 UTC.
    :param graphs: IRIs of the named graphs.
    :param dumps_dir: folder of the whole-dataset dumps of this build, if written.
    """

    version: str
    built_at: str
    graphs: tuple[str, ...]
    dumps_dir: str | None = None


class Store(Protocol):
    """A read-only SPARQL store. The default graph of a query is the union of the named graphs."""

    info: DatasetInfo

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query.

        The dataset follows SPARQL 1.1 Protocol §2.1.4: graphs given by the protocol
        (``default_graphs``/``named_graphs``) replace the query's own; else the query's
        ``FROM``/``FROM NAMED`` define it (Query §13.2); else the default graph is the union
        of all named graphs.

        :param text: the query (a ``QueryUnit``, SPARQL 1.1 Query §19.8).
        :param default_graphs: graph IRIs whose merge is the default graph (Protocol
            ``default-graph-uri``), or ``None``.
        :param named_graphs: graph IRIs usable in ``GRAPH`` (Protocol ``named-graph-uri``).
        :param base_iri: the IRI relative IRIs of the query resolve against when it has no
            ``BASE`` (SPARQL 1.1 Query §4.1.1.3; RFC 3986 §5.1: the retrieval IRI).
        :raises cnamkg.errors.QuerySyntaxError: the text does not parse (message with
            ``line:column``).
        :raises cnamkg.errors.StoreUnavailable: the store cannot be read.
        """
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...
