"""The OpenAPI 3.1 description of cnamkg's HTTP API, served at ``/openapi.json`` and
rendered as the ``/api`` page (issue 6 §2).

The document is built from the tables the app itself uses — the representations of
:mod:`cnamkg.representation.formats`, the kinds and slug pattern of :mod:`cnamkg.iris`,
the limits of :class:`cnamkg.settings.Settings` — so that it cannot drift from what the
routes serve. It states every status a route answers and the media types of each, as
schemathesis checks them against the live server (``tests/integration/test_openapi.py``).

Error bodies are plain text, or an HTML page for a client that prefers HTML on pages
(RFC 9110 §15.5: the content explains the error).
"""

from __future__ import annotations

from typing import Any

from cnamkg.iris import KINDS, SLUG_RE, EntityRef
from cnamkg.pipeline.dumps import LAYOUT, served_media_type
from cnamkg.representation import formats as F
from cnamkg.representation.i18n import LANGUAGES
from cnamkg.settings import Settings

#: The OpenAPI Specification version the document follows.
OPENAPI_VERSION = "3.1.0"

_STRING = {"type": "string"}
_TEXT = {"text/plain": {"schema": _STRING}}
_PAGE = {"text/html": {"schema": _STRING}}

#: SPARQL 1.1 Query Results JSON Format §3: ``head`` and either ``results`` or ``boolean``.
_RESULTS_JSON_SCHEMA = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {
            "type": "object",
            "properties": {
                "vars": {"type": "array", "items": _STRING},
                "link": {"type": "array", "items": _STRING},
            },
        },
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
        },
        "boolean": {"type": "boolean"},
    },
}


#: A JSON-LD document: a node object, a graph object or an array of them (JSON-LD 1.1 §9).
_JSON_LD = {"type": ["object", "array"]}


def _content(formats: tuple[F.Format, ...]) -> dict[str, Any]:
    """One media-type entry per format (JSON ones with a schema where we have one)."""
    out: dict[str, Any] = {}
    for f in formats:
        if f == F.RESULTS_JSON:
            out[f.media_type] = {"schema": _RESULTS_JSON_SCHEMA}
        elif f == F.JSON_LD:
            out[f.media_type] = {"schema": _JSON_LD}
        else:
            out[f.media_type] = {"schema": _STRING}
    return out


def _error(description: str, *, page: bool = True, **headers: str) -> dict[str, Any]:
    """An error answer: plain text, and an HTML page where browsers may get one."""
    out: dict[str, Any] = {
        "description": description,
        "content": {**_TEXT, **(_PAGE if page else {})},
    }
    if headers:
        out["headers"] = {
            name: {"description": d, "schema": _STRING} for name, d in headers.items()
        }
    return out


def _redirect(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Location": {"description": "The target URL.", "schema": _STRING}},
        # werkzeug's redirect carries a short HTML body naming the target
        "content": _PAGE,
    }


def _param(
    name: str, where: str, description: str, schema: dict[str, Any], **more: Any
) -> dict[str, Any]:
    return {"name": name, "in": where, "description": description, "schema": schema, **more}


_LANG = _param(
    "lang",
    "query",
    "Page language, one of "
    + ", ".join(LANGUAGES)
    + "; any other value (or none) leaves the choice to Accept-Language, French by default.",
    _STRING,
)
_PAGE_NUMBER = {"type": "string", "pattern": "^[1-9][0-9]{0,8}$"}


