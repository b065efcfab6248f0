"""CREATE / DROP / ALTER STATISTICS (`ir.Statistics`, extended statistics objects)."""
from __future__ import annotations

from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir.model import Statistics

# pg_statistic_ext.stxkind letters and the words CREATE STATISTICS takes, in the catalog's order
STATISTICS_KINDS = (("d", "ndistinct"), ("f", "dependencies"), ("m", "mcv"))
ALL_KINDS = tuple(word for _, word in STATISTICS_KINDS)


def normal_kinds(words) -> tuple[str, ...]:
    """The kinds as the IR keeps them: in the catalog's order, () for all of them (the default)."""
    given = set(words)
    found = tuple(word for word in ALL_KINDS if word in given)
    return () if found == ALL_KINDS else found


def _element(text: str) -> str:
    text = text.strip()
    return text if text.startswith("(") and text.endswith(")") else f"({text})"


@renders(Statistics)
def _statistics(stat: Statistics, schema) -> list[str]:
    elements = [ident(c) for c in stat.columns] + [_element(e.text) for e in stat.expressions]
    kinds = f" ({', '.join(stat.kinds)})" if stat.kinds else ""
    out = [f"CREATE STATISTICS {ident(stat.name)}{kinds} ON {', '.join(elements)} FROM {ident(stat.table)};"]
    if stat.stattarget is not None:
        out.append(alter_stattarget(stat))
    return out


def alter_stattarget(stat: Statistics, default: str = "-1") -> str:
    """ALTER STATISTICS ... SET STATISTICS; `default` spells the default target (DEFAULT on 17+)."""
    target = stat.stattarget if stat.stattarget is not None else default
    return f"ALTER STATISTICS {ident(stat.name)} SET STATISTICS {target};"


@drops(Statistics)
def _drop_statistics(stat: Statistics, schema) -> str:
    return f"DROP STATISTICS {ident(stat.name)};"


def statistics_elements(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(columns, expression texts) of `pg_get_statisticsobjdef_columns` output (`a, b, lower(c)`)."""
    from pglast.stream import RawStream

    from pgschema_tui.ir.normalize import parse_sql

    node = parse_sql(f"CREATE STATISTICS s ON {text} FROM t")[0].stmt
    columns = tuple(e.name for e in node.exprs if e.name)
    expressions = tuple(RawStream(special_functions=True)(e.expr) for e in node.exprs if not e.name)
    return columns, expressions
