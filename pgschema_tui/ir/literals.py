"""Literal values as PostgreSQL stores them, for comparison keys (`ir/normalize.py`).

When a default or a view is stored, PostgreSQL folds a literal cast to a constant and prints the
constant's value in its output form: `B'101'::bit(3)` is stored `'101'::bit(3)`,
`'1 day 3 hours'::interval` is `'1 day 03:04:00'::interval`, and a cast to `interval day`
or `interval second(2)` keeps only those fields (`'12.345 seconds'::interval second(2)` is
`'00:00:12.35'`). These functions compute the value both spellings share; text they cannot
read exactly is returned as None (the key then keeps the text: never equal wrongly).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

_USEC = Decimal(1_000_000)
_MONTH_DAYS = 30  # DAYS_PER_MONTH, for fractional months
_DAY_USEC = Decimal(86_400) * _USEC

# unit → (months, days, microseconds) per 1 of the unit
_UNITS: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
for _names, _value in (
        (("microsecond", "microseconds", "us", "usec", "usecs", "useconds"), (0, 0, 1)),
        (("millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds"), (0, 0, 1000)),
        (("second", "seconds", "s", "sec", "secs"), (0, 0, 1_000_000)),
        (("minute", "minutes", "m", "min", "mins"), (0, 0, 60_000_000)),
        (("hour", "hours", "h", "hr", "hrs"), (0, 0, 3_600_000_000)),
        (("day", "days", "d"), (0, 1, 0)),
        (("week", "weeks", "w"), (0, 7, 0)),
        (("month", "months", "mon", "mons"), (1, 0, 0)),
        (("year", "years", "y", "yr", "yrs"), (12, 0, 0)),
        (("decade", "decades", "dec", "decs"), (120, 0, 0)),
        (("century", "centuries", "c", "cent"), (1200, 0, 0)),
        (("millennium", "millennia", "mil", "mils"), (12000, 0, 0))):
    for _name in _names:
        _UNITS[_name] = tuple(Decimal(v) for v in _value)  # type: ignore[assignment]

_TOKEN = re.compile(r"\s*(?:(?P<clock>[+-]?\d+:\d+(?::\d+(?:\.\d*)?)?)|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))\s*"
                    r"(?P<unit>[a-z]+)|(?P<ago>ago)|(?P<at>@))", re.IGNORECASE)

# typmod range bits (datetime.h) and the interval fields a typmod keeps
_YEAR, _MONTH, _DAY, _HOUR, _MINUTE, _SECOND = 1 << 2, 1 << 1, 1 << 3, 1 << 10, 1 << 11, 1 << 12
_FULL_RANGE = 0x7FFF


def bit_string(bsval: str) -> str | None:
    """`b101` / `x1F` (pglast's BitString text) → the bits PostgreSQL stores ('101', '00011111')."""
    if not bsval:
        return None
    kind, digits = bsval[0].lower(), bsval[1:]
    if kind == "b" and set(digits) <= {"0", "1"}:
        return digits
    if kind == "x":
        try:
            return "".join(f"{int(c, 16):04b}" for c in digits)
        except ValueError:
            return None
    return None


def _parse_interval(text: str) -> tuple[Decimal, Decimal, Decimal] | None:
    """(months, days, microseconds) of interval input in the postgres / verbose styles."""
    months = days = usec = Decimal(0)
    position, negate, seen = 0, False, False
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        position = match.end()
        if match.group("at"):
            continue
        if match.group("ago"):
            negate = True
            continue
        seen = True
        if match.group("clock"):
            clock = match.group("clock")
            sign = Decimal(-1) if clock.startswith("-") else Decimal(1)
            parts = clock.lstrip("+-").split(":")
            try:
                hours, minutes = Decimal(parts[0]), Decimal(parts[1])
                seconds = Decimal(parts[2]) if len(parts) > 2 else Decimal(0)
            except InvalidOperation:
                return None
            usec += sign * ((hours * 3600 + minutes * 60 + seconds) * _USEC)
            continue
        unit = _UNITS.get(match.group("unit").lower())
        if unit is None:
            return None
        try:
            value = Decimal(match.group("number"))
        except InvalidOperation:
            return None
        unit_months, unit_days, unit_usec = unit
        whole_months = value * unit_months
        months += whole_months.to_integral_value(rounding="ROUND_DOWN")
        spill_days = (whole_months - whole_months.to_integral_value(rounding="ROUND_DOWN")) * _MONTH_DAYS
        all_days = value * unit_days + spill_days
        days += all_days.to_integral_value(rounding="ROUND_DOWN")
        usec += (all_days - all_days.to_integral_value(rounding="ROUND_DOWN")) * _DAY_USEC + value * unit_usec
    if not seen:
        return None  # a bare number means a field that depends on the typmod: not read here
    if negate:
        months, days, usec = -months, -days, -usec
    return months, days, usec.to_integral_value(rounding=ROUND_HALF_UP)


def _truncate(value: Decimal, step: int) -> Decimal:
    return (value / step).to_integral_value(rounding="ROUND_DOWN") * step


def _apply_typmod(months: Decimal, days: Decimal, usec: Decimal, mods: list[int]):
    """What a cast to `interval <fields>(<precision>)` keeps (AdjustIntervalForTypmod)."""
    fields = mods[0] if mods else _FULL_RANGE
    precision = mods[1] if len(mods) > 1 else None
    if fields != _FULL_RANGE:
        if fields == _YEAR:
            months, days, usec = _truncate(months, 12), Decimal(0), Decimal(0)
        elif fields in (_MONTH, _YEAR | _MONTH):
            days, usec = Decimal(0), Decimal(0)
        elif fields == _DAY:
            usec = Decimal(0)
        elif fields in (_HOUR, _DAY | _HOUR):
            usec = _truncate(usec, 3_600_000_000)
        elif fields in (_MINUTE, _DAY | _HOUR | _MINUTE, _HOUR | _MINUTE):
            usec = _truncate(usec, 60_000_000)
        elif fields not in (_SECOND, _DAY | _HOUR | _MINUTE | _SECOND, _HOUR | _MINUTE | _SECOND,
                            _MINUTE | _SECOND):
            return None
    if precision is not None and 0 <= precision < 6:
        scale = Decimal(10) ** (6 - precision)
        usec = (usec / scale).to_integral_value(rounding=ROUND_HALF_UP) * scale
    return months, days, usec


def interval_key(text: str, mods: list[int]) -> str | None:
    """A comparison key of an interval literal cast to `interval` with typmod values `mods`."""
    parsed = _parse_interval(text)
    if parsed is None:
        return None
    adjusted = _apply_typmod(*parsed, mods)
    if adjusted is None:
        return None
    months, days, usec = adjusted
    return f"interval {int(months)} months {int(days)} days {int(usec)} us"


_FLOAT_TEXT = re.compile(r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|nan|inf|infinity)\s*", re.IGNORECASE)


def float_key(text: str, single: bool) -> str | None:
    """The value a `real` (`single`) or `double precision` literal is stored as, written as the
    shortest decimal that reads back as it (what the server prints), in plain notation for the
    usual magnitudes: PostgreSQL folds `'0.0000'::double precision` to `'0'`, `'1e3'` to `'1000'`,
    and rounds a `real` to single precision. A number cast to float (`(0)::double precision`) keys
    as the number's own text (`0`), so both spellings meet. None for text that is not a float."""
    if not _FLOAT_TEXT.fullmatch(text):
        return None
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    if single:
        import struct

        def as_single(v: float) -> float:
            return struct.unpack("f", struct.pack("f", v))[0]

        try:
            value = as_single(value)
        except OverflowError:  # out of range for real: the server refuses it, keep the text
            return None
        shortest = next(t for t in (f"{value:.{d}g}" for d in range(1, 10)) if as_single(float(t)) == value)
    else:
        shortest = repr(value)
    number = Decimal(shortest)
    if number == number.to_integral_value() and abs(number) < 10 ** 15:
        return str(int(number))
    return format(number.normalize(), "f") if -7 < number.adjusted() < 15 else str(number.normalize())


_OCTAL = re.compile(r"\\([0-3][0-7]{2})|\\\\")


def bytea_key(text: str) -> str | None:
    """The hex form (`\\x...`) a bytea literal is stored as: `''` is `'\\x'`, escape-format text
    (`'ab\\000'`) and hex text (`'\\x6162'`) map to their bytes. None when the text is not valid
    bytea input (the key keeps the text)."""
    if text.startswith("\\x"):
        digits = "".join(text[2:].split())
        if len(digits) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", digits):
            return None
        return "\\x" + digits.lower()
    out = bytearray()
    position = 0
    for match in _OCTAL.finditer(text):
        chunk = text[position:match.start()]
        if "\\" in chunk:
            return None  # a backslash that is neither \\ nor \ooo: invalid input
        out += chunk.encode()
        out += b"\\" if match.group(1) is None else bytes([int(match.group(1), 8)])
        position = match.end()
    rest = text[position:]
    if "\\" in rest:
        return None
    out += rest.encode()
    return "\\x" + out.hex()