def _kind(example: EntityRef | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": list(KINDS)}
    if example:
        schema["examples"] = [example.kind]
    return _param("kind", "path", "Entity kind.", schema, required=True)


def _slug(example: EntityRef | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "pattern": f"^{SLUG_RE.pattern}$"}
    if example:
        schema["examples"] = [example.slug]
    return _param(
        "slug",
        "path",
        "Entity slug: lower-case ASCII letters and digits in groups joined by single "
        "hyphens (an upper-case variant of an existing entity's slug answers 301 to it).",
        schema,
        required=True,
    )


#: A conditional GET whose ``ETag`` (per dataset version) still matches.
_NOT_MODIFIED = {
    "description": "Not modified: the `If-None-Match` tag, or `If-Modified-Since`, still "
    "matches the dataset version served.",
}

#: Any route: RFC 9110 §7.2.
_BAD_HOST = _error("The Host header is missing or not a valid host.", page=False)

_UNAVAILABLE = _error(
    "The store cannot be read (a remote engine that is down, a store being replaced).",
    **{"Retry-After": "Seconds to wait."},
)
_NOT_ACCEPTABLE = _error(
    "None of the representations fits Accept (RFC 9110 §15.5.7); the body lists them."
)


def _get(
    summary: str,
    description: str,
    operation_id: str,
    responses: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    tag: str,
    store: bool = True,
    cached: bool = True,
) -> dict[str, Any]:
    """A GET operation; ``store`` adds the 503 every route reading the store may give,
    ``cached`` the 304 of a revalidated 200 (RFC 9110 §13.1.2, §15.4.5)."""
    all_responses = dict(responses)
    all_responses.setdefault("400", _BAD_HOST)
    if "200" in responses and cached:
        all_responses["304"] = _NOT_MODIFIED
    if store:
        all_responses.setdefault("503", _UNAVAILABLE)
    op: dict[str, Any] = {
        "summary": summary,
        "description": description,
        "operationId": operation_id,
        "tags": [tag],
        "responses": all_responses,
    }
    if parameters:
        op["parameters"] = parameters
    return op


def _sparql_responses(settings: Settings) -> dict[str, Any]:
    answers = _content((*F.RESULTS_FORMATS, *F.GRAPH_RESULT_FORMATS, F.HTML))
    return {
        "200": {
            "description": "SELECT and ASK: results (SPARQL 1.1 Query Results JSON, XML, "
            "CSV, TSV); CONSTRUCT and DESCRIBE: a graph (Turtle, JSON-LD, N-Triples, "
            "RDF/XML, N-Quads, TriG); with no query, the service description (SPARQL 1.1 "
            "Service Description) or, for a browser, the query editor. Results stream as "
            "they are computed.",
            "content": answers,
        },
        "400": _error(
            "Malformed query (with its line and column), a query refused by the public "
            "policy (SERVICE, LOAD or other updates, more than "
            f"{settings.max_query_depth} nested groups, a graph that is not ours), or a "
            "malformed protocol request (SPARQL 1.1 Protocol §2.1.7)."
        ),
        "406": _NOT_ACCEPTABLE,
        "413": _error(
            f"A query over {settings.max_query_bytes} bytes, or a body over "
            f"{settings.max_body_bytes} bytes."
        ),
        "414": {
            "description": f"A request line over {settings.max_request_line_bytes} bytes: "
            "send the query by POST. Refused by the HTTP server itself (gunicorn's page).",
            "content": _PAGE,
        },
        "501": _error("Valid SPARQL the store's engine cannot evaluate.", page=False),
        "502": _error(
            "The remote engine behind this endpoint failed.", **{"Retry-After": "Seconds."}
        ),
        "503": _error(
            f"The query ran past its deadline ({settings.query_deadline_s:g} s) and was "
            "stopped, or the store cannot be read.",
            **{"Retry-After": "Seconds to wait."},
        ),
    }


#: The example query of the endpoint's operations.
_EXAMPLE_QUERY = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


def _sparql(settings: Settings) -> dict[str, Any]:
    graphs = {
        "default-graph-uri": "IRI of a graph whose merge is the default graph "
        "(SPARQL 1.1 Protocol §2.1.4); repeatable.",
        "named-graph-uri": "IRI of a named graph of the dataset; repeatable.",
    }
    graph_params = [
        _param(
            name,
            "query",
            text,
            {"type": "array", "items": {"type": "string", "format": "iri"}},
            style="form",
            explode=True,
        )
        for name, text in graphs.items()
    ]
    fmt = _param(
        "format",
        "query",
        "Result format by name or media type, overriding Accept (as Fuseki and Virtuoso "
        "accept): json, xml, csv, tsv, ttl, jsonld, nt, rdf, nq, trig; `output` is a synonym.",
        _STRING,
    )
    description = (
        "The SPARQL 1.1 query operation (SPARQL 1.1 Protocol §2.1) over the whole dataset: "
        "the default graph is the union of the named graphs, one per source document. "
        f"Queries are stopped at {settings.query_deadline_s:g} s. The endpoint is read-only: "
        "updates, LOAD and SERVICE are refused."
    )
    form_schema = {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {
                "type": "string",
                "minLength": 1,
                "description": "The SPARQL query.",
                "examples": [_EXAMPLE_QUERY],
            },
            **{
                name: {"type": "array", "items": {"type": "string", "format": "iri"}}
                for name in graphs
            },
        },
    }
    return {
        "get": _get(
            "Query with GET (or read the service description)",
            description + " Without `query`, the service description or the query editor.",
            "sparqlGet",
            _sparql_responses(settings),
            parameters=[
                _param(
                    "query",
                    "query",
                    "The SPARQL query (SPARQL 1.1 Query Language §19: the grammar).",
                    {**_STRING, "minLength": 1, "examples": [_EXAMPLE_QUERY]},
                ),
                *graph_params,
                fmt,
                _param("output", "query", "A synonym of `format` (Fuseki's name).", _STRING),
            ],
            tag="SPARQL",
            store=False,
        ),
        "post": {
            "summary": "Query with POST",
            "description": description
            + " The query goes in a form (`application/x-www-form-urlencoded`, §2.1.2) "
            "or is the body itself (`application/sparql-query`, §2.1.3); other body types "
            "get 415.",
            "operationId": "sparqlPost",
            "tags": ["SPARQL"],
            "parameters": graph_params,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": form_schema,
                        "encoding": {name: {"style": "form", "explode": True} for name in graphs},
                    },
                    "application/sparql-query": {
                        "schema": {**_STRING, "minLength": 1, "examples": [_EXAMPLE_QUERY]}
                    },
                },
            },
            "responses": {
                **_sparql_responses(settings),
                "415": _error(
                    "A body that is neither a form nor application/sparql-query, or a "
                    "compressed one.",
                    page=False,
                ),
            },
        },
    }


