"""Example queries (``queries/*.rq``): shown in the query editor and on the home page.

Each file is a SPARQL query preceded by comment lines giving its title and description in
French and English::

    # title@fr: Qui a co-organisé la journée d'étude ?
    # title@en: Who co-organised the study day?
    # description@fr: …
    # description@en: …
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FIELD = re.compile(r"#\s*(title|description)@(fr|en)\s*:\s*(.+)")


@dataclass(frozen=True)
class Example:
    """One example query.

    :param slug: the file stem.
    :param title: language → title.
    :param description: language → description.
    :param query: the query text (header comments included: they are valid SPARQL).
    """

    slug: str
    title: dict[str, str]
    description: dict[str, str]
    query: str


def load_examples(directory: Path) -> list[Example]:
    """Every ``*.rq`` file of ``directory``, sorted by name (none if it does not exist).

    :raises ValueError: a file lacks a title or description in French or English.
    """
    if not directory.is_dir():
        return []
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text("utf-8")
        fields: dict[str, dict[str, str]] = {"title": {}, "description": {}}
        for line in text.splitlines():
            m = _FIELD.fullmatch(line.strip())
            if m:
                fields[m.group(1)][m.group(2)] = m.group(3).strip()
        for name, by_lang in fields.items():
            missing = {"fr", "en"} - set(by_lang)
            if missing:
                raise ValueError(f"{path}: no '# {name}@{min(missing)}:' line")
        examples.append(Example(path.stem, fields["title"], fields["description"], text))
    return examples
