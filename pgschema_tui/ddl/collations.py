"""CREATE / DROP COLLATION (`ir.Collation`)."""
from __future__ import annotations

from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.ir.model import Collation


def collation_options(coll: Collation) -> list[str]:
    """The option list of CREATE COLLATION, every setting spelled out."""
    options = [f"provider = {coll.provider}"]
    if coll.locale is not None:
        options.append(f"locale = {literal(coll.locale)}")
    if coll.lc_collate is not None:
        options.append(f"lc_collate = {literal(coll.lc_collate)}")
    if coll.lc_ctype is not None:
        options.append(f"lc_ctype = {literal(coll.lc_ctype)}")
    if not coll.deterministic:
        options.append("deterministic = false")
    if coll.rules is not None:
        options.append(f"rules = {literal(coll.rules)}")
    return options


@renders(Collation)
def _collation(coll: Collation, schema) -> list[str]:
    return [f"CREATE COLLATION {ident(coll.name)} ({', '.join(collation_options(coll))});"]


@drops(Collation)
def _drop_collation(coll: Collation, schema) -> str:
    return f"DROP COLLATION {ident(coll.name)};"