def _entities(example: EntityRef | None) -> dict[str, Any]:
    not_found = _error("No entity has this IRI.")
    moved = _redirect("A variant of the canonical URL (upper case, trailing slash).")
    rdf = _content(F.RDF_FORMATS)
    return {
        "/id/{kind}/{slug}": {
            "get": _get(
                "Dereference an entity IRI",
                "The entity's IRI: 303 See Other to its page (HTML) or its description "
                "(RDF), chosen by Accept (Cool URIs for the Semantic Web §4.3).",
                "entityIdentifier",
                {
                    "301": moved,
                    "303": _redirect("To `/page/{kind}/{slug}` or `/data/{kind}/{slug}.{ext}`."),
                    "404": not_found,
                    "406": _NOT_ACCEPTABLE,
                },
                parameters=[_kind(example), _slug(example), _LANG],
                tag="Entities",
            )
        },
        "/page/{kind}/{slug}": {
            "get": _get(
                "An entity's page",
                "The entity's HTML page: its statements, incoming links (50 per property; "
                "`via` and `page` show the next ones), neighbourhood picture, sources, and "
                "its description embedded as JSON-LD.",
                "entityPage",
                {
                    "200": {"description": "The page.", "content": _PAGE},
                    "301": moved,
                    "404": _error("No entity has this IRI, or `via`/`page` name no page of links."),
                },
                parameters=[
                    _kind(example),
                    _slug(example),
                    _LANG,
                    _param("via", "query", "IRI of a property linking to the entity.", _STRING),
                    _param(
                        "page", "query", "Page of the `via` links (1 by default).", _PAGE_NUMBER
                    ),
                ],
                tag="Entities",
            )
        },
        "/data/{kind}/{name}": {
            "get": _get(
                "An entity's description in RDF",
                "The entity's triples (outgoing, incoming, and the blank nodes they reach) "
                "in the format named by the extension, or by Accept without one.",
                "entityData",
                {
                    "200": {"description": "The description.", "content": rdf},
                    "301": moved,
                    "404": _error("No entity has this IRI, or an unknown extension."),
                    "406": _NOT_ACCEPTABLE,
                },
                parameters=[
                    _kind(example),
                    _param(
                        "name",
                        "path",
                        "The slug, optionally followed by an extension: "
                        + ", ".join(f".{f.extension}" for f in F.RDF_FORMATS)
                        + ".",
                        {
                            "type": "string",
                            "pattern": f"^{SLUG_RE.pattern}"
                            f"(\\.({'|'.join(f.extension for f in F.RDF_FORMATS)}))?$",
                            **(
                                {"examples": [example.slug, f"{example.slug}.ttl"]}
                                if example
                                else {}
                            ),
                        },
                        required=True,
                    ),
                ],
                tag="Entities",
            )
        },
    }


