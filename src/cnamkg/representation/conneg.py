"""Content negotiation by ``Accept`` (RFC 9110 §12.5.1), with werkzeug's parser.

Quality values rank the offers; among equal qualities werkzeug prefers the more specific
range, so a browser that names ``text/html`` before ``*/*`` gets HTML (field case BUG-01).
Only the formats that apply are offered: results formats for SELECT/ASK, RDF formats
for graphs (SPARQL 1.1 Protocol §2.1.5–2.1.6, field cases BUG-04/05).
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

from cnamkg.representation.formats import Format


class NotAcceptable(Exception):
    """No offered format is acceptable (RFC 9110 §15.5.7, 406).

    :param offered: the formats that could have been served.
    """

    def __init__(self, offered: tuple[Format, ...]) -> None:
        super().__init__("no acceptable representation")
        self.offered = offered

    def describe(self) -> str:
        """Plain-text body listing the offered media types."""
        return "Not Acceptable. This resource is available as:\n" + "".join(
            f"  {f.media_type}\n" for f in self.offered
        )


def negotiate(accept: MIMEAccept, offers: tuple[Format, ...]) -> Format:
    """Choose the best of ``offers`` for an ``Accept`` header.

    :param accept: the parsed header (an absent header accepts anything: the first offer).
    :param offers: formats in server preference order.
    :raises NotAcceptable: nothing offered is acceptable.
    """
    if not accept:
        return offers[0]
    # Media-type parameters (``;charset=utf-8``, JSON-LD's ``;profile=…``) do not change
    # which of our formats is meant, but werkzeug would demand an exact parameter match:
    # rank on the bare media ranges (RFC 9110 §12.5.1; q-values kept).
    bare = [(value.split(";", 1)[0].strip().lower(), q) for value, q in accept]
    # q=0 means "not acceptable" (RFC 9110 §12.4.2): such a type is never chosen, even
    # when a wildcard would match it
    refused = {value for value, q in bare if q == 0}
    accept = MIMEAccept([(value, q) for value, q in bare if q > 0])
    # an alias counts only when the client names it: "application/*" must not reach
    # HTML through its alias application/xhtml+xml, whose syntax we do not send
    named = {value for value, _ in bare}
    by_type: dict[str, Format] = {}
    for f in offers:
        if f.media_type in refused:
            continue
        for media_type in (f.media_type, *(a for a in f.aliases if a in named)):
            by_type.setdefault(media_type, f)
    match = accept.best_match(list(by_type))
    if match is None:
        raise NotAcceptable(offers)
    return by_type[match]
