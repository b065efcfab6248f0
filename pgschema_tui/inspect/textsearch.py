"""Text search dictionaries and configurations (with their token mappings).

Representation choices the parser mirrors:
- A dictionary's `template` and a configuration's `parser` and mapped dictionaries are quoted
  names, unqualified in the target schema and pg_catalog, qualified elsewhere.
- Dictionary options come from `dictinitoption` (`stopwords = 'english', accept = 'false'`):
  (lowercased key, unquoted value) pairs sorted by key.
- Mappings are (token type alias, dictionaries in `mapseqno` order), sorted by alias; the
  alias comes from `ts_token_type` of the configuration's parser.
"""
from __future__ import annotations

import re

from pgschema_tui.inspect.context import comment_sql, not_extension_member
from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary


def _name_sql(name: str, namespace: str) -> str:
    return (f"CASE WHEN {namespace}.nspname IN ('pg_catalog', %(schema)s) THEN quote_ident({name}) "
            f"ELSE quote_ident({namespace}.nspname) || '.' || quote_ident({name}) END")


_DICTIONARIES = f"""
SELECT dct.oid, dct.dictname, dct.dictinitoption, {_name_sql('t.tmplname', 'tn')} AS template,
       {comment_sql('pg_ts_dict', 'dct.oid')} AS description
FROM pg_catalog.pg_ts_dict dct
JOIN pg_catalog.pg_ts_template t ON t.oid = dct.dicttemplate
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
WHERE dct.dictnamespace = %(nsp)s AND {not_extension_member('pg_ts_dict', 'dct.oid')}
"""

_CONFIGURATIONS = f"""
SELECT c.oid, c.cfgname, {_name_sql('p.prsname', 'pn')} AS parser,
       {comment_sql('pg_ts_config', 'c.oid')} AS description,
       (SELECT array_agg(ARRAY[tt.alias, {_name_sql('md.dictname', 'mdn')}] ORDER BY tt.alias, m.mapseqno)
        FROM pg_catalog.pg_ts_config_map m
        JOIN pg_catalog.ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype
        JOIN pg_catalog.pg_ts_dict md ON md.oid = m.mapdict
        JOIN pg_catalog.pg_namespace mdn ON mdn.oid = md.dictnamespace
        WHERE m.mapcfg = c.oid) AS mappings,
       (SELECT array_agg(md.dictname) FROM pg_catalog.pg_ts_config_map m
        JOIN pg_catalog.pg_ts_dict md ON md.oid = m.mapdict
        WHERE m.mapcfg = c.oid AND md.dictnamespace = %(nsp)s) AS own_dictionaries
FROM pg_catalog.pg_ts_config c
JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
WHERE c.cfgnamespace = %(nsp)s AND {not_extension_member('pg_ts_config', 'c.oid')}
"""

_OPTION = re.compile(r"\s*([^\s=,]+)\s*=\s*('(?:[^']|'')*'|[^,\s]+)\s*(?:,|$)")


def parse_init_options(text: str | None) -> tuple[tuple[str, str], ...]:
    """`stopwords = 'english', accept = 'false'` -> (("accept", "false"), ("stopwords", "english"))."""
    out = []
    for key, value in _OPTION.findall(text or ""):
        if value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        out.append((key.lower(), value))
    return tuple(sorted(out))


QUERIES = {"text_search_dictionaries": _DICTIONARIES, "text_search_configurations": _CONFIGURATIONS}


def text_search_dictionaries(rows: list[dict]) -> list[TextSearchDictionary]:
    return [TextSearchDictionary(name=row["dictname"], template=row["template"],
                                 options=parse_init_options(row["dictinitoption"]), comment=row["description"])
            for row in rows]


def text_search_configurations(rows: list[dict]) -> list[TextSearchConfiguration]:
    out = []
    for row in rows:
        mappings: dict[str, list[str]] = {}
        for alias, dictionary in row["mappings"] or ():
            mappings.setdefault(alias, []).append(dictionary)
        out.append(TextSearchConfiguration(
            name=row["cfgname"], parser=row["parser"],
            mappings=tuple((alias, tuple(dicts)) for alias, dicts in sorted(mappings.items())),
            comment=row["description"],
            depends_on=frozenset(f"tsdict:{d}" for d in row["own_dictionaries"] or ()),
        ))
    return out