def _browse(example: EntityRef | None) -> dict[str, Any]:
    page = {"description": "The page.", "content": _PAGE}
    hit = {
        "type": "object",
        "required": ["iri", "kind", "label", "matched", "page"],
        "properties": {
            "iri": _STRING,
            "kind": {"type": "string", "enum": list(KINDS)},
            "label": _STRING,
            "matched": {**_STRING, "description": "The label or alternate label that matched."},
            "page": _STRING,
        },
    }
    return {
        **{
            path: {"get": _get(summary, text, op, {"200": page}, parameters=[_LANG], tag="Pages")}
            for path, summary, op, text in (
                (
                    "/",
                    "Home",
                    "home",
                    "What the dataset holds: counts per kind, newest and most linked "
                    "entities, example queries.",
                ),
                (
                    "/funding",
                    "Funding",
                    "funding",
                    "Programmes, the calls they open, the projects selected in each call and "
                    "their consortium, coordinator first, from SPARQL over the store.",
                ),
                (
                    "/timeline",
                    "Timeline",
                    "timeline",
                    "The dated facts of the dataset by year (foundings, starts, launches, "
                    "selections, announcements), from SPARQL over the store.",
                ),
                (
                    "/about",
                    "About the dataset",
                    "about",
                    "What the dataset is, its sources, licence, how to cite, query, "
                    "reconcile and download it.",
                ),
            )
        },
        "/search": {
            "get": _get(
                "Search labels",
                "Entities whose label or alternate label contains the words of `q`, "
                "ignoring case and accents: a page, or JSON for `Accept: application/json`.",
                "search",
                {
                    "200": {
                        "description": "The matches.",
                        "content": {
                            **_PAGE,
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["query", "results"],
                                    "properties": {
                                        "query": _STRING,
                                        "results": {"type": "array", "items": hit},
                                    },
                                }
                            },
                        },
                    },
                    "406": _NOT_ACCEPTABLE,
                },
                parameters=[
                    _param("q", "query", "Words to look for (first 200 characters).", _STRING),
                    _LANG,
                ],
                tag="Pages",
            )
        },
        "/{kind}": {
            "get": _get(
                "The entities of one kind",
                "Sorted by label in the page language, 100 per page.",
                "kindList",
                {"200": page, "404": _error("No such kind, or a page past the last.")},
                parameters=[
                    _kind(example),
                    _LANG,
                    _param("page", "query", "Page number (1 by default).", _PAGE_NUMBER),
                ],
                tag="Pages",
            )
        },
        "/{kind}/": {
            "get": _get(
                "A list's URL with a trailing slash",
                "301 to the list without the slash (one URL per resource).",
                "kindListSlash",
                {"301": _redirect("To `/{kind}`."), "404": _error("No such kind.")},
                parameters=[_kind(example)],
                tag="Pages",
                store=False,
            )
        },
    }


def _rdf_document(
    path: str, summary: str, text: str, operation_id: str, formats: tuple[F.Format, ...]
) -> dict[str, Any]:
    """A document served as a page or in RDF by Accept at ``path``, and in the RDF format
    its extension names at ``path.{ext}``."""
    rdf = _content(formats)
    ext = {"type": "string", "enum": [f.extension for f in formats]}
    return {
        path: {
            "get": _get(
                summary,
                text,
                operation_id,
                {
                    "200": {"description": summary + ".", "content": {**_PAGE, **rdf}},
                    "406": _NOT_ACCEPTABLE,
                },
                parameters=[_LANG],
                tag="Dataset",
            )
        },
        path + ".{ext}": {
            "get": _get(
                summary + " in a named format",
                f"As `{path}`, in the RDF format of the extension.",
                operation_id + "ByExtension",
                {
                    "200": {"description": summary + ".", "content": rdf},
                    "404": _error("Unknown extension."),
                },
                parameters=[_param("ext", "path", "Format extension.", ext, required=True)],
                tag="Dataset",
            )
        },
    }


