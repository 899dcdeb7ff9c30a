"""``/validate``: SHACL validation as a service — anyone's RDF checked against our shapes.

``POST /validate`` takes Turtle, JSON-LD or N-Triples (as the request body with its media
type, or from the page's form), validates it against the shapes graph with the ontology
as pySHACL's ontology graph (W3C SHACL §3, no inference), and answers the validation
report (SHACL §3.6) in Turtle, JSON-LD or N-Triples by ``Accept`` (RFC 9110 §12.5.1), or
as a table for a browser. The uploaded data lives in a graph of its own for the length
of the request: nothing is written to the store. Bad input is refused before any
validation: 400 with the parser's message and position, 413 past the size limits, 415 for
a media type we do not read.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from cnamkg.errors import ShapesError
from cnamkg.pipeline.validate import Violation, results_of, without_focus
from cnamkg.pipeline.validation_runner import ValidationRunner
from cnamkg.query.sparql_terms import iri_ref
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import page_language
from cnamkg.representation.rdf import serialize_graph
from cnamkg.terms import from_rdflib, to_rdflib
from cnamkg.web import context
from cnamkg.web.errors import plain
from cnamkg.web.pages import html_page
from cnamkg.web.prefixes import prefixes
from cnamkg.web.protocol import ProtocolError, form_params, read_body

bp = Blueprint("validation", __name__)

#: Media types of a request body → the syntax it is parsed as.
BODY_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
#: The form's ``format`` choices → the syntax.
FORM_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "json-ld": ox.RdfFormat.JSON_LD,
    "n-triples": ox.RdfFormat.N_TRIPLES,
}
#: Most triples validated in one request: pySHACL takes about 5 s for 5,000 triples of
#: organisations on one core, and holds a worker meanwhile.
MAX_TRIPLES = 5_000
#: The formats of the report.
REPORT_FORMATS = (F.TURTLE, F.JSON_LD, F.N_TRIPLES, F.HTML)
SH = "http://www.w3.org/ns/shacl#"


def _upload() -> tuple[bytes, ox.RdfFormat, str, str]:
    """The data of the request: (bytes, syntax, text for the form, format name).

    :raises ProtocolError: 413 over the body limit, 415 for another media type, 400 for
        a form without data or with an unknown format.
    """
    limit = context.settings().max_body_bytes
    mimetype = request.mimetype
    coding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if coding != "identity":
        raise ProtocolError(415, f"a {coding}-encoded body: send it uncompressed")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        # RDF 1.1 Turtle §7, N-Triples §4 and JSON (RFC 8259 §8.1) are UTF-8
        raise ProtocolError(415, f"charset={charset}: RDF documents are read as UTF-8")
    if mimetype in BODY_FORMATS:
        body = read_body(request, limit)
        name = next(k for k, v in FORM_FORMATS.items() if v == BODY_FORMATS[mimetype])
        if not body.strip():
            raise ProtocolError(400, "no data to validate: the body is empty")
        return body, BODY_FORMATS[mimetype], "", name
    if mimetype == "application/x-www-form-urlencoded":
        raw = read_body(request, limit)
        try:
            fields = form_params(raw.decode("utf-8"), "the form body")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the form body is not UTF-8") from None
        if "data" not in fields:
            raise ProtocolError(
                400,
                "a form body without a 'data' field: send RDF with its Content-Type "
                f"({', '.join(sorted(BODY_FORMATS))}), or the form of /validate "
                "(curl -d sends a form: use -H 'Content-Type: text/turtle')",
            )
        data, name = fields["data"], fields.get("format", "turtle")
    elif mimetype == "multipart/form-data":
        if request.content_length is not None and request.content_length > limit:
            read_body(request, limit)  # 413, the body drained
        request.max_content_length = limit  # a chunked body too (werkzeug stops reading)
        try:
            upload = request.files.get("file")
            data = request.form.get("data", "")
        except RequestEntityTooLarge:
            raise ProtocolError(413, f"request body over {limit} bytes") from None
        if "boundary" not in request.mimetype_params:
            raise ProtocolError(400, "a multipart/form-data body without its boundary")
        if upload is not None and upload.filename:
            try:
                data = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"the file is not UTF-8 (byte {exc.start})") from None
        name = request.form.get("format", "turtle")
    else:
        offered = ", ".join(sorted(BODY_FORMATS))
        raise ProtocolError(
            415,
            f"cannot read {mimetype or 'a body without Content-Type'}: send {offered}, "
            "or the form of /validate",
        )
    if name not in FORM_FORMATS:
        raise ProtocolError(400, f"unknown format {name!r}: one of {', '.join(FORM_FORMATS)}")
    if not data.strip():
        raise ProtocolError(400, "no data to validate: paste RDF or choose a file")
    return data.encode("utf-8"), FORM_FORMATS[name], data, name


def _cut(message: str, most: int = 500) -> str:
    """A parser's message, its echo of a huge token cut short."""
    return message if len(message) <= most else message[:most] + "…"


