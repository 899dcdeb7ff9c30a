"""The whole-dataset statistics a build computes once (issue 5 §2; VoID §4.5–§5).

:func:`record_statistics` runs, on the freshly built store, every query the pages and
descriptions ask over the whole dataset — the entities per kind (home page, lists,
sitemap), the label index of the search, the newest and most linked entities, the VoID
counts, class and property partitions and linksets, and the named-graph sizes of the
service description — by calling the very functions that serve them, so the stored
answers are those of the exact query texts a request will send
(:class:`cnamkg.store.answers.AnsweredStore`).
"""

from __future__ import annotations

from cnamkg.query.browse import entities_by_kind, most_linked, newest, search
from cnamkg.representation.service import service_description
from cnamkg.representation.void import void_description
from cnamkg.store.answers import AnswerRecorder
from cnamkg.store.base import Store

#: Any endpoint URL: the queries behind the descriptions do not depend on it.
_ENDPOINT = "http://localhost/sparql"


def record_statistics(store: Store, base: str) -> AnswerRecorder:
    """Evaluate the whole-dataset statistics on ``store``; return their answers.

    :param store: the store of the build.
    :param base: the namespace base the pages will use (``Settings.base_iri``).
    :return: the recorder; :meth:`~cnamkg.store.answers.AnswerRecorder.write` stores them.
    """
    recorder = AnswerRecorder(store)
    entities_by_kind(recorder, base)
    search(recorder, base, "x")  # the label index query does not depend on the text
    newest(recorder, base)
    most_linked(recorder, base)
    void_description(recorder, base=base, sparql_url=_ENDPOINT, dumps=[])
    service_description(recorder, _ENDPOINT)
    return recorder
