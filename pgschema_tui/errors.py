"""Errors meant for the user: the CLI prints their message as one line and exits 1."""
from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix (bad input, unreachable server); no traceback is shown."""

    exit_code = 1


class SqlSyntaxError(UserError):
    """Desired-state SQL that does not parse, located as file:line:column."""

    def __init__(self, file: str, line: int, column: int, message: str):
        self.file, self.line, self.column, self.message = file, line, column, message
        super().__init__(f"{file}:{line}:{column}: syntax error: {message}")


class UnsupportedError(UserError):
    """A construct the parser cannot normalise yet; names the object and suggests --plan-db."""
