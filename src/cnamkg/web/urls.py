"""The only place that turns IRIs into URLs of the serving host (DESIGN.md, IRIs).

``https://w3id.org/cnamkg/id/project/caire`` is served at ``/id/project/caire`` on any
host; pages link to the serving host so that browsing works anywhere, while RDF keeps
canonical IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, urlencode

from flask import url_for

from cnamkg.iris import entity_ref, ontology_iri
from cnamkg.representation.formats import Format

#: IRI schemes that may become clickable links (field case BUG-24: never ``javascript:``).
SAFE_SCHEMES = ("http", "https")


def page_url(iri: str, base: str, lang: str | None = None) -> str | None:
    """The local page URL of one of our entities, or ``None`` for other IRIs."""
    ref = entity_ref(iri, base)
    if ref is None:
        return None
    url = url_for("entities.page", kind=ref.kind, slug=ref.slug)
    return f"{url}?{urlencode({'lang': lang})}" if lang else url


def data_url(kind: str, slug: str, extension: str | None = None) -> str:
    """The local URL of an entity's RDF description, optionally with a format extension."""
    name = f"{slug}.{extension}" if extension else slug
    return url_for("entities.data", kind=kind, name=name)


def link_for(iri: str, base: str, lang: str | None = None) -> str | None:
    """Where a displayed IRI links: our page for our entities, our ontology page for our
    ontology's terms, the IRI itself for other http(s) IRIs, nothing for any other scheme."""
    local = page_url(iri, base, lang)
    if local is not None:
        return local
    term = iri.removeprefix(ontology_iri(base) + "#")
    if term != iri and term:
        # a term of our ontology: its entry in the served documentation
        query = f"?{urlencode({'lang': lang})}" if lang else ""
        return url_for("dataset.ontology") + query + "#" + quote(term, safe="")
    # only the scheme matters here: urlsplit would also check the authority and raise on
    # IRIs that are fine as data (a full-width ＃ in the host: field report, a 500)
    scheme = _SCHEME.match(iri)
    return iri if scheme and scheme.group(1).lower() in SAFE_SCHEMES else None


#: The scheme of an absolute IRI (RFC 3987 §2.2, ``scheme ":"``).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def local_path(path: str) -> str:
    """A decoded request path made safe to send back in ``Location`` or ``href``: every
    character outside RFC 3986 ``pchar`` and ``/`` percent-encoded (a backslash, a tab
    or a newline would let a browser read ``/\\evil.example`` as another host), and a
    leading ``//`` broken so that it cannot be read as a network-path reference (§4.2)."""
    quoted = quote(path, safe="/:@!$&'()*+,;=-._~")
    return "/%2F" + quoted[2:] if quoted.startswith("//") else quoted


def alternates(
    url_of: Callable[[Format], str], formats: Iterable[Format], current: Format | None
) -> str:
    """A ``Link`` header value naming every representation but ``current`` (RFC 8288 §3,
    ``rel="alternate"`` with its ``type``).

    :param url_of: format → the URL that serves it without negotiation.
    :param formats: the representations the resource has.
    :param current: the one being sent (left out), or ``None``.
    """
    return ", ".join(
        f'<{url_of(f)}>; rel="alternate"; type="{f.media_type}"' for f in formats if f != current
    )


#: A page number as a URL writes it: ASCII digits only, at most nine of them.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_number(value: str | None) -> int | None:
    """The page number of a ``?page=`` parameter (1 when absent), or ``None`` when it is
    not one: anything but 1–999,999,999 in ASCII digits without sign, space or leading
    zero (``str.isdigit`` would accept ``²`` and ``٢``, which ``int`` rejects or reads)."""
    if value is None:
        return 1
    return int(value) if _PAGE_NUMBER.fullmatch(value) else None
