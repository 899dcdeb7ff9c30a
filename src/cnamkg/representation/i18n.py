"""Page language and label choice (fr by default, en offered).

The language comes from ``?lang=`` first, then ``Accept-Language`` (RFC 9110 §12.5.4,
parsed by werkzeug), then French. A label is chosen in the page language, then French,
then English, then untagged, then any.
"""

from __future__ import annotations

from werkzeug.datastructures import LanguageAccept

from cnamkg.text import fold

#: Languages the pages are written in, default first.
LANGUAGES: tuple[str, ...] = ("fr", "en")


def page_language(lang_param: str | None, accept: LanguageAccept | None) -> str:
    """The page language: a supported ``?lang=``, else the best ``Accept-Language``, else fr."""
    if lang_param and lang_param.lower() in LANGUAGES:
        return lang_param.lower()
    if accept:
        best = accept.best_match(LANGUAGES)
        if best:
            return best
    return LANGUAGES[0]


def best_label(by_lang: dict[str, str] | None, lang: str) -> str | None:
    """The best label of a ``language → label`` map for ``lang``, or ``None`` if empty."""
    if not by_lang:
        return None
    for candidate in (lang, *LANGUAGES, ""):
        if candidate in by_lang:
            return by_lang[candidate]
    return by_lang[sorted(by_lang)[0]]


