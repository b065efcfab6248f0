"""One key for every spelling of an ICU locale (what a plan compares, never what it writes).

PostgreSQL 16+ stores the BCP 47 language tag ICU makes of a CREATE COLLATION's locale
('en_US' -> 'en-US', 'de@collation=phonebook' -> 'de-u-co-phonebk', '@colStrength=secondary'
-> 'und-u-ks-level2'); PostgreSQL 15 stores the locale as written. A desired file may use any
spelling, so both sides are compared by this key: case folded (language tags are
case-insensitive), `_` as `-`, a POSIX charset (`.UTF-8`) dropped, ICU `@keyword=value`s as
the `-u-` extension they stand for, `-true` values left out and the extension's keywords sorted.
"""
from __future__ import annotations

_KEYS = {  # ICU keyword -> BCP 47 -u- key
    "collation": "co", "colstrength": "ks", "colcasefirst": "kf", "colnumeric": "kn", "colalternate": "ka",
    "colbackwards": "kb", "colcaselevel": "kc", "colnormalization": "kk", "colreorder": "kr",
    "calendar": "ca", "numbers": "nu", "currency": "cu", "hours": "hc",
}
_VALUES = {  # (key, ICU value) -> BCP 47 type
    ("co", "phonebook"): "phonebk", ("co", "traditional"): "trad", ("co", "dictionary"): "dict",
    ("co", "gb2312han"): "gb2312", ("ks", "primary"): "level1", ("ks", "secondary"): "level2",
    ("ks", "tertiary"): "level3", ("ks", "quaternary"): "level4", ("ks", "identical"): "identic",
    ("ca", "gregorian"): "gregory", ("ca", "ethiopic-amete-alem"): "ethioaa",
}
_BOOLEANS = {"yes": "true", "on": "true", "no": "false", "off": "false"}


def _keywords(text: str) -> dict[str, str]:
    """`collation=phonebook;colStrength=secondary` -> {"co": "phonebk", "ks": "level2"}."""
    out = {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        key, value = key.strip().lower(), value.strip().lower()
        if not key:
            continue
        bcp = _KEYS.get(key, key)
        out[bcp] = _VALUES.get((bcp, value), _BOOLEANS.get(value, value))
    return out


def _extension(subtags: list[str]) -> tuple[list[str], dict[str, str]]:
    """A `-u-` extension's attributes and keywords (`co-phonebk-kn` -> co: phonebk, kn: true)."""
    attributes, keywords, key = [], {}, None
    for tag in subtags:
        if len(tag) == 2:
            key = tag
            keywords[key] = ""
        elif key is None:
            attributes.append(tag)
        else:
            keywords[key] = f"{keywords[key]}-{tag}" if keywords[key] else tag
    return attributes, {k: _BOOLEANS.get(v, v) or "true" for k, v in keywords.items()}


def icu_locale_key(locale: str | None) -> str | None:
    """The comparison key of an ICU locale (None stays None)."""
    if locale is None:
        return None
    text = locale.strip().lower()
    base, _, keywords_text = text.partition("@")
    base = base.partition(".")[0].replace("_", "-")
    subtags = [t for t in base.split("-") if t]
    head, u_parts, other = [], [], []
    i = 0
    while i < len(subtags) and len(subtags[i]) > 1:
        head.append(subtags[i])
        i += 1
    while i < len(subtags):  # extensions: a singleton, then its subtags up to the next singleton
        singleton, i = subtags[i], i + 1
        start = i
        while i < len(subtags) and len(subtags[i]) > 1:
            i += 1
        (u_parts if singleton == "u" else other).append((singleton, subtags[start:i]))
    attributes, keywords = _extension([t for _s, tags in u_parts for t in tags])
    keywords.update(_keywords(keywords_text))
    if not head or head[0] == "root":
        head = ["und"] + head[1:]
    out = "-".join(head)
    for singleton, tags in other:
        if singleton != "x":
            out += "-" + "-".join([singleton, *tags])
    if attributes or keywords:
        parts = sorted(attributes) + [f"{k}-{v}" if v != "true" else k for k, v in sorted(keywords.items())]
        out += "-u-" + "-".join(parts)
    for singleton, tags in other:
        if singleton == "x":
            out += "-" + "-".join([singleton, *tags])
    return out
