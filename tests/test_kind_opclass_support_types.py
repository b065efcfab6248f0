"""Issue 10: operator class and family support functions written with explicit types,
`FUNCTION 1 (integer, integer) f(integer, integer)`, converge: the file loaded by the server
plans empty, and applied by the tool re-plans empty (no perpetual diff), for classes and for
families (ALTER OPERATOR FAMILY ... ADD), same-type and cross-type."""
from __future__ import annotations

import pytest

from converge_helpers import converges

FUNCTIONS = """
CREATE FUNCTION my_cmp(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($1, $2)';
CREATE FUNCTION my_cmp48(integer, bigint) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint48cmp($1, $2)';
CREATE FUNCTION my_hash(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT hashint4($1)';
"""

CASES = {
    "class-same-type": """
CREATE OPERATOR CLASS k_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 (integer, integer) my_cmp(integer, integer);
""",
    "class-cross-type": """
CREATE OPERATOR CLASS k_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 (integer, integer) my_cmp(integer, integer),
    OPERATOR 1 < (integer, bigint),
    FUNCTION 1 (integer, bigint) my_cmp48(integer, bigint);
""",
    "class-hash": """
CREATE OPERATOR CLASS k_hash_ops FOR TYPE integer USING hash AS
    OPERATOR 1 =, FUNCTION 1 (integer) my_hash(integer);
""",
    "family-same-type": """
CREATE OPERATOR FAMILY k_fam USING btree;
ALTER OPERATOR FAMILY k_fam USING btree ADD
    OPERATOR 1 < (integer, integer), FUNCTION 1 (integer, integer) my_cmp(integer, integer);
""",
    "family-cross-type": """
CREATE OPERATOR FAMILY k_fam USING btree;
ALTER OPERATOR FAMILY k_fam USING btree ADD
    OPERATOR 1 < (integer, bigint), FUNCTION 1 (integer, bigint) my_cmp48(integer, bigint);
""",
    "class-in-family-plus-loose": """
CREATE OPERATOR FAMILY k_fam USING btree;
CREATE OPERATOR CLASS k_ops FOR TYPE integer USING btree FAMILY k_fam AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 (integer, integer) my_cmp(integer, integer);
ALTER OPERATOR FAMILY k_fam USING btree ADD FUNCTION 1 (integer, bigint) my_cmp48(integer, bigint);
""",
    "class-in-family-cross-type": """
CREATE OPERATOR FAMILY k_fam USING btree;
CREATE OPERATOR CLASS k_ops FOR TYPE integer USING btree FAMILY k_fam AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 (integer, integer) my_cmp(integer, integer),
    OPERATOR 1 < (integer, bigint), FUNCTION 1 (integer, bigint) my_cmp48(integer, bigint);
""",
    "family-add-to-class-own-family": """
CREATE OPERATOR CLASS k_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 my_cmp(integer, integer);
ALTER OPERATOR FAMILY k_ops USING btree ADD OPERATOR 1 < (integer, bigint),
    FUNCTION 1 (integer, bigint) my_cmp48(integer, bigint);
""",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_support_functions_with_explicit_types_converge(db, second_db, case):
    converges(db, second_db, FUNCTIONS + CASES[case])
