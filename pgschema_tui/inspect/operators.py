"""User-defined operators, operator classes and families (`operators`, `operator_classes`).

Representation choices the parser mirrors:
- `left` is None for a prefix operator; types are `format_type` spellings.
- `function`, `restrict`, `join` are function names, unqualified in the target schema and
  pg_catalog (`function_name_sql`); `commutator`/`negator` operator names, `schema.name`
  outside those two schemas. Shell operators (no function yet) are left out.
- `depends_on` names the functions in the target schema (`function:<name>`); commutator and
  negator links are no edges: CREATE OPERATOR makes a shell for a missing one.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import comment_sql, function_name_sql, not_extension_member
from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily


def _operator_name_sql(oid: str) -> str:
    return (f"(SELECT CASE WHEN xn.nspname IN ('pg_catalog', %(schema)s) THEN xo.oprname "
            f"ELSE xn.nspname || '.' || xo.oprname END FROM pg_catalog.pg_operator xo "
            f"JOIN pg_catalog.pg_namespace xn ON xn.oid = xo.oprnamespace WHERE xo.oid = {oid})")


_OPERATORS = f"""
SELECT o.oid, o.oprname,
       CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS lefttype,
       pg_catalog.format_type(o.oprright, NULL) AS righttype,
       {function_name_sql('o.oprcode::oid')} AS function,
       {function_name_sql('o.oprrest::oid')} AS restrict,
       {function_name_sql('o.oprjoin::oid')} AS joinsel,
       {_operator_name_sql('o.oprcom')} AS commutator,
       {_operator_name_sql('o.oprnegate')} AS negator,
       o.oprcanhash, o.oprcanmerge,
       (SELECT array_agg(p.proname) FROM pg_catalog.pg_proc p
        WHERE p.oid IN (o.oprcode, o.oprrest, o.oprjoin) AND p.pronamespace = %(nsp)s) AS own_functions,
       {comment_sql('pg_operator', 'o.oid')} AS description
FROM pg_catalog.pg_operator o
WHERE o.oprnamespace = %(nsp)s AND o.oprcode <> 0 AND {not_extension_member('pg_operator', 'o.oid')}
"""


def operators(rows: list[dict]) -> list[Operator]:
    return [Operator(
        name=row["oprname"], left=row["lefttype"], right=row["righttype"], function=row["function"],
        commutator=row["commutator"], negator=row["negator"], restrict=row["restrict"], join=row["joinsel"],
        hashes=row["oprcanhash"], merges=row["oprcanmerge"], comment=row["description"],
        depends_on=frozenset(f"function:{name}" for name in row["own_functions"] or ()),
    ) for row in rows]



def _family_name_sql(oid: str) -> str:
    return (f"(SELECT CASE WHEN sn.nspname IN ('pg_catalog', %(schema)s) THEN sf.opfname "
            f"ELSE sn.nspname || '.' || sf.opfname END FROM pg_catalog.pg_opfamily sf "
            f"JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace WHERE sf.oid = {oid})")


_OWNER = """d.refclassid = 'pg_catalog.pg_opclass'::regclass AS in_class, d.refobjid AS owner"""
_OWNED = """JOIN pg_catalog.pg_depend d ON d.classid = '{cls}'::regclass AND d.objid = m.oid
     AND ((d.refclassid = 'pg_catalog.pg_opclass'::regclass AND d.deptype = 'i')
          OR (d.refclassid = 'pg_catalog.pg_opfamily'::regclass AND d.deptype = 'a'))
JOIN pg_catalog.pg_opfamily f ON f.oid = {family}
WHERE f.opfnamespace = %(nsp)s"""

_MEMBER_OPERATORS = f"""
SELECT {_OWNER}, m.amopstrategy AS number,
       {_operator_name_sql('m.amopopr')} || '(' || COALESCE(pg_catalog.format_type(NULLIF(o.oprleft, 0), NULL), 'NONE')
       || ', ' || pg_catalog.format_type(o.oprright, NULL) || ')' AS operator,
       CASE WHEN m.amoppurpose = 'o' THEN {_family_name_sql('m.amopsortfamily')} END AS order_family,
       CASE WHEN o.oprnamespace = %(nsp)s THEN o.oprname END AS own
