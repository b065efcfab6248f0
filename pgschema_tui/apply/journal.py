"""`--log-json FILE`: every apply event as one JSON line, flushed as it happens."""
from __future__ import annotations

import json
from pathlib import Path

from pgschema_tui.apply.events import Event


class JsonLinesJournal:
    """Appends `Event.to_json()` lines; flushed per event so a crash leaves a readable log."""

    def __init__(self, path: str | Path):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._file = target.open("w", encoding="utf-8")

    def write(self, event: Event) -> None:
        self._file.write(json.dumps(event.to_json(), default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()
