"""The `search_path` plan, apply and inspection run with: the user's session's, target first.

A psql or application session resolves unqualified names with pg_catalog first (implicitly,
when the setting does not name it), then the schemas of its `search_path`. The tool runs the
same way: the target schema first (where unqualified objects are created), then the other
schemas of the session's path (`--search-path`, else the role's and database's setting), with
pg_catalog implicitly before all of them unless the path names it. So `text` is the built-in
type even when the schema has a table `text`, and an extension's `cube` installed in `public`
is reached unqualified from schema `app`, as the files' own session reaches them.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from pgschema_tui.ddl.quote import ident


def split_setting(setting: str | None) -> tuple[str, ...]:
    """The schema names of a `search_path` setting's text (`"$user", public, "My S"`)."""
    out: list[str] = []
    if not setting:
        return ()
    text = setting.strip()
    i = 0
    while i < len(text):
        while i < len(text) and text[i] in " \t\n,":
            i += 1
        if i >= len(text):
            break
        if text[i] == '"':
            j, name = i + 1, []
            while j < len(text):
                if text[j] == '"':
                    if j + 1 < len(text) and text[j + 1] == '"':
                        name.append('"')
                        j += 2
                        continue
                    break
                name.append(text[j])
                j += 1
            out.append("".join(name))
            i = j + 1
        else:
            j = i
            while j < len(text) and text[j] != ",":
                j += 1
            out.append(text[i:j].strip().lower())
            i = j
    return tuple(n for n in out if n)


def effective_path(target: str, session_path: tuple[str, ...] = (), user: str | None = None) -> tuple[str, ...]:
    """The schemas, in order: the target, then the session's others (`$user` as `user`), each once."""
    out = [target]
    for name in session_path:
        name = user if name == "$user" else name
        if name and name not in out and name != "pg_temp":
            out.append(name)
    return tuple(out)


def setting_text(path: tuple[str, ...]) -> str:
    """The value for `SET search_path TO ...` / set_config (identifiers quoted)."""
    return ", ".join(ident(name) for name in path)


def catalog_first(path: tuple[str, ...]) -> tuple[str, ...]:
    """The order names are looked up in: pg_catalog first unless the path names it."""
    return path if "pg_catalog" in path else ("pg_catalog", *path)


# The schema the DDL being rendered is for, while a plan or a dump renders it (`rendering_for`):
# the target's routines and types named like pg_catalog's are written qualified with it, or the
# statement would reach pg_catalog's (`COMMENT ON FUNCTION "current_user"()` comments the built-in).
_TARGET: ContextVar[str | None] = ContextVar("pgschema_tui_render_target", default=None)


@contextmanager
def rendering_for(schema: str | None):
    token = _TARGET.set(schema)
    try:
        yield
    finally:
        _TARGET.reset(token)


def routine_name(name: str) -> str:
    """A target routine's name as DDL references it: qualified when pg_catalog has the name."""
    from pgschema_tui.ddl.catalog_names import catalog_functions

    target = _TARGET.get()
    if target and name in catalog_functions():
        return f"{ident(target)}.{ident(name)}"
    return ident(name)


def type_name(name: str) -> str:
    """A target type's (or domain's) name as DDL references it: qualified when pg_catalog has it."""
    from pgschema_tui.ddl.catalog_names import catalog_types

    target = _TARGET.get()
    if target and name in catalog_types():
        return f"{ident(target)}.{ident(name)}"
    return ident(name)