FROM pg_catalog.pg_amop m JOIN pg_catalog.pg_operator o ON o.oid = m.amopopr
{_OWNED.format(cls='pg_catalog.pg_amop', family='m.amopfamily')}
"""

_MEMBER_FUNCTIONS = f"""
SELECT {_OWNER}, m.amprocnum AS number, pg_catalog.format_type(m.amproclefttype, NULL) AS lefttype,
       pg_catalog.format_type(m.amprocrighttype, NULL) AS righttype,
       {function_name_sql('m.amproc::oid')} || '(' || pg_catalog.pg_get_function_identity_arguments(m.amproc)
       || ')' AS function,
       CASE WHEN p.pronamespace = %(nsp)s THEN p.proname END AS own
FROM pg_catalog.pg_amproc m JOIN pg_catalog.pg_proc p ON p.oid = m.amproc
{_OWNED.format(cls='pg_catalog.pg_amproc', family='m.amprocfamily')}
"""

_CLASSES = f"""
SELECT c.oid, c.opcfamily, c.opcname, am.amname, pg_catalog.format_type(c.opcintype, NULL) AS type, c.opcdefault,
       CASE WHEN f.opfname = c.opcname AND f.opfnamespace = c.opcnamespace THEN NULL
            ELSE {_family_name_sql('f.oid')} END AS family,
       CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage,
       {comment_sql('pg_opclass', 'c.oid')} AS description
FROM pg_catalog.pg_opclass c
JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
WHERE c.opcnamespace = %(nsp)s AND {not_extension_member('pg_opclass', 'c.oid')}
"""

_FAMILIES = f"""
SELECT f.oid, f.opfname, am.amname, {comment_sql('pg_opfamily', 'f.oid')} AS description,
       EXISTS (SELECT 1 FROM pg_catalog.pg_opclass c WHERE c.opcfamily = f.oid AND c.opcname = f.opfname
               AND c.opcnamespace = f.opfnamespace) AS implicit
FROM pg_catalog.pg_opfamily f
JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
WHERE f.opfnamespace = %(nsp)s AND {not_extension_member('pg_opfamily', 'f.oid')}
"""


QUERIES = {"operators": _OPERATORS, "operator_members": _MEMBER_OPERATORS, "function_members": _MEMBER_FUNCTIONS,
           "operator_classes": _CLASSES, "operator_families": _FAMILIES}


def operator_classes(rows: dict[str, list[dict]]) -> list:
    """Operator classes and the families that are more than a class's own (ir/operators.py)."""
    member_operators: dict[tuple[bool, int], list] = {}
    functions: dict[tuple[bool, int], list] = {}
    refs: dict[tuple[bool, int], set[str]] = {}
    for row in rows["operator_members"]:
        owner = (row["in_class"], row["owner"])
        member_operators.setdefault(owner, []).append((row["number"], row["operator"], row["order_family"]))
        if row["own"]:
            refs.setdefault(owner, set()).add(f"operator:{row['own']}")
    for row in rows["function_members"]:
        owner = (row["in_class"], row["owner"])
        functions.setdefault(owner, []).append((row["number"], row["lefttype"], row["righttype"], row["function"]))
        if row["own"]:
            refs.setdefault(owner, set()).add(f"function:{row['own']}")
    out: list = []
    for row in rows["operator_classes"]:
        owner = (True, row["oid"])
        # the loose members of the class's own family are the class's (ir/operators.OperatorClass)
        loose = (False, row["opcfamily"]) if row["family"] is None else None
        family_refs = {f"operator_family:{row['family']}"} if row["family"] and "." not in row["family"] else set()
        out.append(OperatorClass(
            name=row["opcname"], method=row["amname"], type=row["type"], default=row["opcdefault"],
            family=row["family"], storage=row["storage"] if row["storage"] != row["type"] else None,
            operators=tuple(sorted(set(member_operators.get(owner, []) + member_operators.get(loose, [])), key=str)),
            functions=tuple(sorted(set(functions.get(owner, []) + functions.get(loose, [])), key=str)),
            comment=row["description"],
            depends_on=frozenset(refs.get(owner, set()) | refs.get(loose, set()) | family_refs)))
    for row in rows["operator_families"]:
        owner = (False, row["oid"])
        if row["implicit"]:
            continue  # a class's own family: its members are the class's
        out.append(OperatorFamily(
            name=row["opfname"], method=row["amname"],
            operators=tuple(sorted(member_operators.get(owner, ()), key=str)),
            functions=tuple(sorted(functions.get(owner, ()), key=str)), comment=row["description"],
            depends_on=frozenset(refs.get(owner, set()))))
    return out
