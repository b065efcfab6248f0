"""Facts about the session a plan will run in, which the files cannot tell the parser.

The catalog side sees them implicitly: default privileges of the connected role are stored
without a role, and `timestamptz` values print in the session's time zone. The plan command
reads them right after connecting (before the files are built) and hands them over here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionFacts:
    """Facts of the session the plan will run in, which decide how some statements read."""

    role: str | None = None  # current_user: its `FOR ROLE` default privileges are role-less
    timezone: str | None = None  # TimeZone setting: where timestamptz literals with offsets land
    # the schemas after the target on the search_path the plan runs with (ddl/search_path.py):
    # names there are reached unqualified, as the catalog prints them
    search_path: tuple[str, ...] = ()

    SQL = "SELECT current_user::text, current_setting('TimeZone')"  # one round trip for both