def sort_key(text: str) -> tuple[str, str]:
    """A key that orders labels as readers expect: case- and accent-insensitive first
    (``École`` with ``Ecole``), exact text second."""
    return (fold(text), text)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``), used when no label is known."""
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri or "?"


#: Interface text, per language.
UI: dict[str, dict[str, str]] = {
    "fr": {
        "home": "Accueil",
        "entities": "Entités",
        "types": "Types",
        "properties": "Propriétés",
        "incoming": "Liens entrants",
        "sources": "Sources",
        "sources_help": "[n] après une valeur : elle vient de la source n, pas de la première.",
        "language_tag": "langue du texte",
        "graphs": "Graphes nommés",
        "graph": "graphe nommé",
        "formats": "Données",
        "query": "SPARQL",
        "iri": "IRI",
        "not_found": "Page introuvable",
        "not_found_text": "Aucune page n'a cette adresse dans le jeu de données.",
        "not_acceptable": "Format non disponible",
        "not_acceptable_text": (
            "Cette ressource n'existe pas dans le format demandé. Elle est disponible ainsi :"
        ),
        "search_again": "Chercher une entité",
        "empty": "Aucune entité de ce type pour l'instant.",
        "incoming_of": "via « {label} »",
        "showing": "{first} à {last} sur {total}",
        "kinds_caption": "Entités par type",
        "newest": "Les plus récentes",
        "most_linked": "Les plus citées",
        "links_count": "{n} liens entrants",
        "previous": "← précédents",
        "next": "suivants →",
        "incoming_help": "Entités qui pointent vers celle-ci, groupées par propriété.",
        "colon": "\u202f:",
        "count": "Nombre",
        "licence": "Données sous Licence Ouverte / Open Licence 2.0 (Etalab)",
        "identifiers": "Identifiants",
        "api": "API",
        "version": "version",
        "funding": "Financements",
        "funding_text": (
            "Les programmes, les appels qu'ils ouvrent, les projets retenus dans chaque appel "
            "et leur consortium, coordinateur en tête."
        ),
        "coordinator": "coordinateur",
        "partners": "partenaires",
        "at_a_glance": "En bref",
        "result_graph": "Graphe résultat",
        "triples_count": "{n} triplets",
        "triple_count": "{n} triplet",
        "endpoint_label": "Point d'accès SPARQL",
        "turtle_too_large": (
            "Le Turtle de ces triplets est trop long pour la page : téléchargez-le."
        ),
        "download": "Télécharger",
        "truncated_graph": (
            "Seuls les {n} premiers triplets sont montrés ; "
            "téléchargez le graphe pour les voir tous."
        ),
        "download_graph": "Télécharger le graphe",
        "view_graph": "Voir le graphe résultat",
        "subject": "Sujet",
        "predicate": "Prédicat",
        "object": "Objet",
        "funding_picture": "Des programmes aux organisations : qui finance quoi",
        "funding_picture_desc": (
            "De gauche à droite : les programmes, les appels, les projets retenus, les "
            "organisations de leur consortium. La liste qui suit dit la même chose."
        ),
        "funding_list": "En liste",
        "funding_hidden": "{n} autres entités ne sont pas dessinées : la liste les donne toutes.",
        "funded_through": "Financement",
        "consortium": "Consortium",
        # the members the dataset names, not necessarily all (a source may give a count)
        "recorded": "{n} renseignés",
        "more_above": "… et d'autres chemins, non montrés : voir les propriétés.",
        "scroll_hint": "Faites défiler l'image de côté.",
        "explore": "Explorer",
        "funding_short": "des programmes aux projets et à leurs partenaires",
        "timeline_short": "les faits datés, de 1780 à nos jours",
        "sparql_short": "interroger le graphe, avec des exemples",
        "when": "Date",
        "where": "Lieu",
        "organisers": "Organisateurs",
        "parts": "Programmes et appels",
        "projects": "Projets",
        "events": "Événements",
        "timeline": "Chronologie",
        "timeline_text": (
            "Les faits datés du jeu de données : fondations, débuts, lancements, sélections, "
            "annonces."
        ),
        "nav_browse": "Parcourir",
        "nav_query": "Interroger",
        "nav_data": "Données",
        "nav_about": "À propos",
        "about": "À propos de ce jeu de données",
        "about_what": (
            "cnamkg décrit, en données liées ouvertes, le paysage public français de "
            "l'intelligence artificielle autour du Conservatoire national des arts et métiers "
            "(Cnam) : établissements, laboratoires, écoles, projets, programmes et appels de "
            "financement, événements, thèmes, et les documents qui établissent ces faits. "
            "Chaque fait est publié dans le graphe nommé de sa source ; les données sont "
            "validées par des formes SHACL avant d'être servies."
        ),
        "about_sources": "Sources",
        "about_licence": "Licence",
        "about_licence_text": (
            "Données sous Licence Ouverte / Open Licence 2.0 (Etalab, SPDX etalab-2.0) : "
            "réutilisation libre, y compris commerciale, en citant la source. "
            "Code sous licence MIT."
        ),
        "about_cite": "Citer",
        "about_query": "Interroger",
        "about_query_text": (
            "Le point d'accès SPARQL 1.1 répond aux requêtes en GET ou POST ; dans un "
            "navigateur, il ouvre un éditeur avec des exemples. Chaque entité a un IRI "
            "déréférençable : une page pour les personnes, Turtle, JSON-LD, N-Triples ou "
            "RDF/XML pour les machines."
        ),
        "about_reconcile": "Réconcilier vos données",
        "about_reconcile_text": (
            "Dans OpenRefine, ajoutez le service de réconciliation ci-dessous (API de "
            "réconciliation 0.2) pour relier une colonne de noms à nos entités ; vérifiez vos "
            "propres données RDF avec nos formes SHACL grâce au service de validation."
        ),
        "about_dumps": "Téléchargements",
        "about_dumps_text": (
            "Le jeu de données entier, dans plusieurs formats, avec sa description VoID."
        ),
        "rows_per_page": "Lignes par page",
        "filter_results": "Filtrer les résultats",
        "validate": "Valider des données RDF",
        "validate_text": (
            "Collez ou choisissez un document Turtle, JSON-LD ou N-Triples : il est vérifié "
            "avec nos formes SHACL (et notre ontologie), sans jamais être enregistré. Les "
            "machines envoient le document en corps de POST /validate et reçoivent le "
            "rapport en Turtle, JSON-LD ou N-Triples. Les liens vers nos entités sont vérifiés "
            "avec ce que le jeu de données en dit."
        ),
        "validate_data": "Données",
        "validate_file": "ou un fichier",
        "validate_format": "Syntaxe",
        "validate_submit": "Valider",
        "validate_limits": "Au plus {bytes} octets et {triples} triplets.",
        "validate_conforms": "Conforme : les données satisfont toutes les formes.",
        "validate_fails": "Non conforme : {n} résultat(s).",
        "validate_error": "Données refusées",
        "focus_node": "Nœud focal",
        "path": "Chemin",
        "value": "Valeur",
        "constraint": "Contrainte",
        "message": "Message",
        "severity": "Gravité",
        "shapes": "Formes SHACL",
        "shapes_text": (
            "Ce que nos données doivent respecter, forme par forme (messages en anglais, tels "
            "que les rapports de validation les donnent). Vérifiez vos propres données avec "
            "le service de validation."
        ),
        "api_text": (
            "Tout ce que le service répond en HTTP, opération par opération : paramètres, "
            "statuts et formats. La même description, lisible par les outils :"
        ),
        "parameters": "Paramètres",
        "request_body": "Corps de la requête",
        "responses": "Réponses",
        "required": "obligatoire",
        "media_types": "Formats",
        "dumps": "Téléchargements",
        "dumps_text": (
            "Le jeu de données entier, régénéré à chaque construction, avec la taille et "
            "l'empreinte SHA-256 de chaque fichier."
        ),
        "file": "Fichier",
        "format": "Format",
        "size": "Taille (octets)",
        "data_links": "Données",
        "tagline": "Le paysage public français de l'IA autour du Cnam, en données liées ouvertes.",
        "run": "Exécuter",
        "query_label": "Requête SPARQL 1.1",
        "examples": "Exemples de requêtes",
        "search": "Rechercher",
        "ontology": "Ontologie cnamkg",
        "ontology.class": "Classes",
        "ontology.property": "Propriétés",
        "ontology.aligned": "Alignée sur",
        "ontology.domain": "Domaine",
        "ontology.range": "Portée",
        "ontology.shapes": "Formes SHACL qui le contraignent",
        "ontology.shapes_title": "Formes SHACL",
        "ontology.shapes_text": (
            "Ce que chaque forme exige des données (messages en anglais, tels que les "
            "rapports de validation les donnent)."
        ),
        "ontology.targets": "Cibles",
        "no_results": "Aucun résultat.",
        "other_lang": "English",
        "kind.organization": "Organisations",
        "kind.project": "Projets",
        "kind.programme": "Programmes",
        "kind.call": "Appels",
        "kind.event": "Événements",
        "kind.topic": "Thèmes",
        "kind.document": "Documents",
        "kind.place": "Lieux",
        "kind1.organization": "organisation",
        "kind1.project": "projet",
        "kind1.programme": "programme",
        "kind1.call": "appel",
        "kind1.event": "événement",
        "kind1.topic": "thème",
        "kind1.document": "document",
        "kind1.place": "lieu",
        "kind1.other": "entité",
        "neighbourhood": "Voisinage",
        "neighbourhood_of": "Voisinage de {label}",
        "neighbourhood_caption": "Les entités liées à celle-ci ; chaque forme est un type.",
        "neighbourhood_hidden": (
            "{n} autres ne sont pas dessinées ; elles figurent dans les tableaux."
        ),
        "results": "Résultats",
        "truncated": (
            "Seules les {n} premières lignes sont affichées ; "
            "demandez le résultat complet en CSV ou JSON."
        ),
    },
    "en": {
        "home": "Home",
        "entities": "Entities",
        "types": "Types",
        "properties": "Properties",
        "incoming": "Incoming links",
        "sources": "Sources",
        "sources_help": "[n] after a value: it is stated by source n, not by the first one.",
        "language_tag": "language of the text",
        "graphs": "Named graphs",
        "graph": "named graph",
        "formats": "Data",
        "query": "SPARQL",
        "iri": "IRI",
        "not_found": "Not found",
        "not_found_text": "Nothing in the dataset has this address.",
        "not_acceptable": "Format not available",
        "not_acceptable_text": (
            "This resource is not available in the format asked for. It is available as:"
        ),
        "search_again": "Search for an entity",
        "empty": "No entity of this kind yet.",
        "incoming_of": "via “{label}”",
        "showing": "{first} to {last} of {total}",
        "kinds_caption": "Entities by kind",
        "newest": "Newest",
        "most_linked": "Most linked",
        "links_count": "{n} incoming links",
        "previous": "← previous",
        "next": "next →",
        "incoming_help": "Entities that point to this one, grouped by property.",
        "colon": ":",
        "count": "Count",
        "licence": "Data under the Licence Ouverte / Open Licence 2.0 (Etalab)",
        "identifiers": "Identifiers",
        "api": "API",
        "version": "version",
        "funding": "Funding",
        "funding_text": (
            "The programmes, the calls they open, the projects selected in each call and their "
            "consortium, coordinator first."
        ),
        "coordinator": "coordinator",
        "partners": "partners",
        "at_a_glance": "At a glance",
        "result_graph": "Result graph",
        "triples_count": "{n} triples",
        "triple_count": "{n} triple",
        "endpoint_label": "SPARQL endpoint",
        "turtle_too_large": "The Turtle of these triples is too long for the page: download it.",
        "download": "Download",
        "truncated_graph": (
            "Only the first {n} triples are shown; download the graph for all of them."
        ),
        "download_graph": "Download the graph",
        "view_graph": "View the result graph",
        "subject": "Subject",
        "predicate": "Predicate",
        "object": "Object",
        "funding_picture": "From programmes to organisations: who funds what",
        "funding_picture_desc": (
            "Left to right: the programmes, the calls, the projects selected, the "
            "organisations of their consortium. The list below says the same."
        ),
        "funding_list": "As a list",
        "funding_hidden": "{n} more entities are not drawn: the list gives them all.",
        "funded_through": "Funding",
        "consortium": "Consortium",
        "recorded": "{n} recorded",
        "more_above": "… and further paths, not shown: see the properties.",
        "scroll_hint": "Scroll the picture sideways.",
        "explore": "Explore",
        "funding_short": "from programmes to projects and their partners",
        "timeline_short": "the dated facts, from 1780 to today",
        "sparql_short": "query the graph, with examples",
        "when": "When",
        "where": "Where",
        "organisers": "Organisers",
        "parts": "Programmes and calls",
        "projects": "Projects",
        "events": "Events",
        "timeline": "Timeline",
        "timeline_text": (
            "The dated facts of the dataset: foundings, starts, launches, selections, "
            "announcements."
        ),
        "nav_browse": "Browse",
        "nav_query": "Query",
        "nav_data": "Data",
        "nav_about": "About",
        "about": "About this dataset",
        "about_what": (
            "cnamkg describes, as linked open data, the French public landscape of artificial "
            "intelligence around the Conservatoire national des arts et métiers (Cnam): "
            "institutions, laboratories, schools, projects, funding programmes and calls, "
            "events, topics, and the documents that state these facts. Each fact is published "
            "in the named graph of its source; the data is validated with SHACL shapes before "
            "it is served."
        ),
        "about_sources": "Sources",
        "about_licence": "Licence",
        "about_licence_text": (
            "Data under the Licence Ouverte / Open Licence 2.0 (Etalab, SPDX etalab-2.0): free "
            "reuse, commercial included, with attribution. Code under the MIT licence."
        ),
        "about_cite": "How to cite",
        "about_query": "How to query",
        "about_query_text": (
            "The SPARQL 1.1 endpoint answers queries by GET or POST; in a browser it opens an "
            "editor with examples. Every entity has a dereferenceable IRI: a page for people, "
            "Turtle, JSON-LD, N-Triples or RDF/XML for machines."
        ),
        "about_reconcile": "Reconciling your data",
        "about_reconcile_text": (
            "In OpenRefine, add the reconciliation service below (Reconciliation API 0.2) to "
            "link a column of names to our entities; check your own RDF against our SHACL "
            "shapes with the validation service."
        ),
        "about_dumps": "Downloads",
        "about_dumps_text": "The whole dataset, in several formats, with its VoID description.",
        "rows_per_page": "Rows per page",
        "filter_results": "Filter the results",
        "validate": "Validate RDF data",
        "validate_text": (
            "Paste or choose a Turtle, JSON-LD or N-Triples document: it is checked against "
            "our SHACL shapes (and our ontology), and never stored. Machines send the "
            "document as the body of POST /validate and get the report in Turtle, JSON-LD or "
            "N-Triples. Links to our entities are checked against what the dataset says of them."
        ),
        "validate_data": "Data",
        "validate_file": "or a file",
        "validate_format": "Syntax",
        "validate_submit": "Validate",
        "validate_limits": "At most {bytes} bytes and {triples} triples.",
        "validate_conforms": "Conforms: the data satisfies every shape.",
        "validate_fails": "Does not conform: {n} result(s).",
        "validate_error": "Data refused",
        "focus_node": "Focus node",
        "path": "Path",
        "value": "Value",
        "constraint": "Constraint",
        "message": "Message",
        "severity": "Severity",
        "shapes": "SHACL shapes",
        "shapes_text": (
            "What our data must satisfy, shape by shape (messages in English, as validation "
            "reports give them). Check your own data with the validation service."
        ),
        "api_text": (
            "Everything the service answers over HTTP, operation by operation: parameters, "
            "statuses and formats. The same description, readable by tools:"
        ),
        "parameters": "Parameters",
        "request_body": "Request body",
        "responses": "Responses",
        "required": "required",
        "media_types": "Formats",
        "dumps": "Downloads",
        "dumps_text": (
            "The whole dataset, written anew by every build, with each file's size and "
            "SHA-256 digest."
        ),
        "file": "File",
        "format": "Format",
        "size": "Size (bytes)",
        "data_links": "Data",
        "tagline": "The French public AI landscape around the Cnam, as linked open data.",
        "run": "Run",
        "query_label": "SPARQL 1.1 query",
        "examples": "Example queries",
        "search": "Search",
        "ontology": "cnamkg ontology",
        "ontology.class": "Classes",
        "ontology.property": "Properties",
        "ontology.aligned": "Aligned with",
        "ontology.domain": "Domain",
        "ontology.range": "Range",
        "ontology.shapes": "SHACL shapes that constrain it",
        "ontology.shapes_title": "SHACL shapes",
        "ontology.shapes_text": "What each shape requires of the data, with its message.",
        "ontology.targets": "Targets",
        "no_results": "No results.",
        "other_lang": "Français",
        "kind.organization": "Organisations",
        "kind.project": "Projects",
        "kind.programme": "Programmes",
        "kind.call": "Calls",
        "kind.event": "Events",
        "kind.topic": "Topics",
        "kind.document": "Documents",
        "kind.place": "Places",
        "kind1.organization": "organization",
        "kind1.project": "project",
        "kind1.programme": "programme",
        "kind1.call": "call",
        "kind1.event": "event",
        "kind1.topic": "topic",
        "kind1.document": "document",
        "kind1.place": "place",
        "kind1.other": "entity",
        "neighbourhood": "Neighbourhood",
        "neighbourhood_of": "Neighbourhood of {label}",
        "neighbourhood_caption": "The entities linked to this one; each shape is a kind.",
        "neighbourhood_hidden": "{n} more are not drawn; they are listed in the tables.",
        "results": "Results",
        "truncated": "Only the first {n} rows are shown; ask for the full result as CSV or JSON.",
    },
}


#: The query editor's (YASGUI's) own words, by page language: its exact English texts,
#: titles and placeholders (YASGUI has no translations of its own). English needs none.
EDITOR_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "Run query": "Lancer la requête",
        "Share query": "Partager la requête",
        "Table": "Tableau",
        "Shows Table view": "Afficher le tableau",
        "Shows Response view": "Afficher la réponse",
        "Response": "Réponse",
        "Simple view": "Vue simple",
        "Ellipse": "Abréger",
        "Page size:": "Lignes par page :",
        "Filter query results": "Filtrer les résultats",
        "Clear endpoint": "Effacer le point d'accès",
        "All": "Toutes",
        "Show all": "Tout afficher",
        "Download result": "Télécharger le résultat",
        "No data available in table": "Aucun résultat",
        "First": "Première",
        "Last": "Dernière",
        "Previous": "Précédente",
        "Next": "Suivante",
        "Try query in a new browser window": "Essayer la requête dans une nouvelle fenêtre",
        "Download not supported": "Téléchargement impossible",
        "Download Results": "Télécharger les résultats",
        "Add a new tab": "Ajouter un onglet",
        "Add tab": "Ajouter un onglet",
        "Close tab": "Fermer l'onglet",
        "Open settings": "Ouvrir les réglages",
        "Settings": "Réglages",
        "Request method": "Méthode de la requête",
        "Accept Headers": "En-têtes Accept",
        "Arguments": "Arguments",
        "Default Graphs": "Graphes par défaut",
        "Named Graphs": "Graphes nommés",
        "Query": "Requête",
        "True": "vrai",
        "False": "faux",
    }
}
#: Its sentences with numbers: ``(JavaScript regular expression matching the whole
#: text, replacement with $1…)``, tried in order.
EDITOR_SENTENCES: dict[str, list[tuple[str, str]]] = {
    "fr": [
        (r"(\d+) results? in ([\d.]+) seconds?", "$1 résultat(s) en $2 s"),
        (r"(\d+) results?", "$1 résultat(s)"),
        (r"Response in ([\d.]+) seconds?", "Réponse en $1 s"),
        (r"Showing (\S+) to (\S+) of (\S+) \S+", "Lignes $1 à $2 sur $3"),
        (r"\(filtered from (\S+) total \S+\)", "(filtrées parmi $1)"),
        (r"View documentation of (\S+)", "Documentation de la vue $1"),
        (r"(.+): [Aa]ctivate to sort.*", "$1 : activer pour trier"),
    ]
}
