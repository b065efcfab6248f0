"""Issue 10: ICU collations converge whatever spelling of the locale the file uses.

PostgreSQL 16+ stores an ICU locale as the BCP 47 language tag ICU makes of it ('en_US' ->
'en-US', 'de@collation=phonebook' -> 'de-u-co-phonebk'); the plan compares that canonical form,
so the file loaded by the server plans empty, and the file applied by the tool re-plans empty
(no drop and re-create of the collation, and of the columns using it, on every plan)."""
from __future__ import annotations

import pytest

from converge_helpers import converges

LOCALES = {
    "tag": ("de-u-co-phonebk", ""),
    "underscore": ("en_US", ""),
    "nondeterministic": ("en_US", ", deterministic = false"),
    "keyword": ("de@collation=phonebook", ""),
    "strength": ("und-u-ks-level2", ", deterministic = false"),
    "strength-keyword": ("@colStrength=secondary", ", deterministic = false"),
    "case": ("EN-us", ""),
    "region-keyword": ("de_DE@collation=phonebook", ""),
    "numeric": ("en@colNumeric=yes", ""),
    "script": ("sr_Latn_RS", ""),
}


def _icu_server(settings) -> bool:
    """Whether the server can create an ICU collation (a build without ICU refuses; its
    catalog may list ICU collations all the same)."""
    import psycopg

    with settings.connect() as conn:
        try:
            with conn.transaction(force_rollback=True):
                conn.execute("CREATE COLLATION pg_temp.icu_probe (provider = icu, locale = 'und')")
            return True
        except psycopg.errors.FeatureNotSupported:
            return False


@pytest.mark.parametrize("case", sorted(LOCALES))
def test_icu_collation_converges(db, second_db, case):
    if not _icu_server(db):
        pytest.skip("this PostgreSQL is built without ICU (set PGSCHEMA_TEST_DSN to a server with ICU)")
    locale, extra = LOCALES[case]
    converges(db, second_db, f"CREATE COLLATION c (provider = icu, locale = '{locale}'{extra});\n"
                             "CREATE TABLE t (id integer, name text COLLATE c);\n"
                             "CREATE INDEX t_name ON t (name);")


def _icu_language_tag():
    """ICU's own uloc_toLanguageTag (what PostgreSQL 16+ stores), through the C library."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("icuuc")
    if name is None:
        pytest.skip("no ICU library on this machine")
    lib = ctypes.CDLL(name)
    version = name.rsplit(".so.", 1)[-1].split(".")[0]
    function = getattr(lib, "uloc_toLanguageTag", None) or getattr(lib, f"uloc_toLanguageTag_{version}")
    function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_int8,
                         ctypes.POINTER(ctypes.c_int)]

    def tag(locale: str) -> str:
        buffer, status = ctypes.create_string_buffer(256), ctypes.c_int(0)
        function(locale.encode(), buffer, 256, 1, ctypes.byref(status))
        assert status.value <= 0, (locale, status.value)
        return buffer.value.decode()
    return tag


def test_every_spelling_has_the_key_of_the_tag_icu_makes_of_it():
    """The form PostgreSQL 16+ stores is uloc_toLanguageTag's (strict): same key as the spelling."""
    from pgschema_tui.diff.collation_locales import icu_locale_key

    tag = _icu_language_tag()
    for locale in [v[0] for v in LOCALES.values()] + ["en_US.UTF-8", "", "root", "en-u-kn-true", "en-US-u-va-posix",
                                                      "fr@colBackwards=yes;colStrength=primary", "zh@collation=pinyin",
                                                      "en@colCaseFirst=upper", "ja-u-co-unihan-kf-upper"]:
        assert icu_locale_key(locale) == icu_locale_key(tag(locale)), (locale, tag(locale))


def test_plan_against_the_canonical_form_a_server_stored_is_empty():
    """What a PostgreSQL 16+ server's catalog holds after the file's CREATE COLLATION (its own
    language tag) against the file: nothing to do, and a real change is still planned."""
    from dataclasses import replace

    from pgschema_tui.ir.model import Collation
    from pgschema_tui.parse import load_sql
    from pgschema_tui.plan.planner import build_plan

    tag = _icu_language_tag()
    for locale, extra in LOCALES.values():
        desired = load_sql(f"CREATE COLLATION c (provider = icu, locale = '{locale}'{extra});")
        live = replace(desired, collations={"c": replace(desired.collations["c"], locale=tag(locale))})
        assert build_plan(live, desired).is_empty, locale
    other = replace(live, collations={"c": Collation("c", provider="icu", locale="fr-FR")})
    assert not build_plan(other, desired).is_empty


def test_different_locales_still_differ():
    from pgschema_tui.diff.collation_locales import icu_locale_key

    assert icu_locale_key("en-US") != icu_locale_key("en-GB")
    assert icu_locale_key("de-u-co-phonebk") != icu_locale_key("de")
