"""The reconciliation service (issue 7 §2) over real HTTP, on each backend: every answer
validates against the JSON Schemas of the Reconciliation Service API 0.2 (vendored in
tests/data/reconciliation-0.2, W3C Entity Reconciliation CG final report), and a
small CSV of organisation names with spelling variants is reconciled as OpenRefine does
it: batches of 10 queries, POSTed as ``application/x-www-form-urlencoded`` ``queries``,
with the type chosen and ``type_strict: "should"``, and a column mapped to a property."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPECS = Path(__file__).parent.parent / "data" / "reconciliation-0.2"
SAMPLE = Path(__file__).parent.parent / "data" / "reconcile" / "organisations.csv"
ID = "https://w3id.org/cnamkg/id/"


def _validator(name: str) -> Draft7Validator:
    """A validator for one of the specification's schemas, its ``$ref`` to ``type.json``
    resolved from the same folder (the schemas name no meta-schema we could look up)."""
    schemas = {p.name: json.loads(p.read_text()) for p in SPECS.glob("*.json")}
    registry: Registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7))
        for s in schemas.values()
        if "$id" in s
    )
    return Draft7Validator(schemas[name], registry=registry)


def _valid(name: str, body: Any) -> Any:
    errors = sorted(_validator(name).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return body


def _openrefine_batches(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ``queries`` OpenRefine 3 sends for the sample: batches of 10, keys q0…q9, the
    chosen type with type_strict "should", a property only where the cell is not blank."""
    batches = []
    for start in range(0, len(rows), 10):
        batch = {}
        for i, row in enumerate(rows[start : start + 10]):
            query: dict[str, Any] = {
                "query": row["name"],
                "type": "organization",
                "type_strict": "should",
            }
            if row["website"]:
                query["properties"] = [{"pid": "schema:url", "v": row["website"]}]
            batch[f"q{i}"] = query
        batches.append(batch)
    return batches


