"""Publish the validated dataset to a remote engine through the SPARQL 1.1 Graph Store
HTTP Protocol (``cnamkg build --target sparql:URL --graph-store URL``).

The graphs the dataset held are emptied (``DELETE ?graph=IRI``, Graph Store Protocol
§5.4, and ``DELETE ?default``), then the whole dataset is sent as one N-Quads document
POSTed to the graph store URL (the dataset upload Oxigraph and Fuseki accept there): each
named graph, the default graph and the graph ``{base}graph/build/union`` holding the union
of the named graphs, each triple once, as the embedded store holds it. One document,
because a blank node label is scoped to its document (RDF 1.1 Concepts §3.4): sent
graph by graph, the address of an organisation would be a different node in its named
graph and in the union. The build graph (version and time, read by
:class:`cnamkg.store.remote.RemoteStore`) is written last, so a reader sees the new
version only once the data is in place. Nothing is sent unless the sources parse and
validate.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from cnamkg.errors import RemoteStoreError
from cnamkg.iris import dataset_iri, graph_iri
from cnamkg.pipeline.build import current_digest, dataset_info, load_and_validate
from cnamkg.settings import Settings
from cnamkg.store.base import DatasetInfo
from cnamkg.store.remote import BUILD_GRAPH_NAME, UNION_GRAPH_NAME, RemoteStore
from cnamkg.vocab import DCTERMS, XSD


@dataclass(frozen=True)
class UploadResult:
    """What ``build --target`` did.

    :param info: the dataset now served by the remote.
    :param triples: triples sent (named graphs, the union twice: default graph and
        union graph; build graph).
    :param deleted: graphs removed because the dataset no longer has them.
    :param uploaded: ``False`` when the remote already held this version.
    """

    info: DatasetInfo
    triples: int
    deleted: tuple[str, ...]
    uploaded: bool


def _send(
    method: str,
    url: str,
    body: bytes | None,
    timeout_s: float,
    *,
    media_type: str = "application/n-triples",
    missing_ok: bool = False,
) -> None:
    headers = {"Content-Type": media_type} if body is not None else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if missing_ok and exc.code == 404:  # deleting a graph that is not there (§5.4)
            return

        detail = exc.read()[:300].decode("utf-8", "replace")
        raise RemoteStoreError(
            f"the graph store {url} answered {method} with {exc.code} {exc.reason}: {detail}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteStoreError(
            f"the graph store {url} cannot be reached: {getattr(exc, 'reason', exc)}"
        ) from exc


def _url(graph_store: str, query: dict[str, str]) -> str:
    sep = "&" if "?" in graph_store else "?"
    return graph_store + sep + urllib.parse.urlencode(query)


def upload(
    settings: Settings,
    *,
    endpoint: str,
    graph_store: str,
    force: bool = False,
    timeout_s: float = 120.0,
) -> UploadResult:
    """Validate the sources, then replace the remote dataset with them.

    :param endpoint: the remote's SPARQL query endpoint (to read its current version and
        graphs).
    :param graph_store: the remote's Graph Store Protocol endpoint (e.g.
        ``http://127.0.0.1:7878/store`` for Oxigraph server).
    :param force: upload even when the remote already holds this version.
    :param timeout_s: time allowed for one HTTP exchange, in seconds.
    :raises cnamkg.errors.SourceSyntaxError: a file does not parse; nothing is sent.
    :raises cnamkg.errors.ValidationFailed: the data violates the shapes; nothing is sent.
    :raises RemoteStoreError: the remote cannot be reached or refused a request.
    """
    base = settings.base_iri
    digest = current_digest(settings)
    remote = RemoteStore(endpoint, base=base, timeout_s=timeout_s)
    if remote.info.version == digest and not force:
        return UploadResult(remote.info, 0, (), uploaded=False)
    sources, _ = load_and_validate(settings)
    quads = list(sources.published())
    info = dataset_info(digest, quads)
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name.value].append(ox.Triple(q.subject, q.predicate, q.object))  # type: ignore[union-attr]
    union = list(dict.fromkeys(t for triples in by_graph.values() for t in triples))
    build = graph_iri(base, BUILD_GRAPH_NAME)
    merge = graph_iri(base, UNION_GRAPH_NAME)
    stale = tuple(g for g in remote.info.graphs if g not in by_graph and g not in (build, merge))
    for graph in sorted({*by_graph, *stale, merge}):
        _send("DELETE", _url(graph_store, {"graph": graph}), None, timeout_s, missing_ok=True)
    _send("DELETE", _url(graph_store, {"default": ""}), None, timeout_s, missing_ok=True)
    merged = ox.NamedNode(merge)
    document = [
        *quads,
        *(ox.Quad(t.subject, t.predicate, t.object, merged) for t in union),
        *(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in union),
    ]
    body = ox.serialize(document, format=ox.RdfFormat.N_QUADS) or b""
    _send("POST", graph_store, body, timeout_s, media_type="application/n-quads")
    sent = len(quads) + 2 * len(union)
    ds = ox.NamedNode(dataset_iri(base))
    stamp = [
        ox.Triple(ds, ox.NamedNode(DCTERMS + "identifier"), ox.Literal(info.version)),
        ox.Triple(
            ds,
            ox.NamedNode(DCTERMS + "modified"),
            ox.Literal(info.built_at, datatype=ox.NamedNode(XSD + "dateTime")),
        ),
    ]
    _send("PUT", _url(graph_store, {"graph": build}), _nt(stamp), timeout_s)
    return UploadResult(info, sent + len(stamp), stale, uploaded=True)


def _nt(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
