"""Answers computed once per build, served without evaluating again (issue 5 §2).

The dataset only changes at a build, so the statistics the pages ask for over the whole
dataset (entities per kind, counts per class and property, VoID partitions and
linksets, the label index of the search, the most linked and newest entities) are
evaluated by ``cnamkg build`` and written as SPARQL 1.1 Query Results JSON files, one per
query, named by the SHA-256 of the query text (:func:`answer_name`). A store opened over
a build answers those exact query texts from the files; any other query, or the same
text with a protocol dataset or a base IRI, is evaluated as usual. The files are read
when asked for, so a process holds none of them in memory. A file that cannot be read
or parsed (a build removed under a running server, a damaged file) is logged and the
query evaluated instead.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from cnamkg.store.base import DatasetInfo, QueryResult, Store

#: File name extension of a stored answer (SPARQL 1.1 Query Results JSON).
SUFFIX = ".srj"

log = logging.getLogger(__name__)


def answer_name(text: str) -> str:
    """The file name of the stored answer to the query ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest() + SUFFIX


def _answerable(
    default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None, base_iri: str | None
) -> bool:
    """Whether a query's answer is one to store and serve: asked over the dataset itself,
    with no protocol dataset (which changes the answer) and no base IRI."""
    return default_graphs is None and named_graphs is None and base_iri is None


class AnswerFiles(Mapping[str, bytes]):
    """The answers stored in ``folder``: query text → SPARQL Results JSON bytes.

    :param folder: a build's answers folder (may be missing: no answers).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._names = frozenset(os.listdir(folder)) if folder.is_dir() else frozenset()

    def __getitem__(self, text: str) -> bytes:
        name = answer_name(text)
        if name not in self._names:
            raise KeyError(text)
        return (self._folder / name).read_bytes()

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and answer_name(text) in self._names

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise TypeError("stored answers are looked up by query text, not listed")

    def __len__(self) -> int:
        return len(self._names)


class AnsweredStore:
    """A store that answers some queries from stored answers, and the rest itself.

    :param store: the store that evaluates everything else.
    :param answers: query text → SPARQL Results JSON (:class:`AnswerFiles`, or a dict).
    """

    def __init__(self, store: Store, answers: Mapping[str, bytes]) -> None:
        self._store = store
        self._answers = answers

    @property
    def info(self) -> DatasetInfo:
        """The wrapped store's :class:`~cnamkg.store.base.DatasetInfo`."""
        return self._store.info

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """The stored answer to ``text`` when there is one and no protocol dataset or
        base IRI is given; else the wrapped store's (see
        :meth:`cnamkg.store.base.Store.query`)."""
        if _answerable(default_graphs, named_graphs, base_iri):
            if text in self._answers:
                try:
                    data = self._answers[text]
                    # parsed whole now: a damaged file fails here, not mid-page
                    return _parsed(data)
                except (OSError, SyntaxError, ValueError) as exc:
                    # a build removed under a running server, a damaged file: the store
                    # still holds the data, so the answer is evaluated instead
                    log.warning("stored answer unusable (%s); evaluating the query", exc)
        return self._store.query(
            text, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri
        )

    def close(self) -> None:
        """Close the wrapped store."""
        self._store.close()


def _parsed(data: bytes) -> ox.QuerySolutions:
    """The SELECT answer in ``data`` (SPARQL Results JSON), checked to be whole.

    :raises SyntaxError: the bytes are not a complete SPARQL Results JSON document.
    """
    # parse once fully to find truncation, then hand out a fresh iterator of the same bytes
    list(ox.parse_query_results(io.BytesIO(data), ox.QueryResultsFormat.JSON))
    result = ox.parse_query_results(io.BytesIO(data), ox.QueryResultsFormat.JSON)
    if not isinstance(result, ox.QuerySolutions):
        raise SyntaxError("a stored answer is not a SELECT result")
    return result


class AnswerRecorder:
    """Evaluates queries on ``store`` and keeps the answer of each SELECT, to be stored.

    :param store: the store of the build.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.info = store.info
        #: query text → SPARQL Results JSON, in the order asked
        self.answers: dict[str, bytes] = {}

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate ``text``; remember its answer when it is a SELECT over the dataset."""
        result = self._store.query(
            text, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri
        )
        if _answerable(default_graphs, named_graphs, base_iri) and isinstance(
            result, ox.QuerySolutions
        ):
            data = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
            self.answers[text] = data
            return ox.parse_query_results(io.BytesIO(data), ox.QueryResultsFormat.JSON)
        return result

    def write(self, folder: Path) -> None:
        """Write the answers, one file each (:func:`answer_name`), into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        for text, data in self.answers.items():
            (folder / answer_name(text)).write_bytes(data)

    def close(self) -> None:
        """Nothing to release (the recorded store is closed by its owner)."""
