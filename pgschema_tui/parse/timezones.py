"""`timestamptz` literals with an explicit offset, moved into the session's time zone.

The catalog prints a `timestamptz` constant (a partition bound, a CHECK literal) as local time
in the inspecting session's zone, and the comparison keys drop the offset on both sides
(`ir.normalize`), which is right for literals without one: they were read in that zone too.
A literal that carries its own offset (`'2022-04-01 01:00:00+01'`, as pg_dump writes bounds)
names an instant; to compare it, it is turned into that instant's local time in the session
zone the plan command reads when it connects.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_WITH_OFFSET = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*"
                          r"(?:([+-])(\d{2})(?::?(\d{2}))?|(Z|UTC))\s*$")


@lru_cache(maxsize=64)
def _zone(name: str):
    if name.upper() in ("UTC", "GMT", "ETC/UTC", "Z"):
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a zone Python does not know: leave literals as they are
        return None


def in_session_zone(text: str, zone_name: str | None) -> str:
    """`text` as local time of `zone_name` when it is a timestamp with an explicit offset
    (`2022-04-01 01:00:00+01` in UTC → `2022-04-01 00:00:00`); anything else unchanged."""
    match = _WITH_OFFSET.match(text)
    zone = _zone(zone_name) if zone_name and match else None
    if zone is None:
        return text
    day, hour, minute, second, fraction, sign, off_h, off_m, utc = match.groups()
    offset = timedelta(0) if utc else (1 if sign == "+" else -1) * timedelta(hours=int(off_h),
                                                                              minutes=int(off_m or 0))
    moment = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}").replace(tzinfo=timezone(offset))
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S") + (fraction or "")