def _dataset() -> dict[str, Any]:
    rdf = _content(F.RDF_FORMATS)
    ext = {"type": "string", "enum": [f.extension for f in F.RDF_FORMATS]}
    dump = {
        "type": "object",
        "required": ["name", "media_type", "size", "sha256", "url"],
        "properties": {
            "name": _STRING,
            "media_type": _STRING,
            "encoding": {"type": ["string", "null"]},
            "size": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "url": _STRING,
        },
    }
    void = _get(
        "VoID and DCAT description of the dataset",
        "Counts, class and property partitions, linksets, dumps, the SPARQL endpoint "
        "(VoID §7.2, the well-known location).",
        "void",
        {"200": {"description": "The description.", "content": rdf}, "406": _NOT_ACCEPTABLE},
        tag="Dataset",
    )
    void_ext = _get(
        "VoID description in a named format",
        "As `/.well-known/void`, in the format of the extension.",
        "voidByExtension",
        {
            "200": {"description": "The description.", "content": rdf},
            "404": _error("Unknown extension.", page=False),
        },
        parameters=[_param("ext", "path", "Format extension.", ext, required=True)],
        tag="Dataset",
    )
    return {
        "/dataset": {
            "get": _get(
                "The dataset's IRI",
                "303 to the home page (HTML) or the VoID description (RDF) by Accept.",
                "dataset",
                {"303": _redirect("To `/` or `/.well-known/void.{ext}`."), "406": _NOT_ACCEPTABLE},
                tag="Dataset",
                store=False,
            )
        },
        "/.well-known/void": {"get": void},
        "/.well-known/void.{ext}": {"get": void_ext},
        **_rdf_document(
            "/ontology",
            "The ontology",
            "Its classes and properties documented in HTML (labels, alignments, the SHACL "
            "shapes constraining them), or the ontology in RDF by Accept.",
            "ontology",
            F.RDF_FORMATS,
        ),
        **_rdf_document(
            "/shapes",
            "The SHACL shapes",
            "What each shape requires, in HTML, or the shapes graph in RDF by Accept: the "
            "shapes our data is validated against, and `/validate` checks uploads against.",
            "shapes",
            F.SHAPES_FORMATS,
        ),
        "/dumps/": {
            "get": _get(
                "Whole-dataset dumps",
                "Each dump's name, media type, size and SHA-256: JSON, or a page.",
                "dumps",
                {
                    "200": {
                        "description": "The list.",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": dump}},
                            **_PAGE,
                        },
                    },
                    "406": _NOT_ACCEPTABLE,
                },
                parameters=[_LANG],
                tag="Dataset",
            )
        },
        "/dumps": {
            "get": _get(
                "The dumps' list without its slash",
                "308 to `/dumps/`.",
                "dumpsNoSlash",
                {"308": _redirect("To `/dumps/`.")},
                tag="Dataset",
                store=False,
            )
        },
        "/dumps/{name}": {
            "get": _get(
                "One dump file",
                "The union graph as Turtle and gzipped N-Triples, the named graphs as "
                "gzipped N-Quads and as JSON-LD.",
                "dump",
                {
                    "200": {
                        "description": "The file.",
                        "content": {
                            served_media_type(media_type, encoding): {
                                "schema": _JSON_LD
                                if media_type == F.JSON_LD.media_type
                                else _STRING
                            }
                            for _, media_type, encoding in LAYOUT
                        },
                    },
                    "404": _error("No such dump."),
                },
                parameters=[
                    _param(
                        "name",
                        "path",
                        "File name, as listed by `/dumps/`.",
                        {**_STRING, "examples": [name for name, _, _ in LAYOUT]},
                        required=True,
                    )
                ],
                tag="Dataset",
            )
        },
        "/sitemap.xml": {
            "get": _get(
                "Sitemap",
                "Every page for people, in both languages (sitemaps.org protocol 0.9).",
                "sitemap",
                {
                    "200": {
                        "description": "The sitemap.",
                        "content": {"application/xml": {"schema": _STRING}},
                    }
                },
                tag="Dataset",
            )
        },
        "/robots.txt": {
            "get": _get(
                "Robots exclusion",
                "Crawlers may read every page but the SPARQL endpoint.",
                "robots",
                {"200": {"description": "The rules.", "content": _TEXT}},
                tag="Dataset",
                store=False,
            )
        },
    }


