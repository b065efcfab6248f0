"""Kinds most schemas hold few or none of (text search objects, operators, operator classes and
families), read in ONE round trip: each kind's query (`QUERIES` of its module) becomes a
`json_agg` column of a single SELECT, so the inspection's query count does not grow with them.
"""
from __future__ import annotations

from pgschema_tui.inspect import operators, textsearch
from pgschema_tui.inspect.context import InspectContext


def _combined() -> tuple[list[str], str]:
    queries = {**textsearch.QUERIES, **operators.QUERIES}
    names = list(queries)
    columns = ",\n".join(f"(SELECT COALESCE(json_agg(row_to_json(q)), '[]') FROM ({sql}) q) AS {name}"
                         for name, sql in queries.items())
    return names, f"SELECT {columns}"


_NAMES, _SQL = _combined()


def read_rare_kinds(ctx: InspectContext, deps) -> list:
    """Every text search dictionary and configuration, operator, operator class and family."""
    found = ctx.tuples(_SQL)
    if not found:  # one row always, except under context.QueryRecorder, which answers none
        return []
    rows = dict(zip(_NAMES, found[0]))
    return [*textsearch.text_search_dictionaries(rows["text_search_dictionaries"]),
            *textsearch.text_search_configurations(rows["text_search_configurations"]),
            *operators.operators(rows["operators"]), *operators.operator_classes(rows)]
