"""Copying SQL to the terminal's clipboard and opening a read-only copy of it in $EDITOR.

Neither touches the plan: the clipboard gets a copy of the text (OSC 52, which the terminal may
ignore: we say when we know it cannot arrive), and the editor opens a temporary file made
read-only, so nothing typed there can reach the plan under review.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path


def copy_sql(app, text: str, what: str) -> None:
    """Send `text` to the clipboard through the terminal, and say honestly whether it can arrive."""
    app.copy_to_clipboard(text)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    reason = clipboard_unavailable(app)
    if reason:
        app.notify(f"{what} not copied: {reason}. Press v to page it or e to open it in $EDITOR.",
                   severity="warning", timeout=6)
    else:
        app.notify(f"Copied {what} ({lines} line{'s' if lines != 1 else ''}) through the terminal (OSC 52). "
                   f"A terminal without OSC 52 (or tmux without set-clipboard) ignores it.", timeout=5)


def clipboard_unavailable(app) -> str:
    """Why the terminal cannot receive an OSC 52 copy ("" when it may)."""
    if app.is_headless or getattr(app, "_driver", None) is None:
        return "there is no terminal to copy to (headless)"
    if os.environ.get("TERM_PROGRAM") == "Apple_Terminal":
        return "macOS Terminal ignores OSC 52 clipboard requests"
    if os.environ.get("TERM") in ("dumb", "linux"):
        return f"the {os.environ['TERM']!r} terminal has no clipboard"
    return ""


def write_copy(text: str, name: str) -> Path:
    """A read-only temporary file holding `text` (in a folder of its own under $TMPDIR)."""
    folder = Path(tempfile.mkdtemp(prefix="pgschema-tui-"))
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80] or "plan"
    path = folder / f"{safe}.sql"
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    path.chmod(0o444)
    return path


def editor_command(editor: str | None, path: Path) -> list[str] | None:
    """The command line for `$VISUAL`/`$EDITOR` (may carry arguments) on `path`; None when unset."""
    if not editor or not editor.strip():
        return None
    return [*shlex.split(editor), str(path)]


def run_editor(command: list[str]) -> int:
    """Run the editor in the foreground; its exit status (127 when it cannot start)."""
    try:
        return subprocess.call(command)
    except OSError:
        return 127


def open_in_editor(app, text: str, name: str) -> None:
    """Write a read-only copy of `text` and open it in $VISUAL or $EDITOR, the app suspended."""
    from textual.app import SuspendNotSupported

    path = write_copy(text, name)
    command = editor_command(os.environ.get("VISUAL") or os.environ.get("EDITOR"), path)
    if command is None:
        app.notify(f"$EDITOR is not set: a read-only copy is at {path}", severity="warning", timeout=8)
        return
    try:
        with app.suspend():
            status = run_editor(command)
    except SuspendNotSupported:
        app.notify(f"This terminal cannot be handed to an editor; a read-only copy is at {path}",
                   severity="warning", timeout=8)
        return
    if status == 127:
        app.notify(f"Could not start {command[0]!r}; a read-only copy is at {path}", severity="error", timeout=8)
    else:
        app.notify(f"Closed the editor; the plan is unchanged (the copy was {path}).", timeout=4)