def _operations() -> dict[str, Any]:
    status = {
        "type": "object",
        "required": ["status"],
        "properties": {"status": _STRING},
    }
    ready = {
        "type": "object",
        "required": ["status", "cache"],
        "properties": {
            "status": {"type": "string", "enum": ["ready", "unavailable"]},
            "version": _STRING,
            "built_at": {"type": ["string", "null"]},
            "reason": _STRING,
            "cache": {"type": "object"},
        },
    }
    json_of = {"application/json": {"schema": ready}}
    return {
        "/healthz": {
            "get": _get(
                "Liveness",
                "200 while the process is up; does not read the store.",
                "healthz",
                {
                    "200": {
                        "description": "Up.",
                        "content": {"application/json": {"schema": status}},
                    }
                },
                tag="Operations",
                store=False,
                cached=False,
            )
        },
        "/readyz": {
            "get": _get(
                "Readiness",
                "200 with the dataset version served and the answer cache's counts when the "
                "store answers `ASK {}`; 503 otherwise.",
                "readyz",
                {
                    "200": {"description": "Ready.", "content": json_of},
                    "503": {"description": "The store does not answer.", "content": json_of},
                },
                tag="Operations",
                store=False,
                cached=False,
            )
        },
        "/openapi.json": {
            "get": _get(
                "This description",
                "The OpenAPI description of the HTTP API.",
                "openapi",
                {
                    "200": {
                        "description": "OpenAPI 3.1.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
                tag="Operations",
            )
        },
        "/api": {
            "get": _get(
                "API documentation",
                "This description as a page.",
                "apiDocs",
                {"200": {"description": "The page.", "content": _PAGE}},
                parameters=[_LANG],
                tag="Operations",
            )
        },
    }


#: An error of the reconciliation service: JSON, as its clients read every answer.
_RECONCILE_ERROR = {
    "description": "Malformed parameters: the message says which and where.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {"status": {"const": "error"}, "message": _STRING},
            }
        },
        **_TEXT,
    },
}
_RECONCILE_TYPE = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string", "enum": list(KINDS)}, "name": _STRING},
}
_SERVICE = {
    "type": "object",
    "required": ["service_url", "service_path"],
    "properties": {"service_url": _STRING, "service_path": _STRING},
}
_MANIFEST = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": _STRING},
        "name": _STRING,
        "identifierSpace": _STRING,
        "schemaSpace": _STRING,
        "view": {"type": "object", "required": ["url"], "properties": {"url": _STRING}},
        "preview": {
            "type": "object",
            "required": ["url", "width", "height"],
            "properties": {
                "url": _STRING,
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
        },
        "defaultTypes": {"type": "array", "items": _RECONCILE_TYPE},
        "suggest": {
            "type": "object",
            "properties": {k: _SERVICE for k in ("entity", "type", "property")},
        },
    },
}
_CANDIDATE = {
    "type": "object",
    "required": ["id", "name", "score", "match", "type", "features"],
    "properties": {
        "id": {**_STRING, "description": "The entity IRI after `{base}id/`."},
        "name": _STRING,
        "description": _STRING,
        "score": {"type": "number", "minimum": 0, "maximum": 100},
        "match": {"type": "boolean"},
        "type": {"type": "array", "items": _RECONCILE_TYPE},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "value"],
                "properties": {"id": _STRING, "value": {"type": ["number", "boolean"]}},
            },
        },
    },
}
_RESULT_BATCH = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": _CANDIDATE}},
    },
}


def _suggest_result(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": item}},
    }


