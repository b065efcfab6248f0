"""IR classes of text search: configurations (with their token mappings) and dictionaries.

Names follow ir/model.py: an object's own name is raw; the parser, template and dictionaries a
configuration refers to are SQL text, quoted where needed, unqualified in the target schema or
pg_catalog (`"default"`, `english_stem`, `other.my_dict`). Dictionary options are
`(key, value)` pairs with the key lowercased and the value unquoted, sorted by key, as
`pg_ts_dict.dictinitoption` holds them (`stopwords = 'english'`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pgschema_tui.ir.fields import depends_on_field as _deps



@dataclass(frozen=True)
class TextSearchDictionary:
    kind: ClassVar[str] = "text_search_dictionary"
    name: str
    template: str  # "simple", "snowball", "other.my_template"
    options: tuple[tuple[str, str], ...] = ()  # (("language", "english"), ("stopwords", "english"))
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class TextSearchConfiguration:
    kind: ClassVar[str] = "text_search_configuration"
    name: str
    parser: str = '"default"'
    # (token type alias, (dictionary, ...)), sorted by token type; dictionaries in lookup order
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name

    def mapping(self) -> dict[str, tuple[str, ...]]:
        return dict(self.mappings)
