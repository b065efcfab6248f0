"""Privileges (object and column grants) and default privileges: REVOKE before GRANT.

Each grantee's privileges on one object (or one column list) are compared as a map
privilege -> grantable, so a change of grant option is `REVOKE GRANT OPTION FOR` or a
re-grant `WITH GRANT OPTION` instead of a revoke and grant. An object that is created or
replaced in the plan starts with no grants: every desired grant on it is (re)issued.
"""
from __future__ import annotations

from collections import defaultdict

from pgschema_tui.ddl.create import default_privilege_prefix, grant_target
from pgschema_tui.ddl.names import column_list, public_default_privilege, role
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.registry import compares

_TARGET_COLLECTIONS = {
    "TABLE": ("tables", "views", "materialized_views", "sequences"),
    "SEQUENCE": ("sequences",), "FUNCTION": ("functions", "aggregates"), "PROCEDURE": ("functions",),
    "TYPE": ("types", "domains"), "DOMAIN": ("domains", "types"),
}


def _target(schema, object_type: str, object_name: str):
    for coll in _TARGET_COLLECTIONS.get(object_type, ()):
        obj = getattr(schema, coll).get(object_name)
        if obj is not None:
            return obj
    return None


def _target_is_fresh(ctx, object_type: str, object_name: str) -> bool:
    """True when the object has no live grants to keep: it is new, dropped+recreated, or gone."""
    if object_type == "SCHEMA":
        return False
    live_obj = _target(ctx.live, object_type, object_name)
    return live_obj is None or ctx.replaced(live_obj)


def _column_is_fresh(ctx, grant) -> bool:
    """A column grant on a column dropped and added again (a rebuilt generated column) is gone."""
    return bool(grant.columns) and bool(set(grant.columns) & ctx.rebuilt_columns.get(grant.object_name, set()))


def _privilege_maps(grants, keep) -> dict[tuple, dict[str, bool]]:
    out: dict[tuple, dict[str, bool]] = defaultdict(dict)
    for g in grants:
        if g.revoked_default or not keep(g):
            continue
        slot = out[(g.object_type, g.object_name, g.columns, g.grantee)]
        for p in g.privileges:
            slot[p] = slot.get(p, False) or g.grantable
    return out


def _privs(privs: list[str], columns: tuple[str, ...]) -> str:
    cols = f" {column_list(columns)}" if columns else ""
    return ", ".join(f"{p}{cols}" for p in sorted(privs))


def grant_statements(target: str, grantee: str, columns, old: dict[str, bool], new: dict[str, bool]) -> list[str]:
    """REVOKEs then GRANTs that turn privilege map `old` into `new` for one grantee."""
    who = role(grantee)
    revoke = [p for p in old if p not in new]
    revoke_option = [p for p in old if p in new and old[p] and not new[p]]
    grant = [p for p in new if p not in old and not new[p]]
    grant_option = [p for p in new if new[p] and not old.get(p, False)]
    out = []
    if revoke:
        out.append(f"REVOKE {_privs(revoke, columns)} ON {target} FROM {who};")
    if revoke_option:
        out.append(f"REVOKE GRANT OPTION FOR {_privs(revoke_option, columns)} ON {target} FROM {who};")
    if grant:
        out.append(f"GRANT {_privs(grant, columns)} ON {target} TO {who};")
    if grant_option:
        out.append(f"GRANT {_privs(grant_option, columns)} ON {target} TO {who} WITH GRANT OPTION;")
    return out


# What ALTER DEFAULT PRIVILEGES ... ON <kind> applies to: (collection, Grant.object_type).
_DEFAULTED = {
    "TABLES": (("tables", "TABLE"), ("views", "TABLE"), ("materialized_views", "TABLE")),
    "SEQUENCES": (("sequences", "SEQUENCE"),),
    "FUNCTIONS": (("functions", None), ("aggregates", "FUNCTION")),
    "TYPES": (("types", "TYPE"), ("domains", "DOMAIN")),
}


def _defaulted_grants(ctx) -> dict[tuple, dict[str, bool]]:
    """Privileges PostgreSQL grants by itself to the objects this plan creates.

    The plan runs default-privilege changes before any create, so the desired default
    privileges of the migrating role (`for_role` None) are what new objects start with.
    """
    out: dict[tuple, dict[str, bool]] = defaultdict(dict)
    for dp in ctx.desired.default_privileges.values():
        if dp.for_role is not None:
            continue
        for collection, object_type in _DEFAULTED.get(dp.object_type, ()):
            for key, obj in getattr(ctx.desired, collection).items():
                live_obj = getattr(ctx.live, collection).get(key)
                if live_obj is not None and not ctx.replaced(live_obj):
                    continue
                kind = object_type or ("PROCEDURE" if getattr(obj, "is_procedure", False) else "FUNCTION")
                slot = out[(kind, key, (), dp.grantee)]
                for p in dp.privileges:
                    slot[p] = slot.get(p, False) or dp.grantable
    return out


def _default_kind(schema, object_type: str, object_name: str) -> str | None:
    """The ON <kind> of ALTER DEFAULT PRIVILEGES that reaches a grant's object."""
    if object_type == "TABLE":
        return "SEQUENCES" if object_name in schema.sequences else "TABLES"
    return {"SEQUENCE": "SEQUENCES", "FUNCTION": "FUNCTIONS", "PROCEDURE": "FUNCTIONS",
            "TYPE": "TYPES", "DOMAIN": "TYPES"}.get(object_type)