def _reconcile() -> dict[str, Any]:
    """The Reconciliation Service API 0.2 (W3C Entity Reconciliation CG) routes."""
    queries_text = (
        "A JSON object of reconciliation queries by key (Reconciliation API 0.2 §3.1): "
        'each `{"query": text, "type": kind or [kinds], "type_strict": any|should|all, '
        '"limit": n, "properties": [{"pid": property IRI or prefixed name, '
        '"v": value or {"id": entity id}}]}`; at most 100 queries.'
    )
    example = '{"q0": {"query": "Conservatoire national des arts et métiers"}}'
    answers = {
        "200": {
            "description": "Without `queries`: the service manifest. With them: the "
            "candidates of each query, best first; `match` is true for a candidate scoring "
            "90 or more that leads the next by 10 points or more.",
            "content": {"application/json": {"schema": {"oneOf": [_MANIFEST, _RESULT_BATCH]}}},
        },
        "400": _RECONCILE_ERROR,
    }
    prefix = _param("prefix", "query", "The text typed so far.", _STRING, required=True)
    cursor = _param(
        "cursor",
        "query",
        "How many results to skip (pages of 10).",
        {"type": "integer", "minimum": 0, "maximum": 999_999_999, "default": 0},
    )
    suggest_item = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": _STRING, "name": _STRING, "description": _STRING},
    }
    entity_item = {
        **suggest_item,
        "properties": {
            **suggest_item["properties"],
            "notable": {"type": "array", "items": _RECONCILE_TYPE},
        },
    }

    def suggest(what: str, text: str, item: dict[str, Any], *extra: dict[str, Any]) -> Any:
        return {
            "get": _get(
                f"Suggest {what}",
                text,
                f"suggest{what.capitalize()}",
                {
                    "200": {
                        "description": "Matches, best first.",
                        "content": {"application/json": {"schema": _suggest_result(item)}},
                    },
                    "400": _RECONCILE_ERROR,
                },
                parameters=[prefix, cursor, *extra, _LANG],
                tag="Reconciliation",
            )
        }

    return {
        "/reconcile": {
            "get": _get(
                "Reconciliation service",
                "The manifest (no `queries`), or candidates for `queries` "
                "(Reconciliation Service API 0.2, as OpenRefine calls it).",
                "reconcile",
                answers,
                parameters=[
                    _param("queries", "query", queries_text, {**_STRING, "examples": [example]}),
                    _LANG,
                ],
                tag="Reconciliation",
            ),
            "post": {
                "summary": "Reconcile a batch of queries",
                "description": "As GET with `queries`, in a form body.",
                "operationId": "reconcilePost",
                "tags": ["Reconciliation"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["queries"],
                                "properties": {"queries": {**_STRING, "description": queries_text}},
                            }
                        }
                    },
                },
                "responses": {
                    **answers,
                    "413": _error("A body over the size limit.", page=False),
                    "503": _UNAVAILABLE,
                },
            },
        },
        "/reconcile/suggest/entity": suggest(
            "entity",
            "Entities whose names contain `prefix`, ignoring case and accents.",
            entity_item,
            _param(
                "type",
                "query",
                "Only entities of this kind.",
                {"type": "string", "enum": list(KINDS)},
            ),
        ),
        "/reconcile/suggest/type": suggest(
            "type",
            "Kinds whose id or name contains `prefix`.",
            {**suggest_item, "properties": _RECONCILE_TYPE["properties"]},
        ),
        "/reconcile/suggest/property": suggest(
            "property",
            "Properties of the ontology graph whose label or prefixed name contains `prefix`; "
            "`description` is the prefixed name.",
            suggest_item,
        ),
        "/reconcile/preview": {
            "get": _get(
                "Entity card",
                "A small HTML card of an entity (name, kind, description, other names), "
                "which any site may frame.",
                "reconcilePreview",
                {
                    "200": {"description": "The card.", "content": _PAGE},
                    "400": _RECONCILE_ERROR,
                    "404": _error("No entity has this id."),
                },
                parameters=[
                    _param(
                        "id",
                        "query",
                        "An entity id: the IRI after `{base}id/`.",
                        {
                            "type": "string",
                            "pattern": f"^({'|'.join(KINDS)})/{SLUG_RE.pattern}$",
                            "examples": ["organization/cnam"],
                        },
                        required=True,
                    ),
                    _LANG,
                ],
                tag="Reconciliation",
            )
        },
    }