def test_manifest_validates_and_names_our_spaces(live_server: str) -> None:
    r = requests.get(live_server + "/reconcile", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    manifest = _valid("manifest.json", r.json())
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == ID
    assert manifest["schemaSpace"] == "https://w3id.org/cnamkg/ontology#"
    kinds = [t["id"] for t in manifest["defaultTypes"]]
    assert kinds[:2] == ["organization", "project"] and "event" in kinds
    # the view and preview templates lead to this server's page and card of an entity
    view = manifest["view"]["url"].replace("{{id}}", "organization/cnam")
    page = requests.get(view, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "Cnam" in page.text
    card = requests.get(
        manifest["preview"]["url"].replace("{{id}}", "organization/cnam"), timeout=10
    )
    assert card.status_code == 200 and "Conservatoire national des arts et métiers" in card.text
    for what in ("entity", "type", "property"):
        service = manifest["suggest"][what]
        assert service["service_url"] == live_server


def test_openrefine_reconciles_the_sample_csv(live_server: str) -> None:
    """The sample's expected entity comes first for every name, flagged ``match`` exactly
    where the CSV says the service may be sure; a name we do not hold has no match."""
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    got: dict[str, dict[str, Any]] = {}
    for batch in _openrefine_batches(rows):
        _valid("reconciliation-query-batch.json", batch)  # what a client may send
        r = requests.post(live_server + "/reconcile", data={"queries": json.dumps(batch)})
        assert r.status_code == 200, r.text
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        answer = _valid("reconciliation-result-batch.json", r.json())
        assert set(answer) == set(batch)
        for key, query in batch.items():
            got[query["query"]] = answer[key]
    for row in rows:
        result = got[row["name"]]["result"]
        matched = [c for c in result if c["match"]]
        if row["expected"]:
            assert result[0]["id"] == row["expected"], (row["name"], result[:2])
            assert result[0]["match"] is (row["match"] == "true"), (row["name"], result[:2])
        else:
            assert not matched, (row["name"], result)
        assert len(matched) <= 1
        assert [c["score"] for c in result] == sorted((c["score"] for c in result), reverse=True)
    # the evidence is given: name similarity, type, the website where it was mapped
    am = got["Arts et Metiers"]["result"][0]
    features = {f["id"]: f["value"] for f in am["features"]}
    assert features == {"name": 1.0, "property:https://schema.org/url": 1.0, "type": True}
    assert am["type"] == [{"id": "organization", "name": "organisation"}]


def test_get_and_post_answer_alike_with_types_limits_and_properties(live_server: str) -> None:
    queries = {
        "byname": {"query": "sorbonne universite", "limit": 1},
        "typed": {"query": "Cnam", "type": ["project", "call"]},
        "strict-all": {
            "query": "Cnam",
            "type": ["organization", "org:FormalOrganization"],
            "type_strict": "all",
            "limit": 1,
        },
        # an identifier in a registry: schema:identifier [ schema:value "0753471R" ]
        "uai": {"properties": [{"pid": "schema:identifier", "v": "0753471R"}]},
        "by-id": {
            "query": "Cnam",
            "properties": [
                {"pid": "http://www.w3.org/ns/org#hasUnit", "v": {"id": "organization/ht2s"}}
            ],
        },
    }
    text = json.dumps(queries)
    got = requests.get(live_server + "/reconcile", params={"queries": text}, timeout=10)
    posted = requests.post(live_server + "/reconcile", data={"queries": text}, timeout=10)
    assert got.status_code == posted.status_code == 200
    assert got.json() == posted.json()
    answer = _valid("reconciliation-result-batch.json", got.json())
    assert [c["id"] for c in answer["byname"]["result"]] == ["organization/sorbonne-universite"]
    assert all(c["type"][0]["id"] in ("project", "call") for c in answer["typed"]["result"])
    assert not any(c["match"] for c in answer["typed"]["result"])
    assert [c["id"] for c in answer["strict-all"]["result"]] == ["organization/cnam"]
    uai = answer["uai"]["result"]
    assert [c["id"] for c in uai] == ["organization/cnam"] and uai[0]["match"] is True
    by_id = answer["by-id"]["result"][0]
    assert by_id["id"] == "organization/cnam" and by_id["score"] == 100.0


def test_suggest_services_validate(live_server: str) -> None:
    r = requests.get(live_server + "/reconcile/suggest/entity", params={"prefix": "sorb"})
    body = _valid("suggest-entities-response.json", r.json())
    assert body["result"][0]["id"] == "organization/sorbonne-universite"
    assert body["result"][0]["notable"] == [{"id": "organization", "name": "organisation"}]
    r = requests.get(
        live_server + "/reconcile/suggest/entity",
        params={"prefix": "universit", "type": "organization", "cursor": "1", "lang": "en"},
    )
    rest = _valid("suggest-entities-response.json", r.json())["result"]
    assert rest and all(e["notable"][0]["id"] == "organization" for e in rest)
    r = requests.get(live_server + "/reconcile/suggest/type", params={"prefix": "proj"})
    assert _valid("suggest-types-response.json", r.json())["result"] == [
        {"id": "project", "name": "projet"}
    ]
    r = requests.get(live_server + "/reconcile/suggest/property", params={"prefix": "coordin"})
    props = _valid("suggest-properties-response.json", r.json())["result"]
    assert "https://w3id.org/cnamkg/ontology#coordinator" in [p["id"] for p in props]
    for what in ("entity", "type", "property"):
        r = requests.get(live_server + f"/reconcile/suggest/{what}", params={"prefix": "zzzq"})
        assert r.status_code == 200 and r.json() == {"result": []}
        assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_preview_is_a_card_any_site_may_frame(live_server: str) -> None:
    r = requests.get(live_server + "/reconcile/preview", params={"id": "project/caire"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"]
    assert "<script" not in r.text and "CAIRE" in r.text and "/page/project/caire" in r.text
    assert (
        requests.get(live_server + "/reconcile/preview", params={"id": "project/nope"}).status_code
        == 404
    )
    assert requests.get(live_server + "/reconcile/preview").status_code == 400


def test_cors_preflight(live_server: str) -> None:
    r = requests.options(
        live_server + "/reconcile",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("queries", "says"),
    [
        ('{"q0": {"query": "Cnam"', "line 1, column"),
        ("[1, 2]", "JSON object"),
        ('{"q0": "Cnam"}', 'queries["q0"]'),
        ('{"q0": {"query": "Cnam", "lang": "fr"}}', "unknown field 'lang'"),
        ('{"q0": {"query": 3}}', 'queries["q0"].query'),
        ('{"q0": {"query": "Cnam", "limit": -1}}', ".limit"),
        ('{"q0": {"query": "Cnam", "type_strict": "most"}}', ".type_strict"),
        ('{"q0": {"query": "Cnam", "type": "organisation"}}', "unknown type 'organisation'"),
        ('{"q0": {"query": "Cnam", "properties": [{"pid": "schema:url"}]}}', ".properties[0]"),
        ('{"q0": {"type": "organization"}}', "'query' text or 'properties'"),
        (json.dumps({f"q{i}": {"query": "x"} for i in range(101)}), "at most 100 queries"),
        # break-it review: each of these was a 500
        ('{"q0": {"query": "cnam", "limit": 1e400}}', None),
        ('{"q0": {"query": "cnam", "limit": ' + "9" * 5000 + "}}", "not usable JSON"),
        ("[" * 100_000, "nested too deeply"),
        ('{"q0": {"query": "x", "properties": [{"pid": "a b", "v": "x"}]}}', ".pid"),
        ('{"\\ud800": {"query": "cnam"}}', "not usable JSON"),
        ('{"q0": {"query": "x", "type": "not an iri"}}', "unknown type"),
        (
            json.dumps({"q0": {"properties": [{"pid": "rdfs:label", "v": ["univ"] * 21}]}}),
            "at most 20 values",
        ),
        (json.dumps({"q0": {"query": "x" * 501}}), "at most 500 characters"),
    ],
)
def test_bad_queries_get_400_saying_where(live_server: str, queries: str, says: str | None) -> None:
    r = requests.post(live_server + "/reconcile", data={"queries": queries}, timeout=10)
    if says is None:  # a limit past the largest is the largest (Infinity included)
        assert r.status_code == 200 and r.json()["q0"]["result"][0]["id"] == "organization/cnam"
        return
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == "error" and says in body["message"], body
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_missing_queries_in_a_post_and_bad_suggest_parameters(live_server: str) -> None:
    assert requests.post(live_server + "/reconcile", data={}).status_code == 400
    r = requests.get(live_server + "/reconcile/suggest/entity")
    assert r.status_code == 400 and "prefix" in r.json()["message"]
    for cursor in ("x", "-1", "1_0", "1e3", "9" * 5000):
        r = requests.get(
            live_server + "/reconcile/suggest/entity", params={"prefix": "a", "cursor": cursor}
        )
        assert r.status_code == 400 and "cursor" in r.json()["message"], cursor


def test_identifiers_name_and_identify_candidates(live_server: str) -> None:
    """An identifier typed as the name finds its entity; an identifier column agreeing
    exactly makes its candidate the match even under a weak name; a column the candidate
    has no value for counts neither for nor against it."""
    queries = {
        "uai-as-name": {"query": "0753471R"},
        "ror-as-name": {"query": "https://ror.org/0175hh227"},
        "qid-as-name": {"query": "Q524289"},
        "weak-name-ror": {
            "query": "Sorbonne",
            "properties": [{"pid": "schema:identifier", "v": "02en5vm52"}],
        },
        "no-website": {
            "query": "Mistral AI",
            "properties": [{"pid": "schema:url", "v": "https://mistral.ai"}],
        },
    }
    r = requests.post(live_server + "/reconcile", data={"queries": json.dumps(queries)}, timeout=10)
    answer = _valid("reconciliation-result-batch.json", r.json())
    for key in ("uai-as-name", "ror-as-name", "qid-as-name"):
        first = answer[key]["result"][0]
        assert (first["id"], first["match"]) == ("organization/cnam", True), key
    weak = answer["weak-name-ror"]["result"][0]
    assert weak["id"] == "organization/sorbonne-universite" and weak["match"] is True
    assert weak["score"] < 90  # the name alone would not have been enough
    mistral = answer["no-website"]["result"][0]
    assert (mistral["id"], mistral["score"], mistral["match"]) == (
        "organization/mistral-ai",
        100.0,
        True,
    )
    assert [f["id"] for f in mistral["features"]] == ["name"]
