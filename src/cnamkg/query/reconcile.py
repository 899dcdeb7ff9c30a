"""Entity reconciliation: which of our entities a name (and a few property values) denotes.

The matching behind ``/reconcile`` (W3C Entity Reconciliation CG, Reconciliation Service
API 0.2, §3 "Reconciliation queries" and §4 "Suggest"): a query's text is compared with
every label and alternate label of our entities (``rdfs:label``, ``skos:prefLabel``,
``skos:altLabel``, ``schema:name``, any language), accent- and case-insensitively,
after which types narrow the candidates and property values add evidence. String
similarity is rapidfuzz's normalised Indel ratio; what is ours is what it is applied to:
folded labels, « & » read as « et »/« and », and abbreviations (« Univ. ») read as a prefix
of a label's word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from cnamkg.iris import KINDS, entity_ref, graph_iri
from cnamkg.pipeline.load import ONTOLOGY_GRAPH_NAME
from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store
from cnamkg.text import fold, match_rank
from cnamkg.vocab import RDFS_LABEL, SCHEMA, SKOS

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: Properties whose literal values name an entity.
NAME_PROPERTIES = (RDFS_LABEL, SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name")

#: A score at or above which the best candidate is a match, if no other comes close.
MATCH_SCORE = 90.0
#: How far (in score points) the second candidate must trail the first for a match.
MATCH_MARGIN = 10.0
#: Weight of the name against each property value in the score.
NAME_WEIGHT = 2.0
#: Indel similarity from which two strings read as one misspelt (« Busines », « Business »).
MISSPELLING = 0.8
#: Properties whose exact agreement identifies a candidate whatever its name's score: an
#: identifier in a registry (UAI, SIREN, ROR…) or a same-as IRI.
IDENTIFYING = frozenset({SCHEMA + "identifier", OWL + "sameAs"})
#: Candidates rescored per query after rapidfuzz's first, C-speed pass.
SHORTLIST = 60

#: A word, or « & » standing alone.
_TOKEN = re.compile(r"[^\W_]+|&")
#: Words that mean « and »: « Arts & Métiers », « Arts et Métiers », « Arts and … » agree.
_AND = frozenset({"et", "and", "&"})


def normalise(text: str) -> str:
    """A name as it is compared: folded (case, accents), punctuation dropped, the words of
    « and » in any of our languages (« & », « et », « and ») made one word.

    >>> normalise("Conservatoire National des Arts & Métiers")
    'conservatoire national des arts and metiers'
    """
    return " ".join("and" if w in _AND else w for w in _TOKEN.findall(fold(text)))


def name_similarity(query: str, name: str) -> float:
    """How alike two names are, from 0 (nothing shared) to 1 (the same once normalised).

    The best of two readings: the whole strings' Indel similarity when it reads as a
    misspelling (≥ :data:`MISSPELLING`; below, two names merely share letters), and a word
    alignment in which each query word takes its best unused word of the name: the same
    word counts 1, an abbreviation (a query word of 3 letters or more that starts a name
    word) 0.9, a misspelt word its similarity; the alignment's score is
    2 × matched / (query words + name words), a Dice coefficient.

    :param query: text to match (any case, accents, punctuation).
    :param name: a label of a candidate.
    """
    q, n = normalise(query), normalise(name)
    if not q or not n:
        return 0.0
    if q == n:
        return 1.0
    whole = fuzz.ratio(q, n) / 100.0
    whole = whole if whole >= MISSPELLING else 0.0  # below it, two names share letters only
    q_words, n_words = q.split(), n.split()
    used: set[int] = set()
    matched = 0.0
    for word in q_words:
        best, at = 0.0, -1
        for i, other in enumerate(n_words):
            if i in used:
                continue
            if word == other:
                score = 1.0
            elif len(word) >= 3 and other.startswith(word):
                score = 0.9
            else:
                score = fuzz.ratio(word, other) / 100.0
                score = score if score >= MISSPELLING else 0.0
            if score > best:
                best, at = score, i
        if at >= 0:
            used.add(at)
            matched += best
    words = 2 * matched / (len(q_words) + len(n_words))
    return max(whole, min(words, 0.99))


@dataclass(frozen=True)
class Named:
    """An entity of the dataset as reconciliation sees it.

    :param iri: its IRI; ``id`` is the part after ``{base}id/`` (``organization/cnam``).
    :param kind: its kind (the service's type id).
    :param names: ``(language tag or "", text)`` of every label and alternate label.
    :param classes: IRIs of its ``rdf:type`` classes.
    :param codes: its identifiers in registries (``schema:identifier`` values such as
        « 0753471R ») and the IRIs it is ``owl:sameAs``: a query text equal to one of them
        names the entity.
    """

    iri: str
    id: str
    kind: str
    names: tuple[tuple[str, str], ...]
    classes: frozenset[str]
    codes: frozenset[str] = frozenset()

    def best_name(self, lang: str) -> str:
        """Its name in ``lang`` (a main label first), else in any language."""
        for wanted in (lang, "fr", "en", ""):
            for tag, text in self.names:
                if tag == wanted:
                    return text
        return self.names[0][1] if self.names else self.id


@dataclass
class EntityIndex:
    """The entities of a dataset as matching reads them, names normalised once.

    :param entities: every entity with a name, sorted by IRI.
    """

    entities: list[Named]
    by_iri: dict[str, Named] = field(init=False)
    by_id: dict[str, Named] = field(init=False)
    #: normalised identifier (:attr:`Named.codes`) → the IRIs it names
    by_code: dict[str, list[str]] = field(init=False)
    _names: dict[tuple[str, ...], tuple[list[tuple[str, str]], list[str]]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.by_iri = {e.iri: e for e in self.entities}
        self.by_id = {e.id: e for e in self.entities}
        self.by_code = defaultdict(list)
        for e in self.entities:
            for code in e.codes:
                self.by_code[code].append(e.iri)
        every = [(e.iri, text) for e in self.entities for _, text in e.names]
        self._names[()] = (every, [normalise(text) for _, text in every])

    def starting(self, prefix: str, kind: str | None = None) -> list[Named]:
        """Entities with a name containing ``prefix`` (normalised), best first: a name
        equal to it, then starting with it, then with a word starting with it, then
        containing it; ties by the shorter name. For the suggest service (API 0.2 §4).

        :param kind: only entities of this kind.
        """
        needle = normalise(prefix)
        if not needle:
            return []
        named, normalised = self.names((kind,) if kind else ())
        best: dict[str, tuple[int, int]] = {}
        for (iri, _), text in zip(named, normalised, strict=True):
            rank = match_rank(needle, text)
            if rank is None:
                continue
            key = (rank, len(text))
            if iri not in best or key < best[iri]:
                best[iri] = key
        return [self.by_iri[iri] for iri in sorted(best, key=lambda i: (best[i], i))]

    def names(self, kinds: tuple[str, ...] = ()) -> tuple[list[tuple[str, str]], list[str]]:
        """Every ``(entity IRI, name)`` of the entities of ``kinds`` (all for none), and
        the same names normalised, in the same order (made once per set of kinds)."""
        if kinds not in self._names:
            every, normalised = self._names[()]
            keep = [i for i, (iri, _) in enumerate(every) if self.by_iri[iri].kind in kinds]
            self._names[kinds] = ([every[i] for i in keep], [normalised[i] for i in keep])
        return self._names[kinds]


def entity_index(store: Store, base: str) -> EntityIndex:
    """Every entity with a name, for matching: one query each for names, types and
    identifiers.

    :return: entities sorted by IRI; names keep the order label, prefLabel, altLabel, name.
    """
    prefix = string_literal(f"{base}id/")
    # one pattern per property, each read from the predicate's index (a FILTER on ?p
    # made the engine read every triple: 10 s at 10⁶ triples)
    patterns = " UNION ".join(
        f"{{ ?s {iri_ref(p)} ?l BIND({iri_ref(p)} AS ?p) }}" for p in NAME_PROPERTIES
    )
    text = (
        f"SELECT ?s ?p ?l WHERE {{ {patterns} FILTER(isIRI(?s) && isLiteral(?l) "
        f"&& STRSTARTS(STR(?s), {prefix})) }}"
    )
    rank = {p: i for i, p in enumerate(NAME_PROPERTIES)}
    names: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for row in store.query(text):  # type: ignore[union-attr]
        lit = row["l"]
        names[row["s"].value].append((rank[row["p"].value], lit.language or "", lit.value))
    types_text = (
        f"SELECT ?s ?t WHERE {{ ?s {iri_ref(RDF_TYPE)} ?t "
        f"FILTER(isIRI(?s) && isIRI(?t) && STRSTARTS(STR(?s), {prefix})) }}"
    )
    classes: dict[str, set[str]] = defaultdict(set)
    for row in store.query(types_text):  # type: ignore[union-attr]
        classes[row["s"].value].add(row["t"].value)
    codes_text = f"""
SELECT ?s ?c WHERE {{
  {{ ?s {iri_ref(SCHEMA + "identifier")} ?i . ?i {iri_ref(SCHEMA + "value")} ?c }}
  UNION {{ ?s {iri_ref(SCHEMA + "identifier")} ?c FILTER(isLiteral(?c)) }}
  UNION {{ ?s {iri_ref(OWL + "sameAs")} ?c }}
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix}))
}}"""
    codes: dict[str, set[str]] = defaultdict(set)
    for row in store.query(codes_text):  # type: ignore[union-attr]
        codes[row["s"].value].add(normalise(row["c"].value))
    index = []
    for iri in sorted(names):
        ref = entity_ref(iri, base)
        if ref is None:
            continue
        ordered = tuple(dict.fromkeys((tag, text) for _, tag, text in sorted(names[iri])))
        index.append(
            Named(
                iri,
                f"{ref.kind}/{ref.slug}",
                ref.kind,
                ordered,
                frozenset(classes[iri]),
                frozenset(codes[iri]),
            )
        )
    return EntityIndex(index)


@dataclass(frozen=True)
class PropertyValue:
    """One value a query gives for a property (``{"pid": …, "v": …}``).

    :param pid: the property's IRI.
    :param value: a string, number or boolean; or an entity id when ``is_id``.
    :param is_id: the value names an entity (``{"id": …}``), compared by identity.
    """

    pid: str
    value: str
    is_id: bool = False


@dataclass(frozen=True)
class Query:
    """One reconciliation query of a batch (Reconciliation API 0.2 §3.1).

    :param text: the name to match; empty when only properties are given.
    :param types: type ids (our kinds) or class IRIs; empty for any type.
    :param type_strict: ``any`` (one type suffices), ``all``, or ``should`` (a preference).
    :param limit: most candidates returned.
    :param properties: property values that are evidence for or against a candidate.
    """

    text: str
    types: tuple[str, ...] = ()
    type_strict: str = "any"
    limit: int = 5
    properties: tuple[PropertyValue, ...] = ()


@dataclass
class Candidate:
    """A candidate entity for a query (Reconciliation API 0.2 §3.2).

    :param entity: the entity.
    :param score: 0–100, higher is likelier.
    :param match: ``True`` for the one candidate the service is sure of.
    :param features: ``(feature id, value in 0–1 or bool)`` explaining the score.
    :param matched_name: the label or alternate label that scored best.
    :param identified: a property of :data:`IDENTIFYING` given in the query has exactly
        the candidate's value.
    """

    entity: Named
    score: float
    match: bool = False
    features: list[tuple[str, float | bool]] = field(default_factory=list)
    matched_name: str = ""
    identified: bool = False


def _type_ok(entity: Named, types: Sequence[str]) -> bool:
    return entity.kind in types or bool(entity.classes.intersection(types))


def _property_values(
    store: Store, entities: Iterable[Named] | None, pids: Iterable[str], base: str
) -> dict[tuple[str, str], list[str]]:
    """Values of ``pids`` on ``entities``: a literal's text, an IRI, the label of an IRI
    object, and the ``schema:value``/``schema:name`` of a blank-node object (an identifier
    ``[ schema:propertyID "UAI" ; schema:value "0753471R" ]`` matches « 0753471R »).

    :param entities: the candidates; ``None`` for every entity of the dataset (read
        through the properties' index, not a list of every entity).
    :return: (entity IRI, property IRI) → texts and IRIs to compare with.
    """
    props = " ".join(iri_ref(p) for p in sorted(set(pids)))
    if entities is None:
        subjects = f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {string_literal(base + 'id/')}))"
    else:
        iris = " ".join(iri_ref(e.iri) for e in entities)
        subjects = f"VALUES ?s {{ {iris} }}" if iris else ""
    if not subjects or not props:
        return {}
    label_props = ", ".join(iri_ref(p) for p in NAME_PROPERTIES)
    text = f"""
SELECT ?s ?p ?o ?x WHERE {{
  VALUES ?p {{ {props} }}
  ?s ?p ?o {subjects}
  OPTIONAL {{ ?o ?q ?x FILTER(isLiteral(?x) && (
    (isBlank(?o) && ?q IN ({iri_ref(SCHEMA + "value")}, {iri_ref(SCHEMA + "name")}))
    || (isIRI(?o) && ?q IN ({label_props})))) }}
}}"""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in store.query(text):  # type: ignore[union-attr]
        key = (row["s"].value, row["p"].value)
        for term in (row["o"], row["x"]):
            if isinstance(term, ox.Literal | ox.NamedNode) and term.value not in found[key]:
                found[key].append(term.value)
    return found


def _value_similarity(given: PropertyValue, values: Sequence[str], base: str) -> float:
    if given.is_id:
        wanted = {given.value, f"{base}id/{given.value}"}
        return 1.0 if wanted.intersection(values) else 0.0
    return max((name_similarity(given.value, v) for v in values), default=0.0)


def reconcile(store: Store, base: str, index: EntityIndex, query: Query) -> list[Candidate]:
    """The candidates of one query, best first, the first flagged ``match`` when sure.

    Name similarity is the best over every name of the candidate (a query text equal to
    one of its identifiers counts as its name); types filter (``any``, ``all``) or weigh
    (``should``: a candidate of another type keeps 80 % of its score); each property value
    counts for 1 against the name's 2 in a weighted mean, and a property the candidate has
    no value for counts neither for nor against it. A candidate whose identifier
    (:data:`IDENTIFYING`) agrees exactly comes first, and is the match if no other does.
    Without a query text, candidates are the entities with a similar value for some
    property.

    :param index: :func:`entity_index` of the store.
    :return: at most ``query.limit`` candidates, with a score above zero.
    """
    filtering = bool(query.types) and query.type_strict != "should"

    def allowed(e: Named) -> bool:
        if not filtering:
            return True
        if query.type_strict == "all":
            return all(_type_ok(e, [t]) for t in query.types)
        return _type_ok(e, query.types)

    scored: dict[str, tuple[float, str]] = {}
    if query.text.strip():
        needle = normalise(query.text)
        # by kind, the names are made once; a class IRI among the types: every name
        only_kinds = filtering and all(t in KINDS for t in query.types)
        named, normalised = index.names(tuple(sorted(query.types)) if only_kinds else ())
        # every name already of an allowed kind: the first ones suffice; else read on
        # until enough of the allowed ones were kept
        enough = not filtering or (only_kinds and query.type_strict == "any")
        shortlist = process.extract(
            needle,
            normalised,
            scorer=fuzz.QRatio,
            limit=SHORTLIST if enough else None,
            score_cutoff=40,
        )
        kept = 0
        for _, _, at in shortlist:
            iri, text = named[at]
            if not allowed(index.by_iri[iri]):
                continue
            similarity = name_similarity(query.text, text)
            if similarity > scored.get(iri, (0.0, ""))[0]:
                scored[iri] = (similarity, text)
            kept += 1
            if kept >= SHORTLIST:
                break
        # an identifier given as the name: « 0753471R », a ROR or Wikidata IRI
        for iri in index.by_code.get(needle, []):
            if allowed(index.by_iri[iri]):
                scored[iri] = (1.0, query.text)
        pool = [index.by_iri[iri] for iri in sorted(scored)]
    else:
        pool = [e for e in index.entities if allowed(e)]
    pids = [p.pid for p in query.properties]
    if query.text.strip():
        values = _property_values(store, pool, pids, base)
    else:  # the candidates are the entities holding a value of some property
        values = _property_values(store, None, pids, base)
        held = {iri for iri, _ in values}
        pool = [e for e in pool if e.iri in held]
    candidates = []
    for entity in pool:
        features: list[tuple[str, float | bool]] = []
        weights, total = 0.0, 0.0
        name, matched = scored.get(entity.iri, (0.0, ""))
        if query.text.strip():
            features.append(("name", round(name, 4)))
            weights, total = NAME_WEIGHT, NAME_WEIGHT * name
        identified = False
        for given in query.properties:
            held = values.get((entity.iri, given.pid), [])
            if not held:
                continue  # no value to compare with: neither for nor against
            similarity = _value_similarity(given, held, base)
            features.append((f"property:{given.pid}", round(similarity, 4)))
            weights += 1
            total += similarity
            identified = identified or (given.pid in IDENTIFYING and similarity == 1.0)
        score = 100.0 * total / weights if weights else 0.0
        if query.types:
            typed = _type_ok(entity, query.types)
            features.append(("type", typed))
            if not typed:
                score *= 0.8
        if score > 0:
            candidates.append(
                Candidate(
                    entity,
                    round(score, 2),
                    features=features,
                    matched_name=matched,
                    identified=identified,
                )
            )
    # a candidate an identifier names comes first; it is the match if it is the only one
    candidates.sort(key=lambda c: (not c.identified, -c.score, c.entity.iri))
    if candidates and candidates[0].identified:
        candidates[0].match = sum(c.identified for c in candidates) == 1
    elif candidates and candidates[0].score >= MATCH_SCORE:
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        candidates[0].match = candidates[0].score - runner_up >= MATCH_MARGIN
    return candidates[: query.limit]


@dataclass(frozen=True)
class Term:
    """A class or property of the ontology graph, for the type and property suggest services.

    :param iri: its IRI.
    :param labels: language tag → label.
    """

    iri: str
    labels: dict[str, str]


def ontology_terms(store: Store, base: str, *, properties: bool) -> list[Term]:
    """The properties (or classes) the ontology graph names, with their labels.

    :param properties: ``True`` for properties, ``False`` for classes.
    :return: terms sorted by IRI.
    """
    kinds = (
        (RDF + "Property", OWL + "ObjectProperty", OWL + "DatatypeProperty")
        if properties
        else (RDFS + "Class", OWL + "Class")
    )
    text = f"""
SELECT ?t ?l WHERE {{ GRAPH {iri_ref(graph_iri(base, ONTOLOGY_GRAPH_NAME))} {{
  ?t a ?k ; {iri_ref(RDFS_LABEL)} ?l FILTER(?k IN ({", ".join(iri_ref(k) for k in kinds)})) }} }}"""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.query(text):  # type: ignore[union-attr]
        labels[row["t"].value].setdefault(row["l"].language or "", row["l"].value)
    return [Term(iri, labels[iri]) for iri in sorted(labels)]


def descriptions(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """The ``schema:description`` of each IRI in ``lang``, else in another language.

    :return: IRI → description; IRIs without one are absent.
    """
    values = " ".join(sorted({iri_ref(i) for i in iris}))
    if not values:
        return {}
    described = iri_ref(SCHEMA + "description")
    text = f"SELECT ?s ?d WHERE {{ VALUES ?s {{ {values} }} ?s {described} ?d }}"
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.query(text):  # type: ignore[union-attr]
        found[row["s"].value][row["d"].language or ""] = row["d"].value
    out = {}
    for iri, by_lang in found.items():
        for wanted in (lang, "fr", "en", ""):
            if wanted in by_lang:
                out[iri] = by_lang[wanted]
                break
        else:
            out[iri] = by_lang[sorted(by_lang)[0]]
    return out