def parse_upload(body: bytes, syntax: ox.RdfFormat) -> rdflib.Graph:
    """The triples of an uploaded document (of every graph of a JSON-LD dataset) as one
    rdflib graph, for pySHACL.

    :raises ProtocolError: 400 with the parser's message and position (line, column), for
        RDF 1.2 triple terms, for relative IRIs (no base IRI is assumed), and for JSON
        that is not an object or array; 413 past
        :data:`MAX_TRIPLES`.
    """
    graph = rdflib.Graph()
    if syntax == ox.RdfFormat.JSON_LD:
        try:
            top = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ProtocolError(400, f"the data is not JSON: {_cut(str(exc))}") from None
        except RecursionError:
            raise ProtocolError(400, "the JSON is nested too deeply") from None
        if not isinstance(top, dict | list):
            raise ProtocolError(
                400, "a JSON-LD document is a JSON object or array (JSON-LD 1.1 §9)"
            )
    try:
        for n, quad in enumerate(ox.parse(body, format=syntax), start=1):
            if n > MAX_TRIPLES:
                raise ProtocolError(413, f"more than {MAX_TRIPLES} triples: validate in parts")
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise ProtocolError(400, "RDF 1.2 triple terms are not supported")
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        raise ProtocolError(
            400, f"the data does not parse as {syntax.name}: {_cut(str(exc))}"
        ) from None
    return graph


def _form(lang: str, *, status: int = 200, **values: object) -> Response:
    page = dict(data="", format="turtle", error=None, report=None, conforms=None)
    page.update(values)
    return html_page(
        "validate.html",
        lang,
        status=status,
        headers={"Vary": "Accept, Accept-Language"},
        formats=list(FORM_FORMATS),
        max_bytes=context.settings().max_body_bytes,
        max_triples=MAX_TRIPLES,
        **page,
    )


@bp.route("/validate", methods=["GET"])
def form() -> Response:
    """The validation form: paste or choose a file, pick its syntax, submit."""
    negotiate(request.accept_mimetypes, (F.HTML,))
    lang = page_language(request.args.get("lang"), request.accept_languages)
    return _form(lang)


@bp.route("/validate", methods=["POST"])
def validate() -> Response:
    """Validate the uploaded data; answer the report in the negotiated format."""
    fmt = negotiate(request.accept_mimetypes, REPORT_FORMATS)
    lang = page_language(request.args.get("lang"), request.accept_languages)
    text, name = "", "turtle"
    try:
        body, syntax, text, name = _upload()
        data = parse_upload(body, syntax)
    except ProtocolError as exc:
        if fmt == F.HTML:
            return _form(lang, status=exc.status, data=text, format=name, error=exc.message)
        return plain(exc.status, exc.message)
    known = _published_types(data)
    runner: ValidationRunner = current_app.extensions["cnamkg.validation_runner"]
    try:
        conforms, report = runner.validate(data)  # QueryTimeout: 503, Retry-After
    except ShapesError as exc:  # our shapes, changed under a running server
        return plain(503, f"the shapes cannot be used: {exc}")
    except MemoryError:
        message = "validating this data needs more memory than a validation may use"
        if fmt == F.HTML:
            return _form(lang, status=413, data=text, format=name, error=message)
        return plain(413, message)
    if known:  # our entities are not on trial: only what the upload describes is
        conforms = without_focus(report, known)
    if fmt == F.HTML:
        results = sorted(results_of(report), key=_order)
        return _form(lang, data=text, format=name, conforms=conforms, report=results)
    triples = [
        ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for s, p, o in report
    ]
    body = serialize_graph(triples, fmt, {**prefixes(), "sh": SH})
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _published_types(data: rdflib.Graph) -> set[rdflib.term.Node]:
    """Add to ``data`` the ``rdf:type`` of each of our entities it links to without
    describing it (a unit of ``organization/cnam``, a statement sourced to one of our
    documents), as the store holds them, so that ``sh:class`` checks of those links see
    what the dataset says; nothing is written to the store.

    :return: the entities whose types were added: results about them are not the
        upload's and are dropped from its report.
    """
    prefix = context.settings().base_iri + "id/"
    described = set(data.subjects())
    linked = {
        o
        for o in data.objects()
        if isinstance(o, rdflib.URIRef) and str(o).startswith(prefix) and o not in described
    }
    if not linked:
        return set()
    values = " ".join(iri_ref(str(o)) for o in sorted(linked))
    text = f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t FILTER(isIRI(?t)) }}"
    added: set[rdflib.term.Node] = set()
    for row in context.store().query(text):  # type: ignore[union-attr]
        entity = rdflib.URIRef(row["s"].value)
        data.add((entity, rdflib.RDF.type, rdflib.URIRef(row["t"].value)))
        added.add(entity)
    return added


def _order(v: Violation) -> tuple[str, str, str]:
    return (v.focus_node, v.path or "", v.constraint)
