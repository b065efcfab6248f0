"""Fingerprint of a live schema: SHA-256 of a canonical serialisation, plus one short hash per
object, so `apply` can refuse a stale plan and name the objects that changed since.

Both fingerprints of a plan come from the catalog, read the same way (same `search_path`),
so expressions serialise by their text: the server prints an unchanged expression the same
way every time, and parsing every expression into its canonical form cost more than the
rest of the fingerprint. (A server upgrade that respells an expression makes a stale plan
refuse, which is the safe side.) Fields excluded from comparison (`depends_on`,
`valid`...) are left out, and so are field names (each class has a fixed field order; the
class name is written).
"""
from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass
from functools import lru_cache
from operator import attrgetter

from pgschema_tui.diff.context import object_path
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Schema

_SCALARS = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=None)
def _compared_fields(cls):
    """A function returning the tuple of the values of the fields that take part in equality,
    in field order, or None for a class that is not a dataclass."""
    if not is_dataclass(cls):
        return None
    names = [f.name for f in fields(cls) if f.compare]
    if len(names) == 1:  # attrgetter of one name returns the value itself
        return lambda value, name=names[0]: (getattr(value, name),)
    return attrgetter(*names) if names else lambda value: ()


def _encode(value, out: list[str]) -> None:
    # hot path of a large schema: scalars are written inline, not through a call
    kind = type(value)
    if kind in _SCALARS:
        out.append(repr(value))
    elif kind is Expr:
        out.append("E" + repr(value.text))
    elif kind is tuple or kind is list:
        out.append("[")
        for item in value:
            if type(item) in _SCALARS:
                out.append(repr(item))
            else:
                _encode(item, out)
            out.append(",")
        out.append("]")
    elif (compared := _compared_fields(kind)) is not None:
        out.append(kind.__name__ + "(")
        for item in compared(value):
            if type(item) in _SCALARS:
                out.append(repr(item))
            else:
                _encode(item, out)
            out.append(",")
        out.append(")")
    elif isinstance(value, (set, frozenset)):
        out.append("{" + ",".join(sorted(canonical_text(v) for v in value)) + "}")
    elif isinstance(value, dict):
        out.append("{" + ",".join(f"{k!r}:{canonical_text(v)}" for k, v in sorted(value.items())) + "}")
    else:
        out.append(repr(value))


def canonical_text(value) -> str:
    """A string that is equal for two IR values read from the same server exactly when they
    compare equal (expressions are written as spelled)."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def object_fingerprints(schema: Schema) -> dict[str, str]:
    """path -> 16-hex-digit hash of each object (`public.users`, `public.users.users_pkey`)."""
    out = {object_path(schema, obj): _digest(canonical_text(obj))[:16] for obj in schema.objects()}
    if schema.comment is not None:
        out[schema.name] = _digest(schema.comment)[:16]
    return out


def fingerprint(schema: Schema) -> tuple[str, dict[str, str]]:
    """(SHA-256 of the whole schema, per-object hashes)."""
    per_object = object_fingerprints(schema)
    listing = "\n".join(f"{path}={digest}" for path, digest in sorted(per_object.items()))
    return _digest(f"{schema.name}\n{listing}"), per_object


def changed_objects(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Object paths added, removed or changed between two per-object fingerprint maps, sorted."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def renamed_fingerprint(per_object: dict[str, str], old: str, new: str) -> tuple[str, dict[str, str]]:
    """`fingerprint()` of a schema named `old` with these per-object hashes, were it named `new`
    (the IR is schema-agnostic: only the paths and the name in the hash change). For fleets,
    where schemas with identical catalogs share one inspection (`inspect/signatures.py`)."""
    renamed = {new + path[len(old):]: digest for path, digest in per_object.items()}
    listing = "\n".join(f"{path}={digest}" for path, digest in sorted(renamed.items()))
    return _digest(f"{new}\n{listing}"), renamed
