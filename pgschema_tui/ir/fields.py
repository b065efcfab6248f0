"""Field declarations every IR class shares (ir/model.py, ir/operators.py, ir/textsearch.py)."""
from __future__ import annotations

from dataclasses import field


def depends_on_field() -> frozenset[str]:
    """`depends_on`: the keys of what an object stands on (for ordering); neither compared nor shown."""
    return field(default=frozenset(), compare=False, repr=False)
