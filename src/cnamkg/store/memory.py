"""The ``memory`` backend: an rdflib ``Dataset`` held in memory, for tiny data and unit
tests (DESIGN.md, Stores), evaluated by rdflib's own SPARQL 1.1 engine.

Results are handed on as pyoxigraph's types, like every backend's
(:mod:`cnamkg.store.base`): a SELECT/ASK result is written by rdflib as SPARQL 1.1
Query Results JSON and read back with ``pyoxigraph.parse_query_results``; a
CONSTRUCT/DESCRIBE graph is converted term by term (:mod:`cnamkg.terms`).

- The default graph of a query is the union of the named graphs (``default_union``).
- ``FROM``/``FROM NAMED`` pick graphs of the dataset (SPARQL 1.1 Query §13.2); rdflib's
  habit of fetching a ``FROM`` IRI it does not hold over the network is switched off
  (``SPARQL_LOAD_GRAPHS``): an unknown graph is empty, as on the other backends.
- Graphs given by the protocol (``default-graph-uri``/``named-graph-uri``) replace the
  query's own (SPARQL 1.1 Protocol §2.1.4).
- Every query is parsed by Oxigraph's parser first, so a malformed query gets the same
  message and ``line:column`` here as on the other backends.

rdflib 7.6 gives wrong answers in two cases our own queries hit; both are corrected here
rather than avoided, so that a user's query gets the standard answer too:

- ``VALUES`` followed by ``OPTIONAL`` in a group drops the rows whose ``OPTIONAL`` part
  matches nothing, whenever it matches for some other value (RDFLib/rdflib#2332): the
  algebra forgets the variables a ``VALUES`` block binds. :func:`_remember_values_vars`
  puts them back.
- A ``GROUP BY`` over no solution yields one empty solution instead of none (SPARQL 1.1
  Query §18.5, ``Group`` over an empty multiset has no groups): :func:`_grouped_aggregate`
  evaluates grouped aggregates instead, through rdflib's ``CUSTOM_EVALS`` hook.
"""

from __future__ import annotations

import collections
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.aggregates import Aggregator
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _eval
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import FrozenBindings, QueryContext

from cnamkg.errors import QuerySyntaxError, QueryTooComplex, QueryUnsupported
from cnamkg.store.base import DatasetInfo, QueryResult, check_syntax
from cnamkg.terms import from_rdflib, to_rdflib

# a FROM naming a graph rdflib does not hold would otherwise be fetched from the web
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def _grouped_aggregate(ctx: QueryContext, part: CompValue) -> Iterator[FrozenBindings]:
    """Evaluate an ``AggregateJoin`` with a ``GROUP BY``: one solution per group, none
    when there is no solution to group (rdflib adds an empty one). Other parts raise
    ``NotImplementedError``, which hands them back to rdflib (its ``CUSTOM_EVALS``
    protocol; raised here, before any solution is asked for)."""
    if part.name != "AggregateJoin" or part.p.expr is None:
        raise NotImplementedError
    groups: dict[tuple[Any, ...], Aggregator] = collections.defaultdict(
        lambda: Aggregator(aggregations=part.A)
    )
    for row in evalPart(ctx, part.p):
        groups[tuple(_eval(e, row, False) for e in part.p.expr)].update(row)
    return (FrozenBindings(ctx, agg.get_bindings()) for agg in groups.values())


rdflib.plugins.sparql.CUSTOM_EVALS["cnamkg-grouped-aggregate"] = _grouped_aggregate


def _remember_values_vars(node: object) -> set[rdflib.Variable]:
    """Add the variables bound by each ``VALUES`` block to the ``_vars`` of the algebra
    nodes above it (rdflib leaves them out, and its left join then misjudges which
    variables its left side binds); return those variables."""
    found: set[rdflib.Variable] = set()
    if isinstance(node, CompValue):
        if node.name == "values":
            found = {var for row in node["res"] for var in row}
        for key, child in node.items():
            if key not in ("_vars", "res"):
                found |= _remember_values_vars(child)
        if found and "_vars" in node:
            node["_vars"] = set(node["_vars"]) | found
    elif isinstance(node, list | tuple):
        for child in node:
            found |= _remember_values_vars(child)
    return found