def _keep_covered_by_defaults(ctx, live_maps, desired_maps) -> None:
    """Live grants that another role's desired default privileges give by themselves stay,
    when the files grant that grantee nothing on that object.

    An object created by a role with default privileges receives their grants without any
    GRANT being written (and the catalog does not say who created it, nor whether the grants
    came that way): files that declare `FOR ROLE other` default privileges and leave the
    grants implicit describe that state, and revoking them would undo what PostgreSQL did by
    itself. The running role's own default privileges need no such rule: the parser gives
    objects the files create what those give, as PostgreSQL would (and a REVOKE takes it back).
    Grants the files write for that grantee and object are the whole truth for them;
    privileges no desired default privilege covers are revoked as usual.
    """
    covers: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
    for dp in ctx.desired.default_privileges.values():
        if dp.for_role is None:
            continue
        slot = covers[(dp.object_type, dp.grantee)]
        for p in dp.privileges:
            slot[p] = slot.get(p, False) or dp.grantable
    if not covers:
        return
    for slot, privileges in live_maps.items():
        object_type, object_name, columns, grantee = slot
        if columns or slot in desired_maps or _target(ctx.desired, object_type, object_name) is None:
            continue
        given = covers.get((_default_kind(ctx.desired, object_type, object_name), grantee), {})
        kept = {p: grantable for p, grantable in privileges.items()
                if p in given and (given[p] or not grantable)}
        if kept:
            desired_maps[slot] = kept


@compares("grants")
def compare_grants(ctx):
    live_maps = _privilege_maps(ctx.live.grants.values(),
                                lambda g: not _target_is_fresh(ctx, g.object_type, g.object_name)
                                and not _column_is_fresh(ctx, g))
    desired_maps = _privilege_maps(ctx.desired.grants.values(), lambda g: True)
    _keep_covered_by_defaults(ctx, live_maps, desired_maps)  # live objects only, not the ones created
    live_maps.update(_defaulted_grants(ctx))
    # table-level before column-level: revoking a table privilege also revokes it on every column
    for slot in sorted(set(live_maps) | set(desired_maps), key=lambda s: (s[0], s[1], bool(s[2]), s[3], s[2])):
        object_type, object_name, columns, grantee = slot
        if slot not in desired_maps and _target(ctx.desired, object_type, object_name) is None \
                and object_type != "SCHEMA":
            continue  # the object itself is dropped, its grants with it
        old, new = live_maps.get(slot, {}), desired_maps.get(slot, {})
        if old == new:
            continue
        target = grant_target(object_type, object_name, ctx.desired)
        statements = grant_statements(target, grantee, columns, old, new)
        anchor = _target(ctx.desired, object_type, object_name)
        op = "create" if not old else ("drop" if not new else "alter")
        cols = f"({','.join(columns)})" if columns else ""
        yield Change(op if op != "drop" else "alter", "privilege",
                     f"{ctx.desired.name}.{object_name}{cols}.{grantee}", statements=tuple(statements),
                     reason="privileges changed", anchor=anchor,
                     depends_on=frozenset({f"{_coll(ctx.desired, object_type, object_name)}:{object_name}"}))
    yield from _revoked_defaults(ctx)


def _coll(schema, object_type: str, object_name: str) -> str:
    for coll in _TARGET_COLLECTIONS.get(object_type, ()):
        if object_name in getattr(schema, coll):
            return coll
    return "schema"


def _revoked_defaults(ctx):
    """PUBLIC's default EXECUTE/USAGE (on routines, types, the schema public), revoked or given back."""
    def revoked(schema, fresh_is_default: bool):
        return {(g.object_type, g.object_name, g.grantee) for g in schema.grants.values() if g.revoked_default
                and not (fresh_is_default and _target_is_fresh(ctx, g.object_type, g.object_name))}

    live, desired = revoked(ctx.live, True), revoked(ctx.desired, False)
    for object_type, object_name, grantee in sorted(live ^ desired):
        if object_type != "SCHEMA" and _target(ctx.desired, object_type, object_name) is None:
            continue
        target = grant_target(object_type, object_name, ctx.desired)
        privilege = public_default_privilege(object_type)
        if (object_type, object_name, grantee) in desired:
            sql = f"REVOKE {privilege} ON {target} FROM {role(grantee)};"
        else:
            sql = f"GRANT {privilege} ON {target} TO {role(grantee)};"
        yield Change("alter", "privilege", f"{ctx.desired.name}.{object_name}.{grantee}", statements=(sql,),
                     reason="default privilege of PUBLIC changed", anchor=_target(ctx.desired, object_type, object_name))


def _default_maps(schema):
    out: dict[tuple, dict[str, bool]] = defaultdict(dict)
    samples = {}
    for dp in schema.default_privileges.values():
        slot = (dp.for_role or "", dp.object_type, dp.grantee)
        samples[slot] = dp
        for p in dp.privileges:
            out[slot][p] = out[slot].get(p, False) or dp.grantable
    return out, samples


@compares("default_privileges")
def compare_default_privileges(ctx):
    live_maps, live_samples = _default_maps(ctx.live)
    desired_maps, desired_samples = _default_maps(ctx.desired)
    for slot in sorted(set(live_maps) | set(desired_maps)):
        old, new = live_maps.get(slot, {}), desired_maps.get(slot, {})
        if old == new:
            continue
        sample = desired_samples.get(slot) or live_samples[slot]
        prefix = default_privilege_prefix(sample, ctx.desired)
        statements = [s.replace(" ON TARGET ", f" ON {slot[1]} ")
                      for s in grant_statements("TARGET", slot[2], (), old, new)]
        op = "create" if not old else ("drop" if not new else "alter")
        yield Change(op, "default_privilege", f"{ctx.desired.name}.{sample.key}",
                     old=live_samples.get(slot), new=desired_samples.get(slot),
                     statements=tuple(f"{prefix} {s}" for s in statements), reason="default privileges changed")
