"""Kinds most schemas hold few or none of (collations, extended statistics, rules, text search
objects, operators, operator classes and families), read in ONE round trip: each kind's query
(`QUERIES` of its module) becomes a `json_agg` column of a single SELECT, so the inspection's
query count does not grow with them. The collations query depends on the server version, so
the combined SELECT is built once per version. In JSON an `oid` column is a string: readers
that look one up (`deps.of`) convert it.
"""
from __future__ import annotations

from functools import lru_cache

from pgschema_tui.inspect import collations, operators, rules, statistics, textsearch
from pgschema_tui.inspect.context import InspectContext


@lru_cache(maxsize=8)
def _combined(version: int) -> tuple[list[str], str]:
    queries = {"collations": collations.query(version), **statistics.QUERIES, **rules.QUERIES,
               **textsearch.QUERIES, **operators.QUERIES}
    names = list(queries)
    columns = ",\n".join(f"(SELECT COALESCE(json_agg(row_to_json(q)), '[]') FROM ({sql}) q) AS {name}"
                         for name, sql in queries.items())
    return names, f"SELECT {columns}"


def read_rare_kinds(ctx: InspectContext, deps) -> list:
    """Every collation, statistics object, rule, text search dictionary and configuration,
    operator, operator class and family of the schema."""
    names, sql = _combined(ctx.version.num)
    found = ctx.tuples(sql)
    if not found:  # one row always, except under context.QueryRecorder, which answers none
        return []
    rows = dict(zip(names, found[0]))
    return [*collations.collations(rows["collations"]), *statistics.statistics(rows["statistics"], deps),
            *rules.rules(rows["rules"], deps),
            *textsearch.text_search_dictionaries(rows["text_search_dictionaries"]),
            *textsearch.text_search_configurations(rows["text_search_configurations"]),
            *operators.operators(rows["operators"]), *operators.operator_classes(rows)]
