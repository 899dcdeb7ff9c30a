"""Write SPARQL SELECT/ASK results with pyoxigraph's writers.

JSON (SPARQL 1.1 Query Results JSON Format), XML (SPARQL Query Results XML Format), CSV
and TSV (SPARQL 1.1 Query Results CSV and TSV Formats: CSV lossy with RFC 4180 quoting
and CRLF, TSV with terms in Turtle syntax). XML cannot carry characters outside XML 1.0
``Char``: such a result raises :class:`cnamkg.errors.NotRepresentable` (field case BUG-11).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pyoxigraph as ox

from cnamkg.representation.formats import OXIGRAPH_RESULTS, RESULTS_XML, Format
from cnamkg.representation.rdf import check_xml_text, escape_cr


class _Sink:
    """A file-like object pyoxigraph writes to; each write goes to ``emit`` at once."""

    def __init__(self, emit: Callable[[bytes], None], fmt: Format) -> None:
        self._emit = emit
        self._fmt = fmt

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        if self._fmt == RESULTS_XML:
            check_xml_text([chunk.decode("utf-8", "replace")], self._fmt.media_type)
            chunk = escape_cr(chunk)
        self._emit(chunk)
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def write_results(
    result: ox.QuerySolutions | ox.QueryBoolean, fmt: Format, emit: Callable[[bytes], None]
) -> None:
    """Stream a SELECT or ASK result: pyoxigraph serialises solution by solution and each
    chunk (about 8 KB) is handed to ``emit`` as it is produced, so memory stays bounded
    whatever the number of rows.

    :raises NotRepresentable: (XML) a chunk holds an XML-illegal character; the chunks
        before it have been emitted already.
    """
    result.serialize(_Sink(emit, fmt), format=OXIGRAPH_RESULTS[fmt])


def serialize_results(result: ox.QuerySolutions | ox.QueryBoolean, fmt: Format) -> bytes:
    """Serialise a SELECT or ASK result.

    :param result: from :meth:`cnamkg.store.base.Store.query`.
    :param fmt: one of :data:`cnamkg.representation.formats.RESULTS_FORMATS`.
    :return: the document as bytes.
    :raises NotRepresentable: (XML) a value holds an XML-illegal character.
    """
    out = io.BytesIO()
    result.serialize(out, format=OXIGRAPH_RESULTS[fmt])
    body = out.getvalue()
    if fmt == RESULTS_XML:
        check_xml_text([body.decode("utf-8", "replace")], fmt.media_type)
        body = escape_cr(body)
    return body
