"""Schemathesis hooks (loaded through ``SCHEMATHESIS_HOOKS``): a direct POST's body is
the query text itself (SPARQL 1.1 Protocol §2.1.3, ``application/sparql-query``), sent as
plain text is."""

import schemathesis

schemathesis.serializer.alias("application/sparql-query", "text/plain")
