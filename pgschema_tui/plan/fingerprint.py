"""Fingerprint of a live schema: SHA-256 of a canonical serialisation, plus one short hash per
object, so `apply` can refuse a stale plan and name the objects that changed since.

Expressions serialise by their canonical form (`Expr.canon`), so a spelling the server
prints differently on another day does not count as a change; fields excluded from
comparison (`depends_on`, `valid`...) are left out.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass

from pgschema_tui.diff.context import object_path
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Schema


def canonical(value):
    """A JSON-ready value that is equal for two IR values exactly when they compare equal."""
    if isinstance(value, Expr):
        return {"expr": value.canon}
    if is_dataclass(value):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value) if f.compare}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(canonical(v) for v in value)
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items())}
    return value


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def object_fingerprints(schema: Schema) -> dict[str, str]:
    """path -> 16-hex-digit hash of each object (`public.users`, `public.users.users_pkey`)."""
    out = {object_path(schema, obj): _digest(canonical(obj))[:16] for obj in schema.objects()}
    if schema.comment is not None:
        out[schema.name] = _digest(schema.comment)[:16]
    return out


def fingerprint(schema: Schema) -> tuple[str, dict[str, str]]:
    """(SHA-256 of the whole schema, per-object hashes)."""
    per_object = object_fingerprints(schema)
    return _digest({"schema": schema.name, "objects": per_object}), per_object


def changed_objects(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Object keys added, removed or changed between two per-object fingerprint maps, sorted."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