def _validation(settings: Settings) -> dict[str, Any]:
    """``/validate``: SHACL validation of uploaded data (W3C SHACL §3.6 reports)."""
    report = {
        "text/turtle": {"schema": _STRING},
        "application/ld+json": {"schema": _JSON_LD},
        "application/n-triples": {"schema": _STRING},
        **_PAGE,
    }
    form = {
        "type": "object",
        "properties": {
            "data": {**_STRING, "description": "The RDF document."},
            "format": {"type": "string", "enum": ["turtle", "json-ld", "n-triples"]},
        },
    }
    document = {**_STRING, "description": "The RDF document."}
    return {
        "/validate": {
            "get": _get(
                "Validation form",
                "A page to paste or choose an RDF document and validate it.",
                "validateForm",
                {"200": {"description": "The form.", "content": _PAGE}, "406": _NOT_ACCEPTABLE},
                parameters=[_LANG],
                tag="Validation",
                store=False,
            ),
            "post": {
                "summary": "Validate RDF against our shapes",
                "description": "The SHACL validation report (W3C SHACL §3.6) of the body "
                "against our shapes and ontology, in Turtle, JSON-LD or N-Triples by Accept, "
                "or as a page with a table; 200 whether the data conforms or not "
                f"(`sh:conforms`). At most {settings.max_body_bytes} bytes and 5000 "
                "triples; a remote JSON-LD context is never fetched. Nothing is stored.",
                "operationId": "validate",
                "tags": ["Validation"],
                "parameters": [_LANG],
                "requestBody": {
                    "required": True,
                    "content": {
                        "text/turtle": {"schema": document},
                        "application/ld+json": {"schema": _JSON_LD},
                        "application/n-triples": {"schema": document},
                        "application/x-www-form-urlencoded": {"schema": form},
                        "multipart/form-data": {
                            "schema": {
                                **form,
                                "properties": {
                                    **form["properties"],
                                    "file": {"type": "string", "format": "binary"},
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "200": {"description": "The validation report.", "content": report},
                    "400": _error(
                        "The data does not parse (the parser's message and position), or "
                        "the form holds no data."
                    ),
                    "406": _NOT_ACCEPTABLE,
                    "413": _error("Over the size or triple limit."),
                    "415": _error("A media type we do not read.", page=False),
                },
            },
        },
    }


def openapi_document(
    settings: Settings, *, server_url: str | None = None, example: EntityRef | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the HTTP API (OpenAPI Specification 3.1.0).

    :param settings: the instance's settings (limits and deadline are stated in it).
    :param server_url: the URL the API is served at, listed in ``servers``; ``None``
        leaves ``servers`` out (relative to where the document was read).
    :param example: an entity of the dataset, given as the example of the entity routes'
        ``kind`` and ``slug`` (so that readers and tools try an IRI that exists).
    :return: the document as JSON-ready dicts and lists.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        app_version = version("cnamkg")
    except PackageNotFoundError:  # a source tree that was not installed
        app_version = "0"
    doc: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "cnamkg",
            "version": app_version,
            "summary": "Linked open data about the French public AI landscape around the Cnam.",
            "description": "A read-only SPARQL 1.1 endpoint and dereferenceable entities "
            f"under {settings.base_iri}: every entity IRI `{settings.base_iri}id/{{kind}}/"
            "{slug}` is served at `/id/{kind}/{slug}` on this host. Every answer allows "
            "any origin (CORS); nothing needs credentials; `OPTIONS` on any path answers "
            "the CORS preflight, and a method a path does not offer gets 405 with `Allow`. "
            "GET answers carry an `ETag` per dataset version and answer 304 to a matching "
            "`If-None-Match`. The HTTP server refuses malformed requests, a request line "
            f"over {settings.max_request_line_bytes} bytes (414) and a header field over "
            f"{settings.max_header_bytes} bytes (431) itself, with its own short page.",
        },
        "tags": [
            {"name": name, "description": text}
            for name, text in (
                ("SPARQL", "The query endpoint (SPARQL 1.1 Protocol)."),
                ("Entities", "Dereferenceable entities (Cool URIs): IRI, page, RDF."),
                ("Pages", "Pages for people."),
                ("Dataset", "The dataset as a whole: VoID, ontology, dumps."),
                ("Reconciliation", "Reconciliation Service API 0.2, for OpenRefine."),
                ("Validation", "SHACL validation of your own RDF against our shapes."),
                ("Operations", "Health, readiness, this description."),
            )
        ],
        "paths": {
            "/sparql": _sparql(settings),
            **_entities(example),
            **_browse(example),
            **_dataset(),
            **_reconcile(),
            **_validation(settings),
            **_operations(),
        },
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
