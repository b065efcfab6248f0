"""Text search dictionaries and configurations: ALTER where PostgreSQL can, replace otherwise.

A dictionary's options change with `ALTER TEXT SEARCH DICTIONARY d (opt = 'v', dropped_opt)`;
a new template is a replace. A configuration's mappings change with ADD / ALTER / DROP MAPPING;
a new parser is a replace (what stands on it, such as indexes calling `to_tsvector('c', ...)`,
is rebuilt with it by the engine's closure over the live graph).
"""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.ddl.textsearch import mapping_statements
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change, replace_change
from pgschema_tui.diff.registry import compares, pairs, replaced_when


@replaced_when("text_search_dictionaries")
def dictionary_needs_replace(old, new, ctx) -> str | None:
    return "dictionary template changed" if old.template != new.template else None


@replaced_when("text_search_configurations")
def configuration_needs_replace(old, new, ctx) -> str | None:
    return "configuration parser changed" if old.parser != new.parser else None


def _comment(old, new) -> list[str]:
    return [comment_on(comment_target(new), new.comment)] if old.comment != new.comment else []


@compares("text_search_dictionaries")
def compare_dictionaries(ctx):
    for _key, old, new in pairs(ctx, "text_search_dictionaries"):
        if new is None:
            yield drop_change(ctx, "text_search_dictionary", old)
        elif old is None:
            yield create_change(ctx, "text_search_dictionary", new)
        elif ctx.replaced(new):
            yield replace_change(ctx, "text_search_dictionary", old, new)
        else:
            before, after = dict(old.options), dict(new.options)
            clauses = [f"{ident(k)} = {literal(v)}" for k, v in new.options if before.get(k) != v]
            clauses += [ident(k) for k in sorted(before) if k not in after]
            statements = [f"ALTER TEXT SEARCH DICTIONARY {ident(new.name)} ({', '.join(clauses)});"] if clauses else []
            statements += _comment(old, new)
            if statements:
                yield Change("alter", "text_search_dictionary", ctx.path(new), old=old, new=new,
                             statements=tuple(statements), reason="dictionary options changed")


@compares("text_search_configurations")
def compare_configurations(ctx):
    for _key, old, new in pairs(ctx, "text_search_configurations"):
        if new is None:
            yield drop_change(ctx, "text_search_configuration", old)
        elif old is None:
            yield create_change(ctx, "text_search_configuration", new)
        elif ctx.replaced(new):
            yield replace_change(ctx, "text_search_configuration", old, new)
        else:
            before, after = old.mapping(), new.mapping()
            gone = [t for t in sorted(before) if t not in after]
            statements = []
            if gone:
                statements.append(f"ALTER TEXT SEARCH CONFIGURATION {ident(new.name)} DROP MAPPING FOR "
                                  f"{', '.join(ident(t) for t in gone)};")
            statements += mapping_statements(new.name, [(t, d) for t, d in new.mappings
                                                        if t in before and before[t] != d], "ALTER")
            statements += mapping_statements(new.name, [(t, d) for t, d in new.mappings if t not in before])
            statements += _comment(old, new)
            if statements:
                yield Change("alter", "text_search_configuration", ctx.path(new), old=old, new=new,
                             statements=tuple(statements), reason="configuration mappings changed")
