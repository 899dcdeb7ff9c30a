"""The W3C SPARQL 1.1 Protocol test suite (``protocol`` manifest), replayed over real HTTP.

Each test is a pytest case named after its W3C test. The manifest describes requests and
expected responses in the W3C HTTP vocabulary (``ht:``); this runner sends each request
to the real application served by a real HTTP server on loopback, over a store holding the
suite's three graphs under their manifest names. Tests of the update operation are skipped
as not applicable: the service is read-only (SPARQL 1.1 Protocol §2.2).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.dom import minidom

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.collection import Collection
from werkzeug.serving import make_server

from cnamkg.representation import formats as F
from cnamkg.settings import Settings
from cnamkg.store.base import DatasetInfo, Store
from cnamkg.store.memory import MemoryStore
from cnamkg.store.oxigraph import OxigraphStore
from cnamkg.store.remote import RemoteStore
from cnamkg.web.app import create_app
from conftest import BACKENDS, oxigraph_server

SUITE = Path(__file__).parents[1] / "data" / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # "2xx", "3xx", "4xx"…
    expected_format: str | None
    expected_boolean: bool | None

    @property
    def is_update(self) -> bool:
        text = (self.body or b"").decode("utf-8", "replace") + self.path
        content_type = self.headers.get("content-type", "")
        return "sparql-update" in content_type or "update=" in text or "using-" in self.path


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    label: str
    requests: tuple[Request, ...]


def _load() -> list[ProtocolTest]:
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    entries = Collection(g, g.value(manifest, MF.entries))
    tests = []
    for test in entries:
        reqs = []
        action = g.value(test, MF.action)
        for r in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hlist = g.value(r, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
            body_node = g.value(r, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(r, HT.resp)
            statuses = frozenset(
                str(s).rsplit("StatusCode", 1)[1] for s in g.objects(resp, MF.expectedStatus)
            )
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            reqs.append(
                Request(
                    method=str(g.value(r, HT.methodName)),
                    path=str(g.value(r, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=statuses,
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(
            ProtocolTest(str(test).rsplit("#", 1)[1], str(g.value(test, MF.name)), tuple(reqs))
        )
    return tests


TESTS = _load()


def _graph_data() -> list[ox.Quad]:
    """The suite's graphs (``ut:graphData``) under their manifest names."""
    quads = []
    for n in (1, 2, 3):
        name = ox.NamedNode(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf")
        for t in ox.parse(path=str(SUITE / f"data{n}.nt"), format=ox.RdfFormat.N_TRIPLES):
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, name),
                ox.Quad(t.subject, t.predicate, t.object),
            ]
    return quads


def _remote_store(engine: str) -> RemoteStore:
    """The suite's graphs PUT into a real Oxigraph server (Graph Store Protocol §5.3), the
    union also into its default graph as `cnamkg build --target` writes it."""
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for q in _graph_data():
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        by_graph.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for graph, triples in by_graph.items():
        params = {"graph": graph} if graph else {"default": ""}
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        r = requests.put(
            engine + "/store",
            params=params,
            data=body,
            headers={"Content-Type": "application/n-triples"},
            timeout=30,
        )
        r.raise_for_status()
    return RemoteStore(engine + "/query", base="https://w3id.org/cnamkg/")


@pytest.fixture(scope="module", params=BACKENDS)
def endpoint(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The application on a real HTTP server (werkzeug, threaded) on a loopback port, over
    each backend: the embedded store, a real Oxigraph server through SPARQLWrapper, and
    rdflib in memory."""
    graphs = tuple(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3))
    with contextlib.ExitStack() as stack:
        info = DatasetInfo("w3c-protocol", "2012-11-20", graphs)
        if request.param == "remote":
            engine = stack.enter_context(oxigraph_server(tmp_path_factory.mktemp("w3c") / "db"))
            store: Store = _remote_store(engine)
        elif request.param == "memory":
            store = MemoryStore(_graph_data(), info)
        else:
            store = OxigraphStore.in_memory(_graph_data(), info)
        yield from _serve(store)


def _serve(store: Store) -> Iterator[str]:
    app = create_app(Settings(store="memory"), store=store)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _status_class(code: int) -> str:
    return f"{code // 100}xx"


def _check_format(resp: requests.Response, req: Request) -> None:
    media = resp.headers.get("Content-Type", "").split(";")[0].strip()
    if req.expected_format == "tabular":
        assert media in {f.media_type for f in F.RESULTS_FORMATS}, media
    elif req.expected_format == "boolean":
        assert media in (F.RESULTS_JSON.media_type, F.RESULTS_XML.media_type), media
        if req.expected_boolean is not None:
            if media == F.RESULTS_JSON.media_type:
                value = json.loads(resp.content)["boolean"]
            else:
                value = (
                    minidom.parseString(resp.content)
                    .getElementsByTagName("boolean")[0]
                    .firstChild.data
                    == "true"
                )
            assert value is req.expected_boolean
    elif req.expected_format == "RDF":
        assert media in {f.media_type for f in F.RDF_FORMATS}, media


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(endpoint: str, test: ProtocolTest) -> None:
    """One W3C protocol test: every request answered with the expected status class and,
    for results, the expected format and boolean."""
    if any(r.is_update and r.statuses & {"2xx", "3xx"} for r in test.requests):
        pytest.skip("update operation: not offered by this read-only service (Protocol §2.2)")
    for req in test.requests:
        url = endpoint + req.path.replace("/sparql/", "/sparql", 1)
        resp = requests.request(req.method, url, data=req.body, headers=req.headers, timeout=30)
        assert _status_class(resp.status_code) in req.statuses, (
            f"{test.name}: {req.method} {req.path} → {resp.status_code} {resp.text[:200]}"
        )
        if resp.status_code < 300:
            _check_format(resp, req)
        else:
            assert resp.text.strip(), "every refusal says what is wrong"


def test_the_suite_is_read() -> None:
    """The manifest yields the W3C test list (34 entries, 15 of them query tests)."""
    assert len(TESTS) == 34
    runnable = [
        t for t in TESTS if not any(r.is_update and r.statuses & {"2xx", "3xx"} for r in t.requests)
    ]
    assert len(runnable) >= 15
