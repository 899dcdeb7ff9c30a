"""Domain errors, each carrying the location a user needs to fix the input.

Backends and pipeline stages translate library exceptions into these once, at their
boundary; :mod:`cnamkg.web.errors` maps them to HTTP status codes once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CnamkgError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass
class SourceSyntaxError(CnamkgError):
    """A source file (data, ontology or shapes) is not valid RDF.

    :param path: the file that failed to parse.
    :param line: 1-based line of the error.
    :param column: 1-based column, when the parser reports one.
    :param message: the parser's own message.
    """

    path: Path
    line: int
    column: int | None
    message: str

    def __str__(self) -> str:
        col = f":{self.column}" if self.column is not None else ""
        return f"{self.path}:{self.line}{col}: {self.message}"


class SourceMissingError(CnamkgError):
    """A source directory or file does not exist or holds no RDF file."""


class ShapesError(CnamkgError):
    """The SHACL shapes themselves are ill-formed (pySHACL cannot load or run them).

    :param message: pySHACL's explanation, naming the shape.
    """


class ValidationFailed(CnamkgError):
    """The data does not conform to the shapes; carries the report.

    :param report: a :class:`cnamkg.pipeline.validate.ValidationReport`.
    """

    def __init__(self, report: object) -> None:
        super().__init__("the data does not conform to the SHACL shapes")
        self.report = report


@dataclass
class QuerySyntaxError(CnamkgError):
    """A SPARQL query (or update sent as a query) does not parse.

    SPARQL 1.1 Protocol §2.1.7: a malformed query is answered 400.

    :param message: the parser's message, including the position (``line:column``).
    """

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class QueryRefused(CnamkgError):
    """A query is well-formed but refused by the public endpoint's policy.

    :param message: what was refused and why (e.g. ``SERVICE`` would make an outbound request).
    """

    message: str

    def __str__(self) -> str:
        return self.message


class QueryTooLarge(QueryRefused):
    """The query text is longer than the endpoint accepts (RFC 9110 §15.5.14, 413)."""


class QueryTooComplex(QueryRefused):
    """Evaluating the query crashed the evaluator process (e.g. a parser stack overflow on
    a long chain of operators): the query is refused (400) and the service goes on."""


class QueryTimeout(CnamkgError):
    """A query ran past the endpoint's wall-clock deadline and was stopped.

    SPARQL 1.1 Protocol §2.1.7 and RFC 9110 §15.6.4: answered 503.

    :param seconds: the deadline.
    :param what: what was stopped (``query``, ``validation``).
    """

    def __init__(self, seconds: float, what: str = "query") -> None:
        super().__init__(
            f"the {what} ran past this endpoint's deadline of {seconds:g} s and was stopped"
        )
        self.seconds = seconds
        self.what = what


class QueryFailed(CnamkgError):
    """A well-formed, allowed query failed while it was evaluated (a store fault).

    SPARQL 1.1 Protocol §2.1.7: a failure that is not the client's is a 5xx.
    """


class QueryUnsupported(CnamkgError):
    """A well-formed, allowed query that this store's engine cannot evaluate (the memory
    store's rdflib fails on some valid SPARQL): RFC 9110 §15.6.2, 501 Not Implemented,
    with the engine's message."""


class NotRepresentable(CnamkgError):
    """A result cannot be written in the requested format (e.g. an XML-illegal character
    in RDF/XML or SPARQL XML results, a predicate IRI with no XML QName).

    :param media_type: the format that cannot carry the result.
    :param reason: why.
    """

    def __init__(self, media_type: str, reason: str) -> None:
        super().__init__(f"{media_type} cannot represent this result: {reason}")
        self.media_type = media_type
        self.reason = reason


class StoreUnavailable(CnamkgError):
    """The store cannot be opened or read (missing, corrupted, locked)."""


class RemoteStoreError(StoreUnavailable):
    """A remote SPARQL endpoint serving as the store is down, timed out, failed or answered
    nonsense (HTTP 502 Bad Gateway, RFC 9110 §15.6.3: the message names the remote)."""
