"""Text search dictionaries and configurations: CREATE, ALTER (options, mappings), COMMENT, DROP.

`CREATE TEXT SEARCH CONFIGURATION c (COPY = src)` copies the parser and mappings of `src`:
from the files when they create it, else from PostgreSQL's built-in configurations, whose
mappings follow one rule (`builtin_mappings`). Names are spelled as inspect/textsearch.py reads
them (quoted, unqualified in the target schema and pg_catalog).
"""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTSConfigType as K, ObjectType as OT

from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import (
    COMMENT_HANDLERS, DEFINE_HANDLERS, DROP_HANDLERS, NotYet, handles, handles_kind,
)

# PostgreSQL's built-in configurations (snowball_create.sql): numbers, URLs and such map to
# `simple`, words to the language's stemmer; two languages stem ASCII words as English.
_LANGUAGES = ("arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "estonian", "finnish",
              "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian", "lithuanian",
              "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian", "spanish", "swedish",
              "tamil", "turkish", "yiddish")
_ASCII_AS_ENGLISH = frozenset({"hindi", "russian"})
_SIMPLE_TOKENS = ("email", "file", "float", "host", "hword_numpart", "int", "numhword", "numword", "sfloat",
                  "uint", "url", "url_path", "version")
_ASCII_TOKENS = ("asciihword", "asciiword", "hword_asciipart")
_WORD_TOKENS = ("hword", "hword_part", "word")


