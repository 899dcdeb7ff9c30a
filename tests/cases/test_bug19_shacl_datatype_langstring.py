"""BUG-19 · validation · sh:datatype xsd:string vs language-tagged literals.

Source: https://github.com/RDFLib/pySHACL/issues/116 (related:
https://github.com/RDFLib/pySHACL/issues/286).

Specs: SHACL §4.1.2 (``sh:datatype``, datatype as by SPARQL ``DATATYPE``); SPARQL 1.1
Query §17.4.2.7 (DATATYPE of a language-tagged literal is ``rdf:langString``); RDF 1.1
Concepts §3.3. Data A (``"Moby Dick"@en``) → exactly one violation; B (simple literal)
and C (JSON-LD with explicit ``xsd:string``) → conform. Loading is gated on validation:
``book1`` is never published, ``book2`` is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
import rdflib

from cnamkg.errors import ValidationFailed
from cnamkg.pipeline.validate import validate
from cnamkg.web.app import create_app
from conftest import fixture_settings

P = (
    "@prefix ex: <http://example.org/vocab#> .\n"
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
SHAPE = P + (
    "ex:BookShape a sh:NodeShape ; sh:targetClass ex:Book ;\n"
    "    sh:property [ sh:path ex:title ; sh:datatype xsd:string ] .\n"
)
ID = "https://w3id.org/cnamkg/id/document/"
DATA_A = P + f'<{ID}book1> a ex:Book ; ex:title "Moby Dick"@en .\n'
DATA_B = P + f'<{ID}book2> a ex:Book ; ex:title "Moby Dick" .\n'
DATA_C = {
    "@id": f"{ID}book3",
    "@type": "http://example.org/vocab#Book",
    "http://example.org/vocab#title": {
        "@value": "Moby Dick",
        "@type": "http://www.w3.org/2001/XMLSchema#string",
    },
}
TITLE = "http://example.org/vocab#title"
DATATYPE_CC = "http://www.w3.org/ns/shacl#DatatypeConstraintComponent"


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    d = {name: tmp_path / name for name in ("data", "shapes", "ontology")}
    for p in d.values():
        p.mkdir()
    (d["shapes"] / "books.ttl").write_text(SHAPE, encoding="utf-8")
    (d["ontology"] / "books.ttl").write_text(
        P + 'ex:Book <http://www.w3.org/2000/01/rdf-schema#label> "Book"@en .\n', encoding="utf-8"
    )
    return d


def _write(d: dict[str, Path], name: str, text: str) -> Path:
    path = d["data"] / name
    path.write_text(text, encoding="utf-8")
    return path


def _validate(d, *paths):
    return validate(list(paths), shapes_dir=d["shapes"], ontology_dir=d["ontology"])


def test_a_language_tagged_title_is_one_violation(dirs):
    report = _validate(dirs, _write(dirs, "a.ttl", DATA_A))
    assert report.conforms is False
    assert len(report.violations) == 1
    v = report.violations[0]
    assert v.focus_node == f"{ID}book1"
    assert v.path == TITLE
    assert v.constraint == DATATYPE_CC
    assert v.severity == "http://www.w3.org/ns/shacl#Violation"
    assert v.value == '"Moby Dick"@en'
    assert v.data_file == dirs["data"] / "a.ttl"


def test_b_simple_literal_conforms(dirs):
    report = _validate(dirs, _write(dirs, "b.ttl", DATA_B))
    assert report.conforms is True
    assert report.violations == ()


def test_c_json_ld_typed_string_converted_to_turtle_conforms(dirs):
    g = rdflib.Graph().parse(data=json.dumps(DATA_C), format="json-ld")
    title = g.value(rdflib.URIRef(f"{ID}book3"), rdflib.URIRef(TITLE))
    assert title.datatype is None or title.datatype == rdflib.XSD.string
    report = _validate(dirs, _write(dirs, "c.ttl", g.serialize(format="turtle")))
    assert report.conforms is True
    assert report.violations == ()


def test_c_json_ld_through_pyshacl_directly():
    data = rdflib.Graph().parse(data=json.dumps(DATA_C), format="json-ld")
    shapes = rdflib.Graph().parse(data=SHAPE, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_explicit_xsd_string_in_turtle_conforms(dirs):
    text = P + f'<{ID}book4> a ex:Book ; ex:title "Moby Dick"^^xsd:string .\n'
    assert _validate(dirs, _write(dirs, "d.ttl", text)).conforms is True


@pytest.mark.parametrize(
    "literal",
    ['"Moby Dick"@en-GB', '"42"^^xsd:integer', "<http://e.org/x>", '"x"^^xsd:normalizedString'],
)
def test_other_non_string_values_violate(dirs, literal):
    text = P + f"<{ID}book5> a ex:Book ; ex:title {literal} .\n"
    report = _validate(dirs, _write(dirs, "e.ttl", text))
    assert report.conforms is False
    assert [(v.focus_node, v.path, v.constraint) for v in report.violations] == [
        (f"{ID}book5", TITLE, DATATYPE_CC)
    ]


def test_mixed_files_report_only_the_bad_one(dirs):
    a = _write(dirs, "a.ttl", DATA_A)
    b = _write(dirs, "b.ttl", DATA_B)
    report = _validate(dirs, a, b)
    assert not report.conforms
    assert [v.focus_node for v in report.violations] == [f"{ID}book1"]


def _settings(dirs):
    return fixture_settings(
        data_dir=dirs["data"], shapes_dir=dirs["shapes"], ontology_dir=dirs["ontology"]
    )


def test_gate_publishes_book2(dirs):
    _write(dirs, "b.ttl", DATA_B)
    c = create_app(_settings(dirs)).test_client()
    r = c.get("/id/document/book2", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    assert c.get(r.headers["Location"]).status_code == 200
    assert c.get("/id/document/book1").status_code == 404


def test_gate_refuses_book1(dirs):
    _write(dirs, "a.ttl", DATA_A)
    _write(dirs, "b.ttl", DATA_B)
    with pytest.raises(ValidationFailed) as info:
        create_app(_settings(dirs))
    report = info.value.report
    assert [v.focus_node for v in report.violations] == [f"{ID}book1"]