_TOO_DEEP = "this query nests too deeply for the memory store's engine (rdflib)"


def _failure(exc: Exception) -> str:
    """The message of a query rdflib failed to evaluate (it is valid SPARQL: Oxigraph
    parsed it)."""
    return (
        f"the memory store's engine (rdflib) could not evaluate this query: "
        f"{type(exc).__name__}: {str(exc)[:300]}"
    )


def _triple(t: tuple[Any, Any, Any]) -> ox.Triple | None:
    """A CONSTRUCT/DESCRIBE triple as pyoxigraph's, or ``None`` for an illegal one (a
    literal subject or predicate, an ill-formed IRI or language tag…), which SPARQL 1.1
    Query §16.2 leaves out of the output graph."""
    s, p, o = t
    if isinstance(s, rdflib.Literal) or not isinstance(p, rdflib.URIRef):
        return None
    try:
        return ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
    except ValueError:
        return None


class MemoryStore:
    """A read-only rdflib dataset in memory; the default graph is the union graph.

    :param quads: the dataset's quads (each in a named graph).
    :param info: what was built into it.
    """

    def __init__(self, quads: Iterable[ox.Quad], info: DatasetInfo) -> None:
        self.info = info
        self._dataset = rdflib.Dataset(default_union=True)
        graphs: dict[str, rdflib.Graph] = {}
        for q in quads:
            if isinstance(q.graph_name, ox.NamedNode):
                name = q.graph_name.value
                if name not in graphs:
                    graphs[name] = self._dataset.graph(rdflib.URIRef(name))
                graphs[name].add(
                    (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                )

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query with rdflib; see :meth:`cnamkg.store.base.Store.query`.

        :raises QuerySyntaxError: the query does not parse (Oxigraph's message), or uses
            syntax rdflib's parser does not read (rdflib's message).
        :raises QueryUnsupported: rdflib's engine failed on the query (any exception it
            raises: the evaluator keeps running).
        :raises QueryTooComplex: rdflib ran out of stack on a deeply nested query.
        """
        check_syntax(text, base_iri)
        try:
            prepared = prepareQuery(text, base=base_iri)
        except (ParseBaseException, ValueError) as exc:
            raise QuerySyntaxError(f"SPARQL syntax error (rdflib): {exc}") from exc
        except RecursionError as exc:
            raise QueryTooComplex(_TOO_DEEP) from exc
        except Exception as exc:  # rdflib's own failure on a query Oxigraph parsed
            raise QueryUnsupported(_failure(exc)) from exc
        _remember_values_vars(prepared.algebra)
        dataset: rdflib.Dataset = self._dataset
        if default_graphs is not None or named_graphs is not None:
            prepared.algebra["datasetClause"] = None
            dataset = self._protocol_dataset(default_graphs or (), named_graphs or ())
        try:
            result = dataset.query(prepared)
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                assert result.graph is not None
                return [t for t in map(_triple, result.graph) if t is not None]
            data = result.serialize(format="json")
            return ox.parse_query_results(io.BytesIO(data), ox.QueryResultsFormat.JSON)
        except RecursionError as exc:
            raise QueryTooComplex(_TOO_DEEP) from exc
        except Exception as exc:  # rdflib raises bare Exception, re.error, SPARQLError…
            raise QueryUnsupported(_failure(exc)) from exc

    def _protocol_dataset(
        self, default_graphs: Sequence[str], named_graphs: Sequence[str]
    ) -> rdflib.Dataset:
        """The dataset a request's ``default-graph-uri``/``named-graph-uri`` describe: the
        merge of the first as default graph, the second as named graphs."""
        dataset = rdflib.Dataset(default_union=False)
        for iri in default_graphs:
            dataset.default_context += self._dataset.graph(rdflib.URIRef(iri))
        for iri in named_graphs:
            named = dataset.graph(rdflib.URIRef(iri))
            named += self._dataset.graph(rdflib.URIRef(iri))
        return dataset

    def close(self) -> None:
        """Drop the dataset."""
        del self._dataset