def builtin_mappings(name: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The mappings of built-in configuration `name`, None when PostgreSQL has no such one."""
    if name == "simple":
        found = dict.fromkeys(_SIMPLE_TOKENS + _ASCII_TOKENS + _WORD_TOKENS, ("simple",))
    elif name in _LANGUAGES:
        ascii_stem = "english_stem" if name in _ASCII_AS_ENGLISH else f"{name}_stem"
        found = {**dict.fromkeys(_SIMPLE_TOKENS, ("simple",)), **dict.fromkeys(_ASCII_TOKENS, (ascii_stem,)),
                 **dict.fromkeys(_WORD_TOKENS, (f"{name}_stem",))}
    else:
        return None
    return tuple(sorted(found.items()))


def _names(arg) -> list[str]:
    if isinstance(arg, ast.TypeName):
        return [n.sval for n in arg.names]
    if isinstance(arg, ast.String):
        return [arg.sval]
    return [n.sval for n in arg]


def _own(ctx: LoadContext, parts: list[str]) -> str | None:
    return None if len(parts) > 1 and not ctx.is_target(parts[-2]) else parts[-1]


def _option_value(arg) -> str:
    """A dictionary option as `dictinitoption` stores it (the text of the value)."""
    if isinstance(arg, ast.TypeName):
        return ".".join(n.sval for n in arg.names)
    if isinstance(arg, ast.Integer):
        return str(arg.ival)
    if isinstance(arg, ast.Float):
        return arg.fval
    if isinstance(arg, ast.Boolean):
        return "true" if arg.boolval else "false"
    if isinstance(arg, ast.String):
        return arg.sval
    if isinstance(arg, (list, tuple)):
        return ".".join(_option_value(a) for a in arg)
    return str(arg)


def _dictionary_refs(ctx: LoadContext, names_list) -> tuple[list[str], set[str]]:
    refs, deps = [], set()
    for names in names_list:
        parts = _names(names)
        refs.append(ctx.sql_ref(parts))
        if len(parts) == 1 or ctx.is_target(parts[-2]):
            deps.add(f"tsdict:{parts[-1]}")
    return refs, deps


@handles_kind(DEFINE_HANDLERS, OT.OBJECT_TSDICTIONARY)
def create_dictionary(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    template, options = None, {}
    for d in node.definition or ():
        if d.defname == "template":
            template = ctx.sql_ref(_names(d.arg))
        else:
            options[d.defname.lower()] = _option_value(d.arg)
    if template is None:
        raise ctx.unsupported(f"text search dictionary {name}", "a dictionary without TEMPLATE")
    ctx.schema.add(TextSearchDictionary(name=name, template=template, options=tuple(sorted(options.items()))))


@handles(ast.AlterTSDictionaryStmt)
def alter_dictionary(node: ast.AlterTSDictionaryStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.dictname)
    if name is None:
        return
    old = ctx.schema.text_search_dictionaries.get(name)
    if old is None:
        raise NotYet(f"text search dictionary {name}")
    options = dict(old.options)
    for d in node.options or ():
        if d.arg is None:
            options.pop(d.defname.lower(), None)  # `(accept)`: back to the template's default
        else:
            options[d.defname.lower()] = _option_value(d.arg)
    ctx.schema.add(replace(old, options=tuple(sorted(options.items()))))


@handles_kind(DEFINE_HANDLERS, OT.OBJECT_TSCONFIGURATION)
def create_configuration(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    what = f"text search configuration {name}"
    parser, mappings = None, ()
    for d in node.definition or ():
        if d.defname == "parser":
            parser = ctx.sql_ref(_names(d.arg))
        elif d.defname == "copy":
            parser, mappings = _copied(ctx, _names(d.arg), what)
        else:
            raise ctx.unsupported(what, f"option {d.defname}")
    if parser is None:
        raise ctx.unsupported(what, "a configuration without PARSER or COPY")
    deps = {f"tsdict:{d}" for _token, dicts in mappings for d in dicts if "." not in d}
    ctx.schema.add(TextSearchConfiguration(name=name, parser=parser, mappings=mappings, depends_on=frozenset(deps)))


def _copied(ctx: LoadContext, parts: list[str], what: str):
    source = parts[-1]
    if len(parts) == 1 or ctx.is_target(parts[-2]):
        own = ctx.schema.text_search_configurations.get(source)
        if own is not None:
            return own.parser, own.mappings
    if len(parts) == 1 or parts[-2] == "pg_catalog":
        builtin = builtin_mappings(source)
        if builtin is not None:
            return '"default"', builtin
    if len(parts) == 1 or ctx.is_target(parts[-2]):
        raise NotYet(f"text search configuration {source}")
    raise ctx.unsupported(what, f"COPY from {'.'.join(parts)} (outside the files and the built-ins)")


@handles(ast.AlterTSConfigurationStmt)
def alter_configuration(node: ast.AlterTSConfigurationStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.cfgname)
    if name is None:
        return
    old = ctx.schema.text_search_configurations.get(name)
    if old is None:
        raise NotYet(f"text search configuration {name}")
    mappings = dict(old.mappings)
    tokens = [t.sval for t in node.tokentype or ()]
    dicts, deps = _dictionary_refs(ctx, node.dicts or ())
    if node.kind in (K.ALTER_TSCONFIG_ADD_MAPPING, K.ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN):
        for token in tokens:
            mappings[token] = tuple(dicts)
    elif node.kind in (K.ALTER_TSCONFIG_REPLACE_DICT, K.ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN):
        old_dict, new_dict = dicts
        for token in tokens or list(mappings):
            if token in mappings:
                mappings[token] = tuple(new_dict if d == old_dict else d for d in mappings[token])
    elif node.kind == K.ALTER_TSCONFIG_DROP_MAPPING:
        for token in tokens:
            mappings.pop(token, None)
    kept = {f"tsdict:{d}" for dicts_ in mappings.values() for d in dicts_ if "." not in d}
    ctx.schema.add(replace(old, mappings=tuple(sorted(mappings.items())), depends_on=frozenset(kept)))


@handles_kind(COMMENT_HANDLERS, OT.OBJECT_TSCONFIGURATION, OT.OBJECT_TSDICTIONARY)
def comment(node: ast.CommentStmt, ctx: LoadContext, stmt) -> None:
    name = _own(ctx, _names(node.object))
    if name is None:
        return
    pool = (ctx.schema.text_search_configurations if node.objtype == OT.OBJECT_TSCONFIGURATION
            else ctx.schema.text_search_dictionaries)
    if name not in pool:
        raise NotYet(f"text search object {name}")
    ctx.schema.add(replace(pool[name], comment=node.comment))


@handles_kind(DROP_HANDLERS, OT.OBJECT_TSCONFIGURATION, OT.OBJECT_TSDICTIONARY)
def drop(node: ast.DropStmt, ctx: LoadContext, stmt) -> None:
    pool = (ctx.schema.text_search_configurations if node.removeType == OT.OBJECT_TSCONFIGURATION
            else ctx.schema.text_search_dictionaries)
    for obj in node.objects:
        name = _own(ctx, _names(obj))
        if name is not None:
            pool.pop(name, None)
