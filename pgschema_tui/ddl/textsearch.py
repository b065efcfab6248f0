"""CREATE / DROP / COMMENT ON of text search dictionaries and configurations."""
from __future__ import annotations

from pgschema_tui.ddl.comment import COMMENT_TARGETS
from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary


def dictionary_options(options) -> str:
    return ", ".join(f"{ident(k)} = {literal(v)}" for k, v in options)


@renders(TextSearchDictionary)
def _dictionary(d: TextSearchDictionary, schema) -> list[str]:
    options = "".join(f", {ident(k)} = {literal(v)}" for k, v in d.options)
    return [f"CREATE TEXT SEARCH DICTIONARY {ident(d.name)} (TEMPLATE = {d.template}{options});"]


def mapping_statements(name: str, mappings, verb: str = "ADD") -> list[str]:
    """`ALTER TEXT SEARCH CONFIGURATION c <verb> MAPPING FOR t1, t2 WITH d1, d2;`, tokens with the
    same dictionaries in one statement."""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for token, dictionaries in mappings:
        grouped.setdefault(tuple(dictionaries), []).append(token)
    return [f"ALTER TEXT SEARCH CONFIGURATION {ident(name)} {verb} MAPPING FOR "
            f"{', '.join(ident(t) for t in tokens)} WITH {', '.join(dictionaries)};"
            for dictionaries, tokens in grouped.items()]


@renders(TextSearchConfiguration)
def _configuration(c: TextSearchConfiguration, schema) -> list[str]:
    return [f"CREATE TEXT SEARCH CONFIGURATION {ident(c.name)} (PARSER = {c.parser});",
            *mapping_statements(c.name, c.mappings)]


@drops(TextSearchDictionary)
def _drop_dictionary(d: TextSearchDictionary, schema) -> str:
    return f"DROP TEXT SEARCH DICTIONARY {ident(d.name)};"


@drops(TextSearchConfiguration)
def _drop_configuration(c: TextSearchConfiguration, schema) -> str:
    return f"DROP TEXT SEARCH CONFIGURATION {ident(c.name)};"


COMMENT_TARGETS[TextSearchDictionary] = lambda d: f"TEXT SEARCH DICTIONARY {ident(d.name)}"
COMMENT_TARGETS[TextSearchConfiguration] = lambda c: f"TEXT SEARCH CONFIGURATION {ident(c.name)}"
